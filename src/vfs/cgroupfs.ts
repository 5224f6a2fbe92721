/**
 * cgroupfs: cgroup v2's interface files, generated from the cells' resource partitions and CPU
 * accounting, as Linux shows a cgroup namespace. A cgroup2 mount is anchored at a cell: its
 * root holds that cell's files, and one directory per child cell holds the child's, recursively
 * (the host's /sys/fs/cgroup shows every cell as a tree; a zone's shows the zone and what lies
 * below it). The anchor is the innermost cell, of those the mounter's cell contains, whose root
 * holds the mountpoint: a mount made in a cell's root is that cell's view, as a mount made
 * inside a Linux cgroup namespace shows the namespace's root.
 *
 * Visibility follows procfs: a cell's files and directory are seen only by processes whose cell
 * contains it, so a cell that finds an ancestor's view in its root sees an empty directory.
 * Directories are brought up to date with the cell tree whenever they are looked into (the
 * `refresh` hook), so cells come and go without the cells subsystem knowing about views.
 * Files are generated when opened. The filesystem is read-only: a write fails with EROFS (a
 * user without write permission on the file gets EACCES first, as for any file).
 *
 * Formats and units, cgroup v2's (Documentation/admin-guide/cgroup-v2.rst):
 *   pids.max, memory.max, memory.high  a number, or "max" when unlimited
 *   memory.high                        the partition's barrier (soft limit)
 *   memory.events                      low 0, high 0 (nothing is reclaimed or throttled here),
 *                                      max and oom = refused memory charges (failcnt: every
 *                                      refusal is an allocation that fails), oom_kill 0 (no
 *                                      OOM killer: alloc fails with ENOMEM instead)
 *   cpu.max                            "max 100000", or "<quota> 100000": cpuCap percent of one
 *                                      CPU per 100 ms period (the scheduler's 100-tick period)
 *   cpu.weight                         cpuShares × 100, at most 10000: the default share (1)
 *                                      reads as cgroup's default weight (100), and ratios are
 *                                      exact up to 100 shares
 *   cpu.stat                           usage_usec from the cell's CPU ticks (1 tick = 1 ms),
 *                                      all of it user time (the kernel does not split it)
 *   cgroup.procs                       the pids of the cell's own processes (not its children's)
 * Usage, like cgroup v2's, includes the cells below.
 * State: each mount's MemFs is owned here; the data belongs to the cells subsystem and is read.
 */
import { S_IFDIR, S_IFREG } from '../kernel/abi.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Cell } from '../cells/cell.js';
import type { Viewer } from '../proc/process.js';
import { MemFs, type Link } from './memfs.js';
import type { Loc } from './mount.js';
import { isBelow } from './resolve.js';
import { maySee } from '../proc/visibility.js';

/** The filesystem type name mount(2) takes and /proc/mounts shows. */
export const CGROUP2 = 'cgroup2';
/** Where the host and cells mount it. */
export const CGROUP_MOUNTPOINT = '/sys/fs/cgroup';
/** cpu.max's period in microseconds: the scheduler's cap period (CPU_PERIOD ticks of 1 ms). */
const CPU_MAX_PERIOD_USEC = 100000;
const USEC_PER_TICK = 1000;
const MAX_WEIGHT = 10000;
const WEIGHT_PER_SHARE = 100;

type Content = (k: Kernel, cell: Cell) => string;

/** The files of every cgroup directory: name, mode (Linux's: control files 0644), content. */
const FILES: readonly (readonly [string, number, Content])[] = [
  ['cgroup.controllers', 0o444, () => 'cpu memory pids\n'],
  ['cgroup.procs', 0o644, (_k, cell) => [...cell.procs].map((p) => p.pid).sort((a, b) => a - b).map((pid) => `${pid}\n`).join('')],
  ['cpu.max', 0o644, (_k, cell) => cpuMax(cell.cpu.cap)],
  ['cpu.stat', 0o444, (k, cell) => cpuStat(k, cell)],
  ['cpu.weight', 0o644, (_k, cell) => `${cpuWeight(cell.cpu.shares)}\n`],
  ['memory.current', 0o444, (_k, cell) => `${cell.partition.counters.memory.usage}\n`],
  ['memory.events', 0o444, (_k, cell) => memoryEvents(cell.partition.counters.memory.failcnt)],
  ['memory.high', 0o644, (_k, cell) => `${limitText(cell.partition.counters.memory.barrier)}\n`],
  ['memory.max', 0o644, (_k, cell) => `${limitText(cell.partition.counters.memory.limit)}\n`],
  ['memory.peak', 0o444, (_k, cell) => `${cell.partition.counters.memory.peak}\n`],
  ['pids.current', 0o444, (_k, cell) => `${cell.partition.counters.processes.usage}\n`],
  ['pids.max', 0o644, (_k, cell) => `${limitText(cell.partition.counters.processes.limit)}\n`],
];

