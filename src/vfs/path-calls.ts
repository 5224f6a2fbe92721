/**
 * Path syscalls. Every path is resolved by resolve.ts inside the caller's root, so a cell's
 * view of the file tree is exactly what lies below its root.
 */
import { MNT_RDONLY, S_IFDIR, S_IFMT, type Dirent, type FileType } from '../kernel/abi.js';
import { int, nonNegative, str } from '../kernel/args.js';
import { fail } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Handler } from '../kernel/syscall-table.js';
import { hasPrivilege, inGroup } from '../proc/cred.js';
import type { Process } from '../proc/process.js';
import { checkAccess, checkDirWritable, checkWritable, createEntry } from './access.js';
import { setCwd } from './fd-calls.js';
import { MemFs, stamp, stampChange, type Link } from './memfs.js';
import type { Loc, Mount } from './mount.js';
import { F_OK, R_OK, W_OK, X_OK } from './perm.js';
import { isBelow, lookup, lookupParent, pathFrom, type ParentAndName } from './resolve.js';
import { statNode } from './stat.js';
import { holdBytes, holdInode, releaseBytes } from './ledger.js';
import { anchorOf, CGROUP2, createCgroupfs } from './cgroupfs.js';

export const stat: Handler<'stat'> = (_k, p, [path]) => {
  const loc = lookup(p, str(path), true);
  return statNode(loc.mnt.fs.dev, loc.link.getNode());
};

export const lstat: Handler<'lstat'> = (_k, p, [path]) => {
  const loc = lookup(p, str(path), false);
  return statNode(loc.mnt.fs.dev, loc.link.getNode());
};

export const access: Handler<'access'> = (_k, p, [path, mode]) => {
  const want = int(mode, F_OK);
  if (want & ~7) throw fail('EINVAL');
  const node = lookup(p, str(path), true).link.getNode();
  checkAccess(p, node, want);
  return undefined;
};

const TYPE_OF: Record<number, FileType> = {
  0o040000: 'dir',
  0o100000: 'file',
  0o120000: 'symlink',
  0o020000: 'chardev',
  0o010000: 'fifo',
  0o140000: 'socket',
};

export const readdir: Handler<'readdir'> = (_k, p, [path]) => {
  const loc = lookup(p, str(path), true);
  const node = loc.link.getNode();
  if (!node.isDirectory()) throw fail('ENOTDIR');
  checkAccess(p, node, R_OK);
  const hooks = loc.mnt.fs.hooks;
  hooks?.get(node)?.refresh?.();
  const entries: Dirent[] = [];
  for (const [name, child] of loc.link.children) {
    if (name === '.' || name === '..' || child === undefined) continue;
    const childNode = child.getNode();
    const hook = hooks?.get(childNode);
    if (hook?.visible !== undefined && !hook.visible(p)) continue;
    entries.push({ name, ino: childNode.ino, type: TYPE_OF[childNode.mode & S_IFMT] ?? 'file' });
  }
  return entries;
};

export const mkdir: Handler<'mkdir'> = (k, p, [path, mode]) => {
  createEntry(k, p, str(path), S_IFDIR | (int(mode, 0o777) & 0o7777 & ~p.umask));
  return undefined;
};

/** The existing entry a remove or rename names: its parent, and the entry itself. */
function existingEntry(p: Process, path: string): { at: ParentAndName; link: Link } {
  const at = lookupParent(p, path);
  if (at.name === '.' || at.name === '..') throw fail('EINVAL');
  const link = at.dir.link.children.get(at.name);
  if (link === undefined) throw fail('ENOENT');
  return { at, link };
}

function isMountpoint(p: Process, link: Link): boolean {
  return p.ns.mnt.covered.has(link);
}

function isEmptyDir(link: Link): boolean {
  for (const name of link.children.keys()) if (name !== '.' && name !== '..') return false;
  return true;
}

export const rmdir: Handler<'rmdir'> = (k, p, [path]) => {
  const { at, link } = existingEntry(p, str(path));
  if (!link.getNode().isDirectory()) throw fail('ENOTDIR');
  if (isMountpoint(p, link) || link === p.root.link) throw fail('EBUSY');
  if (!isEmptyDir(link)) throw fail('ENOTEMPTY');
  checkDirWritable(p, at.dir);
  at.dir.mnt.fs.removeLink(link, k.now);
  return undefined;
};

export const unlink: Handler<'unlink'> = (k, p, [path]) => {
  const { at, link } = existingEntry(p, str(path));
  if (link.getNode().isDirectory()) throw fail('EPERM');
  checkDirWritable(p, at.dir);
  at.dir.mnt.fs.removeLink(link, k.now);
  return undefined;
};

