/**
 * stat(2) results from memfs nodes. Filesystems behave as if mounted noatime (atime reads as
 * mtime): memfs stamps reads with real time, which would break determinism.
 */
import type { Stat } from '../kernel/abi.js';
import type { Node } from './memfs.js';

export const BLKSIZE = 4096;
/** What a directory reports as its size, as UFS does for a small directory. */
const DIR_SIZE = 512;

export function statNode(dev: number, node: Node): Stat {
  const dir = node.isDirectory();
  const size = dir ? DIR_SIZE : node.isSymlink() ? node.symlink.length : node.getSize();
  const mtimeMs = node.mtime.getTime();
  return {
    dev,
    ino: node.ino,
    mode: node.mode,
    nlink: node.nlink,
    uid: node.uid,
    gid: node.gid,
    rdev: node.rdev,
    size,
    blksize: BLKSIZE,
    blocks: Math.ceil(size / 512),
    atimeMs: mtimeMs,
    mtimeMs,
    ctimeMs: node.ctime.getTime(),
  };
}
