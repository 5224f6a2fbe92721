/**
 * Ownership and access of SysV IPC objects (struct ipc_perm and FreeBSD's ipcperm()): owner,
 * group and other bits against the caller's credentials, with privileges overriding what the
 * bits refuse. Owned by the ipc subsystem.
 */
import type { IpcPermInfo } from '../kernel/abi.js';
import { fail } from '../kernel/errno.js';
import type { Privilege } from '../kernel/privileges.js';
import type { Partition } from '../cells/partition.js';
import { hasPrivilege, inGroup } from '../proc/cred.js';
import { claimAdmitted } from '../proc/memory.js';
import type { Process } from '../proc/process.js';

/** Access modes, as ipcperm takes them: read, write (the owner bits) and administer. */
export const IPC_R = 0o400;
export const IPC_W = 0o200;
export const IPC_M = 0o10000;

/** The privileges that override a refusal: Solaris's ipc_dac_read, ipc_dac_write and ipc_owner. */
export const IPC_OVERRIDES: readonly (readonly [number, Privilege])[] = [
  [IPC_R, 'ipc_dac_read'],
  [IPC_W, 'ipc_dac_write'],
  [IPC_M, 'ipc_owner'],
];

/**
 * The fields every queue and segment shares, and its charges: one ipc object of the creator's
 * cell, claimed from what msgget/shmget admitted, given back when the object is removed.
 */
export abstract class IpcObject {
  /** The partition charged one ipc object for this one (null: created without a charge). */
  private ipcOwner: Partition | null = null;
  uid: number;
  gid: number;
  readonly cuid: number;
  readonly cgid: number;
  /** Permission bits only (0o777). */
  mode: number;
  ctime: number;

  constructor(
    readonly id: number,
    readonly key: number,
    creator: Process,
    mode: number,
    now: number,
  ) {
    this.uid = this.cuid = creator.cred.uid;
    this.gid = this.cgid = creator.cred.gid;
    this.mode = mode & 0o777;
    this.ctime = now;
  }

  /** A new object takes hold of what its creating call was admitted for it. */
  takeCharges(creator: Process): void {
    this.ipcOwner = claimAdmitted(creator, 'ipc', 1);
  }

  /** The object is gone (IPC_RMID, its namespace ended): give back everything it holds. */
  release(): void {
    this.ipcOwner?.uncharge('ipc', 1);
    this.ipcOwner = null;
  }

  permInfo(): IpcPermInfo {
    return { id: this.id, key: this.key, uid: this.uid, gid: this.gid, cuid: this.cuid, cgid: this.cgid, mode: this.mode, ctime: this.ctime };
  }
}

/**
 * ipcperm(): may `p` use `obj` for `want` (IPC_R | IPC_W | IPC_M)? The owner or creator holds
 * IPC_M and the owner bits; group members the group bits; others the other bits. What the bits
 * refuse, a privilege may grant. A refused IPC_M is EPERM (msgctl(2): not the owner), anything
 * else EACCES.
 */
export function checkAccess(p: Process, obj: IpcObject, want: number): void {
  const uid = p.cred.uid;
  const owner = uid === obj.uid || uid === obj.cuid;
  let bits: number;
  if (owner) bits = obj.mode;
  else if (inGroup(p, obj.gid) || inGroup(p, obj.cgid)) bits = obj.mode << 3;
  else bits = obj.mode << 6;
  let granted = (bits & (IPC_R | IPC_W)) | (owner ? IPC_M : 0);
  for (const [mode, privilege] of IPC_OVERRIDES) {
    if ((want & mode) !== 0 && (granted & mode) === 0 && hasPrivilege(p, privilege)) granted |= mode;
  }
  if ((want & IPC_M) !== 0 && (granted & IPC_M) === 0) throw fail('EPERM');
  if ((want & granted) !== want) throw fail('EACCES');
}