export const rename: Handler<'rename'> = (k, p, [from, to]) => {
  const source = existingEntry(p, str(from));
  const target = lookupParent(p, str(to));
  if (target.name === '.' || target.name === '..') throw fail('EINVAL');
  if (source.at.dir.mnt !== target.dir.mnt) throw fail('EXDEV');
  const moving = source.link;
  const movingDir = moving.getNode().isDirectory();
  if (isMountpoint(p, moving)) throw fail('EBUSY');
  if (movingDir && isBelow(target.dir, { mnt: target.dir.mnt, link: moving })) throw fail('EINVAL');
  checkDirWritable(p, source.at.dir);
  checkDirWritable(p, target.dir);
  const replaced = target.dir.link.children.get(target.name);
  if (replaced === moving) return undefined;
  const fs = target.dir.mnt.fs;
  if (replaced !== undefined) {
    const replacedDir = replaced.getNode().isDirectory();
    if (movingDir && !replacedDir) throw fail('ENOTDIR');
    if (!movingDir && replacedDir) throw fail('EISDIR');
    if (replacedDir && !isEmptyDir(replaced)) throw fail('ENOTEMPTY');
    if (isMountpoint(p, replaced)) throw fail('EBUSY');
    fs.removeLink(replaced, k.now);
  }
  fs.move(moving, target.dir.link, target.name, k.now);
  return undefined;
};

export const link: Handler<'link'> = (k, p, [existing, path]) => {
  const source = lookup(p, str(existing), false);
  const node = source.link.getNode();
  if (node.isDirectory()) throw fail('EPERM');
  const target = lookupParent(p, str(path));
  if (target.name === '.' || target.name === '..' || target.dir.link.children.has(target.name)) throw fail('EEXIST');
  if (target.dir.mnt !== source.mnt) throw fail('EXDEV');
  checkDirWritable(p, target.dir);
  target.dir.mnt.fs.addLink(target.dir.link, target.name, node, k.now);
  return undefined;
};

export const symlink: Handler<'symlink'> = (k, p, [target, path]) => {
  const text = str(target);
  if (text.length === 0) throw fail('ENOENT');
  const at = lookupParent(p, str(path));
  if (at.name === '.' || at.name === '..' || at.dir.link.children.has(at.name)) throw fail('EEXIST');
  checkDirWritable(p, at.dir);
  const link = at.dir.mnt.fs.createSymlink(at.dir.link, at.name, text, p.cred.uid, p.cred.gid, k.now);
  holdInode(link.getNode(), p.cell.partition);
  return undefined;
};

export const readlink: Handler<'readlink'> = (_k, p, [path]) => {
  const loc = lookup(p, str(path), false);
  const node = loc.link.getNode();
  if (!node.isSymlink()) throw fail('EINVAL');
  const hook = loc.mnt.fs.hooks?.get(node);
  return hook?.readlink !== undefined ? hook.readlink(p) : node.symlink;
};

export const truncate: Handler<'truncate'> = (k, p, [path, length]) => {
  const size = nonNegative(length);
  const loc = lookup(p, str(path), true);
  const node = loc.link.getNode();
  if (node.isDirectory()) throw fail('EISDIR');
  checkWritable(p, loc.mnt);
  checkAccess(p, node, W_OK);
  const before = node.getSize();
  node.truncate(size);
  if (size > before) holdBytes(node, p.cell.partition, size - before);
  else releaseBytes(node, before - size);
  stamp(node, k.now);
  return undefined;
};

/** Bytes a truncate would add (what the boundary charges as disk); 0 when it cannot tell. */
export function truncateGrowth(_k: Kernel, p: Process, args: unknown[]): number {
  const [path, length] = args;
  if (typeof path !== 'string' || typeof length !== 'number') return 0;
  try {
    const node = lookup(p, path, true).link.getNode();
    return node.isFile() ? Math.max(0, length - node.getSize()) : 0;
  } catch {
    return 0; // the handler fails the same way
  }
}

export const chmod: Handler<'chmod'> = (k, p, [path, mode]) => {
  const bits = int(mode);
  const loc = lookup(p, str(path), true);
  const node = loc.link.getNode();
  checkWritable(p, loc.mnt);
  if (node.uid !== p.cred.uid && !hasPrivilege(p, 'file_owner')) throw fail('EPERM');
  node.mode = (node.mode & S_IFMT) | (bits & 0o7777);
  stampChange(node, k.now);
  return undefined;
};

export const chown: Handler<'chown'> = (k, p, [path, uid, gid]) => {
  const newUid = int(uid);
  const newGid = int(gid);
  const loc = lookup(p, str(path), true);
  const node = loc.link.getNode();
  checkWritable(p, loc.mnt);
  const changesOwner = newUid !== -1 && newUid !== node.uid;
  const ownGroupChange = node.uid === p.cred.uid && (newGid === -1 || inGroup(p, newGid));
  if ((changesOwner || !ownGroupChange) && !hasPrivilege(p, 'file_chown')) throw fail('EPERM');
  if (newUid !== -1) node.uid = newUid;
  if (newGid !== -1) node.gid = newGid;
  stampChange(node, k.now);
  return undefined;
};

export const chdir: Handler<'chdir'> = (_k, p, [path]) => {
  const loc = lookup(p, str(path), true);
  const node = loc.link.getNode();
  if (!node.isDirectory()) throw fail('ENOTDIR');
  checkAccess(p, node, X_OK);
  setCwd(p, loc);
  return undefined;
};