/** A limit as cgroup v2 prints it: "max" when there is none. */
export function limitText(limit: number): string {
  return limit === Infinity ? 'max' : String(limit);
}

/** cpu.max for a cap in percent of one CPU (null: none). */
export function cpuMax(cap: number | null): string {
  if (cap === null) return `max ${CPU_MAX_PERIOD_USEC}\n`;
  return `${Math.round((cap * CPU_MAX_PERIOD_USEC) / 100)} ${CPU_MAX_PERIOD_USEC}\n`;
}

/** cpu.weight for fair shares: see the header for why × 100. */
export function cpuWeight(shares: number): number {
  return Math.min(shares * WEIGHT_PER_SHARE, MAX_WEIGHT);
}

export function memoryEvents(failcnt: number): string {
  return `low 0\nhigh 0\nmax ${failcnt}\noom ${failcnt}\noom_kill 0\n`;
}

function cpuStat(k: Kernel, cell: Cell): string {
  k.sched.settle(); // the reader's own ticks so far count, as cell_get counts them
  const usec = cell.cpu.ticks * USEC_PER_TICK;
  return `usage_usec ${usec}\nuser_usec ${usec}\nsystem_usec 0\n`;
}

/** The cell a cgroup2 mount at `at`, made by a process of `mounter`, is anchored at. */
export function anchorOf(mounter: Cell, at: Loc): Cell {
  let best = mounter;
  let bestDepth = -1;
  for (const cell of [mounter, ...mounter.below()]) {
    if (cell.state !== 'alive' || !isBelow(at, cell.root)) continue;
    const depth = depthOf(cell);
    if (depth > bestDepth) {
      best = cell;
      bestDepth = depth;
    }
  }
  return best;
}

function depthOf(cell: Cell): number {
  let depth = 0;
  for (let c = cell.parent; c !== null; c = c.parent) depth++;
  return depth;
}

/** A new cgroup2 filesystem showing `anchor` at its root. */
export function createCgroupfs(k: Kernel, anchor: Cell): MemFs {
  const fs = new MemFs(CGROUP2, k.nextId('dev'), { hooks: true, readOnly: true });
  new CgroupDir(k, fs, fs.root, anchor);
  return fs;
}

/** One cgroup directory: a cell's files, and its child cells' directories, kept in step. */
class CgroupDir {
  private readonly subdirs = new Map<Cell, { link: Link; dir: CgroupDir }>();

  constructor(
    private readonly k: Kernel,
    private readonly fs: MemFs,
    private readonly link: Link,
    private readonly cell: Cell,
  ) {
    const visible = (viewer: Viewer): boolean => maySee(viewer, cell);
    const hooks = fs.hooks!;
    hooks.set(link.getNode(), { visible, refresh: () => this.refresh() });
    for (const [name, mode, content] of FILES) {
      const file = fs.create(link, name, S_IFREG | mode, 0, 0, k.now);
      hooks.set(file.getNode(), { visible, content: () => content(k, cell) });
    }
  }

  /** Adds directories for new child cells and removes those of cells that are gone. */
  private refresh(): void {
    const now = this.k.now;
    const alive = new Set<Cell>();
    for (const child of this.cell.children) if (child.state === 'alive') alive.add(child);
    for (const [child, entry] of this.subdirs) {
      if (alive.has(child)) continue;
      entry.dir.remove();
      this.subdirs.delete(child);
    }
    for (const child of alive) {
      if (this.subdirs.has(child)) continue;
      const name = child.nameFrom(this.cell);
      if (this.link.children.has(name)) continue; // a file's name: never, cell names have no dots
      const link = this.fs.create(this.link, name, S_IFDIR | 0o755, 0, 0, now);
      this.subdirs.set(child, { link, dir: new CgroupDir(this.k, this.fs, link, child) });
    }
  }

  /** Removes this directory, its files and everything below it. */
  private remove(): void {
    const now = this.k.now;
    for (const entry of this.subdirs.values()) entry.dir.remove();
    this.subdirs.clear();
    for (const [name, child] of [...this.link.children]) {
      if (name !== '.' && name !== '..' && child !== undefined) this.fs.removeLink(child, now);
    }
    this.fs.removeLink(this.link, now);
  }
}
