/**
 * SysV IPC syscalls (FreeBSD sysv_msg.c and sysv_shm.c semantics, errno as theirs). Every call
 * answers from the caller's IPC namespace, p.ns.ipc; a cell without one gets ENOSYS for all of
 * them, as a jail without allow.sysvipc does.
 *
 * A blocked msgsnd/msgrcv is retried from the top when woken; p.progress marks that it slept,
 * so a queue that vanished meanwhile is EIDRM (removed under the waiter) rather than EINVAL.
 *
 * Charges (the table's amount functions below): msgget and shmget one ipc object when they
 * create one, shmget the segment's bytes and msgsnd the message's bytes as memory; the objects
 * claim them and IPC_RMID, msgrcv and the end of a namespace give them back.
 */
import { IPC_CREAT, IPC_EXCL, IPC_NOWAIT, IPC_PRIVATE, IPC_RMID, IPC_STAT, MSG_NOERROR } from '../kernel/abi.js';
import { bytes, int, nonNegative } from '../kernel/args.js';
import { fail } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Handler } from '../kernel/syscall-table.js';
import { claimAdmitted, dataLength } from '../proc/memory.js';
import type { Process } from '../proc/process.js';
import type { IdSpace } from './ids.js';
import { MSGMNB, MsgQueue } from './msg.js';
import { checkAccess, IPC_M, IPC_R, IPC_W, type IpcObject } from './perm.js';
import { SHMMAX, ShmSegment } from './shm.js';
import type { IpcNamespace } from './sysv.js';

const SLEPT = 1;

function namespaceOf(p: Process): IpcNamespace {
  const ns = p.ns.ipc;
  if (ns === null) throw fail('ENOSYS');
  return ns;
}

/** The object `id` names: EINVAL when none, EIDRM when it was removed while the caller slept. */
function objectOf<T extends IpcObject>(p: Process, space: IdSpace<T>, id: unknown): T {
  const obj = space.byId(int(id));
  if (obj === undefined) throw fail(p.progress === SLEPT ? 'EIDRM' : 'EINVAL');
  return obj;
}

/**
 * msgget/shmget: the object for `key`, checked against `flags` (EEXIST with IPC_CREAT|IPC_EXCL,
 * EACCES when the requested owner bits are refused), or a new one when the key is IPC_PRIVATE or
 * unused and IPC_CREAT is given (else ENOENT). `create` checks its arguments before it asks for
 * an id, so a bad size is EINVAL even when the space is full (ENOSPC).
 */
function getObject<T extends IpcObject>(p: Process, space: IdSpace<T>, key: number, flags: number, create: (allocId: () => number) => T, checkExisting?: (obj: T) => void): number {
  const found = space.byKey(key);
  if (found !== undefined) {
    if ((flags & IPC_CREAT) !== 0 && (flags & IPC_EXCL) !== 0) throw fail('EEXIST');
    checkAccess(p, found, flags & 0o700);
    checkExisting?.(found);
    return found.id;
  }
  if (key !== IPC_PRIVATE && (flags & IPC_CREAT) === 0) throw fail('ENOENT');
  const obj = create(() => space.nextId());
  space.insert(obj);
  obj.takeCharges(p);
  return obj.id;
}

/** Would get(key, flags) create an object in `space`? (What the boundary charges for.) */
function creates(space: IdSpace<IpcObject> | undefined, key: unknown, flags: unknown): boolean {
  if (space === undefined || typeof key !== 'number') return false;
  if (key === IPC_PRIVATE) return true;
  return typeof flags === 'number' && (flags & IPC_CREAT) !== 0 && space.byKey(key) === undefined;
}

/** msgget's ipc charge: one object when the call makes a queue. */
export const msggetCharge = (_k: Kernel, p: Process, [key, flags]: unknown[]): number => (creates(p.ns.ipc?.msg, key, flags) ? 1 : 0);

/** shmget's ipc charge: one object when the call makes a segment. */
export const shmgetCharge = (_k: Kernel, p: Process, [key, , flags]: unknown[]): number => (creates(p.ns.ipc?.shm, key, flags) ? 1 : 0);

/** shmget's memory charge: the new segment's size (0 for a size the handler refuses). */
export function shmgetBytes(k: Kernel, p: Process, args: unknown[]): number {
  const size = args[1];
  if (shmgetCharge(k, p, args) === 0 || typeof size !== 'number' || !Number.isSafeInteger(size)) return 0;
  return size >= 1 && size <= SHMMAX ? size : 0;
}

/** msgsnd's memory charge: the message's bytes (0 for one too long for any queue: EINVAL). */
export function msgsndBytes(_k: Kernel, _p: Process, args: unknown[]): number {
  const n = dataLength(args[2]);
  return n <= MSGMNB ? n : 0;
}