export const getcwd: Handler<'getcwd'> = (_k, p) => {
  const path = pathFrom(p.root, p.cwd);
  if (path === undefined) throw fail('ENOENT');
  return path;
};

/**
 * chroot(2). FreeBSD's rules, made strict: refused (EPERM) while the caller holds an open
 * directory descriptor, which could be fchdir'd to get back out (FreeBSD refuses this for an
 * already-chrooted process, and always on jail_attach); a cwd outside the new root is moved to
 * it, as jail_attach does, so no relative path starts outside.
 */
export const chroot: Handler<'chroot'> = (_k, p, [path]) => {
  const loc = lookup(p, str(path), true);
  const node = loc.link.getNode();
  if (!node.isDirectory()) throw fail('ENOTDIR');
  checkAccess(p, node, X_OK);
  for (const entry of p.fds) if (entry?.file.directory() !== undefined && !p.cell.unsafe.heldDescriptors) throw fail('EPERM');
  p.root = loc;
  if (!isBelow(p.cwd, loc)) p.cwd = loc;
  return undefined;
};

export const statfs: Handler<'statfs'> = (_k, p, [path]) => {
  const fs = lookup(p, str(path), true).mnt.fs;
  let used = 0;
  let files = 0;
  for (const node of Object.values(fs.sb.inodes)) {
    used += Math.ceil(node.getSize() / FS_BLOCK);
    files++;
  }
  return { type: fs.type, bsize: FS_BLOCK, blocks: FS_BLOCKS, bfree: Math.max(0, FS_BLOCKS - used), files: FS_FILES, ffree: Math.max(0, FS_FILES - files) };
};

const FS_BLOCK = 4096;
/** The size memfs filesystems report until disk quotas give them one: 1 GiB, 65536 inodes. */
const FS_BLOCKS = 262144;
const FS_FILES = 65536;

/**
 * Filesystem types mount accepts: a new memfs, the kernel's shared procfs and devfs, or a new
 * cgroup2 view anchored at the cell whose root holds the mountpoint (cgroupfs.ts).
 */
function filesystemFor(k: Kernel, p: Process, fstype: string, at: Loc): MemFs {
  switch (fstype) {
    case CGROUP2:
      return createCgroupfs(k, anchorOf(p.cell, at));
    case 'memfs':
    case 'tmpfs':
      return new MemFs(fstype, k.nextId('dev'));
    case 'procfs':
    case 'proc':
      return k.procfs.fs;
    case 'devfs':
      return k.devfs;
    default:
      throw fail('ENODEV');
  }
}

/** Types that mount a directory of the caller's view again: FreeBSD's, Solaris's and Linux's names. */
const NULLFS_TYPES: ReadonlySet<string> = new Set(['nullfs', 'lofs', 'bind']);

export const mount: Handler<'mount'> = (k, p, [source, target, fstype, flags]) => {
  const from = str(source);
  const type = str(fstype);
  const readOnly = ((flags === undefined ? 0 : int(flags)) & MNT_RDONLY) !== 0;
  const at = lookup(p, str(target), true);
  if (!at.link.getNode().isDirectory()) throw fail('ENOTDIR');
  // One mount per directory as reached through one mount (a nullfs alias of a mountpoint is busy).
  const covering = p.ns.mnt.covered.get(at.link);
  if (covering !== undefined && covering.parent !== at.mnt) throw fail('EBUSY');
  if (NULLFS_TYPES.has(type)) {
    const lower = lookup(p, from, true);
    if (!lower.link.getNode().isDirectory()) throw fail('ENOTDIR');
    p.ns.mnt.mount(lower.mnt.fs, from, at, { root: lower.link, readOnly: readOnly || lower.mnt.readOnly, type, owner: p.cell });
  } else {
    p.ns.mnt.mount(filesystemFor(k, p, type, at), from, at, { readOnly, owner: p.cell });
  }
  return undefined;
};

export const umount: Handler<'umount'> = (k, p, [target]) => {
  const at = lookup(p, str(target), true);
  const mnt = at.mnt;
  if (at.link !== mnt.root || mnt.parent === null) throw fail('EINVAL');
  // Only the cell that mounted it, or one above (FreeBSD's vfs_suser: the mount's prison or an
  // ancestor's): a jail may not take away what its host mounted in its root.
  if (!p.cell.contains(mnt.owner ?? k.hostCell) && !p.cell.unsafe.cellHierarchy) throw fail('EPERM');
  if (p.ns.mnt.hasChildren(mnt) || inUse(k, mnt)) throw fail('EBUSY');
  p.ns.mnt.unmount(mnt);
  return undefined;
};

function inUse(k: Kernel, mnt: Mount): boolean {
  const uses = (loc: Loc): boolean => loc.mnt === mnt;
  for (const q of k.procs.values()) {
    if (!q.alive) continue;
    if (uses(q.cwd) || uses(q.root)) return true;
    for (const entry of q.fds) {
      const dir = entry?.file.directory();
      if (dir !== undefined && uses(dir)) return true;
    }
  }
  return false;
}
