/**
 * Descriptor tables: fd number → open file description. Lowest free number first, as POSIX
 * requires. Owned by the proc subsystem; descriptor handlers go through these functions.
 */
import { fail } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { OpenFile } from '../vfs/file.js';
import type { FdEntry, Process } from './process.js';
import type { Partition } from '../cells/partition.js';

/** Highest descriptor number plus one (a per-process ceiling; quotas come on top). */
export const OPEN_MAX = 1024;

export function fileOf(p: Process, fd: unknown): OpenFile {
  if (typeof fd !== 'number' || !Number.isInteger(fd)) throw fail('EBADF');
  const entry = p.fds[fd];
  if (entry === undefined) throw fail('EBADF');
  return entry.file;
}

/**
 * Installs `file` (whose reference the caller already holds) at the lowest free number. The
 * descriptor holds the openFiles charge the boundary made to the caller's cell.
 */
export function install(p: Process, file: OpenFile, cloexec = false, from = 0): number {
  const fds = p.fds;
  let fd = from;
  while (fd < fds.length && fds[fd] !== undefined) fd++;
  if (fd >= OPEN_MAX) throw fail('EMFILE');
  fds[fd] = { file, cloexec, owner: p.cell.partition };
  return fd;
}

/** Closes one descriptor; the description is released with its last reference. */
export function closeFd(k: Kernel, p: Process, fd: number): void {
  const entry = p.fds[fd];
  if (entry === undefined) throw fail('EBADF');
  p.fds[fd] = undefined;
  while (p.fds.length > 0 && p.fds[p.fds.length - 1] === undefined) p.fds.length--;
  entry.owner.uncharge('openFiles', 1);
  unref(k, entry.file);
}

export function unref(k: Kernel, file: OpenFile): void {
  if (--file.refs === 0) file.release(k);
}

export function closeAll(k: Kernel, p: Process): void {
  const fds = p.fds;
  p.fds = [];
  for (const entry of fds) {
    if (entry === undefined) continue;
    entry.owner.uncharge('openFiles', 1);
    unref(k, entry.file);
  }
}

/**
 * A child's table built from the parent's: child fd i gets parent fd map[i] (null: closed).
 * Each descriptor holds an openFiles charge to `owner`, the child's cell, made at the boundary.
 */
export function inheritFds(parent: Process, map: readonly (number | null)[], owner: Partition): (FdEntry | undefined)[] {
  const table: (FdEntry | undefined)[] = [];
  for (let i = 0; i < map.length; i++) {
    const from = map[i];
    if (from === null || from === undefined) continue;
    const file = fileOf(parent, from);
    table[i] = { file, cloexec: false, owner };
  }
  for (const entry of table) if (entry !== undefined) entry.file.refs++;
  return table;
}

/** How many descriptors a spawn's fd map passes (what the child is charged). */
export function passedCount(map: unknown): number {
  if (map === undefined) return 3;
  return Array.isArray(map) ? map.filter((fd) => fd !== null && fd !== undefined).length : 0;
}
