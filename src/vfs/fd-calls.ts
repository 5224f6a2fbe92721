/**
 * Descriptor syscalls: open, close, read, write, lseek, pipe, dup, dup2, fstat, fchdir, isatty.
 */
import { Buffer } from 'node:buffer';
import { O_ACCMODE, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_RDONLY, O_TRUNC, S_IFREG } from '../kernel/abi.js';
import { bytes, int, nonNegative, str } from '../kernel/args.js';
import { fail } from '../kernel/errno.js';
import type { Handler } from '../kernel/syscall-table.js';
import { Pipe, PipeReadEnd, PipeWriteEnd } from '../ipc/pipe.js';
import { closeFd, fileOf, install, OPEN_MAX, unref } from '../proc/fdtable.js';
import type { Process } from '../proc/process.js';
import { DeviceFile } from './devfs.js';
import { VnodeFile, type OpenFile } from './file.js';
import { stamp } from './memfs.js';
import type { Loc } from './mount.js';
import { R_OK, W_OK, X_OK } from './perm.js';
import { checkAccess, checkWritable, createEntry, entryOf } from './access.js';
import { releaseBytes } from './ledger.js';
import type { Kernel } from '../kernel/kernel.js';
import { lookup } from './resolve.js';

const DEFAULT_READ = 65536;
const MAX_READ = 16 * 1024 * 1024;

export const open: Handler<'open'> = (k, p, [path, flags, mode]) => {
  const name = str(path);
  const how = int(flags, O_RDONLY);
  const perm = int(mode, 0o666);
  if ((how & O_ACCMODE) === O_ACCMODE) throw fail('EINVAL');
  const wantsWrite = (how & O_ACCMODE) !== O_RDONLY;
  let loc: Loc;
  if (how & O_CREAT) {
    const existing = entryOf(p, name);
    if (existing === undefined) {
      loc = createEntry(k, p, name, S_IFREG | (perm & 0o7777 & ~p.umask));
    } else {
      if (how & O_EXCL) throw fail('EEXIST');
      loc = lookup(p, name, (how & O_NOFOLLOW) === 0);
    }
  } else {
    loc = lookup(p, name, (how & O_NOFOLLOW) === 0);
  }
  const node = loc.link.getNode();
  if (node.isSymlink()) throw fail('ELOOP');
  if (node.isDirectory()) {
    if (wantsWrite) throw fail('EISDIR');
  } else if (how & O_DIRECTORY) throw fail('ENOTDIR');
  const fs = loc.mnt.fs;
  const hook = fs.hooks?.get(node);
  if (hook?.mayOpen === undefined) checkAccess(p, node, (wantsWrite ? W_OK : 0) | ((how & O_ACCMODE) !== 1 ? R_OK : 0));
  else if (!hook.mayOpen(p)) throw fail('EACCES');
  if (wantsWrite) checkWritable(p, loc.mnt);
  let file: OpenFile;
  if (hook?.device !== undefined) {
    file = DeviceFile.open(how, loc, hook.device) ?? failWith('ENXIO');
  } else {
    const snapshot = hook?.content === undefined ? undefined : Buffer.from(hook.content(p));
    file = new VnodeFile(how, loc, snapshot);
    if (how & O_TRUNC && wantsWrite && node.isFile()) {
      releaseBytes(node, node.getSize());
      node.truncate(0);
      stamp(node, k.now);
    }
  }
  return install(p, file, (how & O_CLOEXEC) !== 0);
};

function failWith(code: 'ENXIO'): never {
  throw fail(code);
}

export const close: Handler<'close'> = (k, p, [fd]) => {
  fileOf(p, fd);
  closeFd(k, p, fd);
  return undefined;
};

export const read: Handler<'read'> = (k, p, [fd, length]) => {
  const file = fileOf(p, fd);
  if (!file.readable) throw fail('EBADF');
  const n = nonNegative(length, DEFAULT_READ);
  return file.read(k, p, Math.min(n, MAX_READ));
};

export const write: Handler<'write'> = (k, p, [fd, data]) => {
  const file = fileOf(p, fd);
  if (!file.writable) throw fail('EBADF');
  return file.write(k, p, bytes(data));
};

export const lseek: Handler<'lseek'> = (_k, p, [fd, offset, whence]) => fileOf(p, fd).seek(int(offset), int(whence, 0));

export const pipe: Handler<'pipe'> = (k, p) => {
  const shared = new Pipe(k.nextId('pipe'));
  const readEnd = new PipeReadEnd(shared);
  const writeEnd = new PipeWriteEnd(shared);
  const r = install(p, readEnd);
  try {
    return [r, install(p, writeEnd)];
  } catch (err) {
    closeFd(k, p, r);
    unref(k, writeEnd);
    throw err;
  }
};

export const dup: Handler<'dup'> = (_k, p, [fd]) => {
  const file = fileOf(p, fd);
  const copy = install(p, file);
  file.refs++;
  return copy;
};

/** Does this open create a file (one inode for the boundary to charge)? */
export function openCreates(_k: Kernel, p: Process, args: unknown[]): number {
  const [path, flags] = args;
  if (typeof path !== 'string' || typeof flags !== 'number' || (flags & O_CREAT) === 0) return 0;
  try {
    return entryOf(p, path) === undefined ? 1 : 0;
  } catch {
    return 0; // the handler fails the same way
  }
}

/** Bytes a write would add to a regular file (what the boundary charges as disk). */
export function writeGrowth(_k: Kernel, p: Process, args: unknown[]): number {
  const [fd, data] = args;
  const file = typeof fd === 'number' ? p.fds[fd]?.file : undefined;
  if (!(file instanceof VnodeFile)) return 0;
  const length = typeof data === 'string' ? Buffer.byteLength(data) : data instanceof Uint8Array ? data.length : 0;
  return file.growthOf(length);
}

/** dup2 onto itself makes no new descriptor. */
export const dup2Count = (_k: Kernel, _p: Process, args: unknown[]): number => (args[0] === args[1] ? 0 : 1);

export const dup2: Handler<'dup2'> = (k, p, [fd, newfd]) => {
  const file = fileOf(p, fd);
  const target = int(newfd);
  if (target < 0 || target >= OPEN_MAX) throw fail('EBADF');
  if (target === fd) return target;
  file.refs++;
  if (p.fds[target] !== undefined) closeFd(k, p, target);
  p.fds[target] = { file, cloexec: false, owner: p.cell.partition };
  return target;
};

export const fstat: Handler<'fstat'> = (k, p, [fd]) => fileOf(p, fd).stat(k);

export const fchdir: Handler<'fchdir'> = (_k, p, [fd]) => {
  const dir = fileOf(p, fd).directory();
  if (dir === undefined) throw fail('ENOTDIR');
  checkAccess(p, dir.link.getNode(), X_OK);
  setCwd(p, dir);
  return undefined;
};

export function setCwd(p: Process, dir: Loc): void {
  p.cwd = dir;
}

export const isatty: Handler<'isatty'> = (_k, p, [fd]) => fileOf(p, fd).isTty();
