/**
 * Permission checks and entry creation shared by the path and descriptor syscalls.
 */
import { fail } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import { hasPrivilege } from '../proc/cred.js';
import type { Process } from '../proc/process.js';
import type { Link, Node } from './memfs.js';
import type { Loc, Mount } from './mount.js';
import { modeAllows, R_OK, rootMayExecute, W_OK, X_OK } from './perm.js';
import { lookupParent } from './resolve.js';
import { holdInode } from './ledger.js';

/** EACCES unless the mode bits, or root's DAC privileges, allow `want` (R_OK|W_OK|X_OK). */
export function checkAccess(p: Process, node: Node, want: number): void {
  if (want === 0 || modeAllows(node, p.cred, want)) return;
  if (p.cred.uid === 0) {
    const ok =
      (!(want & R_OK) || hasPrivilege(p, 'file_dac_read')) &&
      (!(want & W_OK) || hasPrivilege(p, 'file_dac_write')) &&
      (!(want & X_OK) || (rootMayExecute(node) && hasPrivilege(p, node.isDirectory() ? 'file_dac_search' : 'file_dac_execute')));
    if (ok) return;
  }
  throw fail('EACCES');
}

/** The directory entry `path` names, without following a final symlink; undefined if absent. */
export function entryOf(p: Process, path: string): Link | undefined {
  const { dir, name } = lookupParent(p, path);
  if (name === '.' || name === '..') return dir.link;
  return dir.link.children.get(name);
}

/** EROFS when `mnt` takes no writes: a read-only filesystem, or a mount made read-only. */
export function checkWritable(p: Process, mnt: Mount): void {
  if (mnt.readOnly && (mnt.fs.readOnly || !p.cell.unsafe.readOnlyMounts)) throw fail('EROFS');
}

/** Checks that `dir` may get or lose an entry: a writable, searchable directory. */
export function checkDirWritable(p: Process, dir: Loc): void {
  checkWritable(p, dir.mnt);
  checkAccess(p, dir.link.getNode(), W_OK | X_OK);
}

/** Creates a new entry (file type in `mode`) at `path`, owned by the caller. */
export function createEntry(k: Kernel, p: Process, path: string, mode: number): Loc {
  const { dir, name } = lookupParent(p, path);
  if (name === '.' || name === '..') throw fail('EEXIST');
  if (dir.link.children.has(name)) throw fail('EEXIST');
  checkDirWritable(p, dir);
  const link = dir.mnt.fs.create(dir.link, name, mode, p.cred.uid, p.cred.gid, k.now);
  holdInode(link.getNode(), p.cell.partition); // the boundary charged the inode
  return { mnt: dir.mnt, link };
}