/** msgctl/shmctl: IPC_STAT needs read permission, IPC_RMID the owner (or a privilege). */
function control<T extends IpcObject, I>(p: Process, space: IdSpace<T>, obj: T, cmd: unknown, info: (obj: T) => I, onRemove: (obj: T) => void): I | undefined {
  switch (int(cmd)) {
    case IPC_STAT:
      checkAccess(p, obj, IPC_R);
      return info(obj);
    case IPC_RMID:
      checkAccess(p, obj, IPC_M);
      space.remove(obj);
      obj.release();
      onRemove(obj);
      return undefined;
    default:
      throw fail('EINVAL');
  }
}

export const msgget: Handler<'msgget'> = (k, p, [key, flags]) => {
  const ns = namespaceOf(p);
  const ipcKey = int(key);
  const f = int(flags, 0);
  return getObject(p, ns.msg, ipcKey, f, (allocId) => new MsgQueue(allocId(), ipcKey, p, f, k.now));
};

export const msgsnd: Handler<'msgsnd'> = (k, p, [id, type, data, flags]) => {
  const q = objectOf(p, namespaceOf(p).msg, id);
  checkAccess(p, q, IPC_W);
  const mtype = int(type);
  const body = bytes(data);
  if (mtype < 1 || body.length > q.qbytes) throw fail('EINVAL');
  if (!q.fits(body.length)) {
    if ((int(flags, 0) & IPC_NOWAIT) !== 0) throw fail('EAGAIN');
    p.progress = SLEPT;
    return k.sleepOn(p, q.writable);
  }
  q.put({ type: mtype, data: Uint8Array.from(body), payer: claimAdmitted(p, 'memory', body.length) });
  q.lspid = p.pid;
  q.stime = k.now;
  k.wakeAll(q.readable);
  return undefined;
};

export const msgrcv: Handler<'msgrcv'> = (k, p, [id, type, maxBytes, flags]) => {
  const q = objectOf(p, namespaceOf(p).msg, id);
  checkAccess(p, q, IPC_R);
  const max = nonNegative(maxBytes);
  const f = int(flags, 0);
  const message = q.find(int(type));
  if (message === undefined) {
    if ((f & IPC_NOWAIT) !== 0) throw fail('ENOMSG');
    p.progress = SLEPT;
    return k.sleepOn(p, q.readable);
  }
  if (message.data.length > max && (f & MSG_NOERROR) === 0) throw fail('E2BIG');
  q.take(message);
  q.lrpid = p.pid;
  q.rtime = k.now;
  k.wakeAll(q.writable);
  return { type: message.type, data: message.data.slice(0, max) };
};

export const msgctl: Handler<'msgctl'> = (k, p, [id, cmd]) => {
  const space = namespaceOf(p).msg;
  return control(p, space, objectOf(p, space, id), cmd, (q) => q.info(), (q) => {
    k.wakeAll(q.readable);
    k.wakeAll(q.writable);
  });
};

export const shmget: Handler<'shmget'> = (k, p, [key, size, flags]) => {
  const ns = namespaceOf(p);
  const ipcKey = int(key);
  const bytesWanted = nonNegative(size);
  const f = int(flags, 0);
  const create = (allocId: () => number): ShmSegment => {
    if (bytesWanted < 1 || bytesWanted > SHMMAX) throw fail('EINVAL');
    return new ShmSegment(allocId(), ipcKey, p, f, k.now, bytesWanted);
  };
  return getObject(p, ns.shm, ipcKey, f, create, (seg) => {
    if (bytesWanted > seg.bytes.length) throw fail('EINVAL');
  });
};

export const shmctl: Handler<'shmctl'> = (_k, p, [id, cmd]) => {
  const space = namespaceOf(p).shm;
  return control(p, space, objectOf(p, space, id), cmd, (seg) => seg.info(), () => {});
};

/** The segment and the byte range [offset, offset + length) in it; EFAULT outside it. */
function rangeOf(p: Process, id: unknown, offset: unknown, length: number, want: number): { seg: ShmSegment; start: number } {
  const seg = objectOf(p, namespaceOf(p).shm, id);
  checkAccess(p, seg, want);
  const start = nonNegative(offset);
  if (start + length > seg.bytes.length) throw fail('EFAULT');
  return { seg, start };
}

export const shmread: Handler<'shmread'> = (k, p, [id, offset, length]) => {
  const n = nonNegative(length);
  const { seg, start } = rangeOf(p, id, offset, n, IPC_R);
  seg.touch(p, k.now);
  return seg.bytes.slice(start, start + n);
};

export const shmwrite: Handler<'shmwrite'> = (k, p, [id, offset, data]) => {
  const body = bytes(data);
  const { seg, start } = rangeOf(p, id, offset, body.length, IPC_R | IPC_W);
  seg.bytes.set(body, start);
  seg.touch(p, k.now);
  return body.length;
};

export const ipc_list: Handler<'ipc_list'> = (_k, p) => {
  const ns = namespaceOf(p);
  return [...ns.msg.all().map((q) => q.info()), ...ns.shm.all().map((seg) => seg.info())];
};
