/**
 * SysV shared memory segments: a zero-filled byte array of fixed size. A simulated process has
 * no address space to map one into, so shmread/shmwrite stand in for shmat(2) plus loads and
 * stores: every access counts as an attach and detach (lpid, atime, dtime), and nothing stays
 * attached (nattch 0), so IPC_RMID frees a segment at once. A segment's bytes are memory of the
 * creator's cell from shmget to IPC_RMID. Owned by the ipc subsystem.
 */
import type { ShmInfo } from '../kernel/abi.js';
import type { Partition } from '../cells/partition.js';
import { claimAdmitted } from '../proc/memory.js';
import type { Process } from '../proc/process.js';
import { IpcObject } from './perm.js';

/** Largest segment, in bytes (a simulation bound: segments live in the host's memory). */
export const SHMMAX = 4 * 1024 * 1024;
/** Segments per namespace (FreeBSD's default shmmni). */
export const SHMMNI = 192;

export class ShmSegment extends IpcObject {
  readonly bytes: Uint8Array;
  readonly cpid: number;
  /** The partition charged the segment's bytes (memory). */
  private memoryOwner: Partition | null = null;
  lpid = 0;
  atime = 0;
  dtime = 0;

  constructor(id: number, key: number, creator: Process, mode: number, now: number, size: number) {
    super(id, key, creator, mode, now);
    this.bytes = new Uint8Array(size);
    this.cpid = creator.pid;
  }

  override takeCharges(creator: Process): void {
    super.takeCharges(creator);
    this.memoryOwner = claimAdmitted(creator, 'memory', this.bytes.length);
  }

  override release(): void {
    super.release();
    this.memoryOwner?.uncharge('memory', this.bytes.length);
    this.memoryOwner = null;
  }

  /** Records an access by `p` as an attach and a detach. */
  touch(p: Process, now: number): void {
    this.lpid = p.pid;
    this.atime = this.dtime = now;
  }

  info(): ShmInfo {
    return {
      kind: 'shm',
      ...this.permInfo(),
      segsz: this.bytes.length,
      nattch: 0,
      cpid: this.cpid,
      lpid: this.lpid,
      atime: this.atime,
      dtime: this.dtime,
    };
  }
}
