/**
 * A cell: namespaces + root + privilege policy + limits + lifecycle + parent. The host is cell 0
 * (FreeBSD's prison0, Solaris's global zone, Linux's initial namespaces). Personalities (jail,
 * zone, ...) only build a Cell from a spec; subsystems never ask which kind a cell is.
 * Owned by the cells subsystem: cell calls (src/cells/calls.ts) are its only writers.
 */
import type { Namespaces } from './namespaces.js';
import type { PrivilegeSet } from '../kernel/privileges.js';
import type { Process } from '../proc/process.js';
import type { Loc } from '../vfs/mount.js';
import { Partition } from './partition.js';
import { CellCpu } from './cpu.js';
import { SAFE, type Unsafe } from '../kernel/unsafe.js';

export interface CellLimits {
  /** Descendants it may have (FreeBSD children.max). */
  childrenMax: number;
  securelevel: number;
  /** Which mounts it sees: 0 all, 1 those below its root, 2 only the one holding its root. */
  enforceStatfs: number;
}

export class Cell {
  readonly children = new Set<Cell>();
  /** Children by their own (last) name component: names resolve without a scan. */
  readonly childByName = new Map<string, Cell>();
  /** How many cells are below this one (FreeBSD children.cur), kept as cells come and go. */
  private descendantCount = 0;
  /** Live processes whose cell this is (not its descendants'). */
  readonly procs = new Set<Process>();
  state: 'alive' | 'dying' = 'alive';
  persist: boolean;
  /** Its resources: charges here also count against every ancestor's. */
  readonly partition: Partition;
  /** Its CPU shares, cap and usage, and its place in the scheduler's run-queue tree. */
  readonly cpu: CellCpu;
  /** Mechanisms a test switched off (src/kernel/unsafe.ts), the kernel's: set on the host at boot, inherited. */
  unsafe: Unsafe;

  constructor(
    readonly id: number,
    /** Full name from the host: dotted path of names ("www.sub"); "host" for cell 0. */
    readonly name: string,
    readonly parent: Cell | null,
    readonly ns: Namespaces,
    public policy: PrivilegeSet,
    /** The cell's root directory; its processes start there and cannot leave it. */
    readonly root: Loc,
    readonly limits: CellLimits,
    /** Display label ("jail", "zone", "host"); no mechanism reads it. */
    readonly kind: string,
    persist = true,
  ) {
    this.persist = persist;
    this.partition = new Partition(parent?.partition ?? null);
    this.cpu = new CellCpu(id, parent?.cpu ?? null);
    this.unsafe = parent?.unsafe ?? SAFE;
    if (parent !== null) {
      parent.children.add(this);
      parent.childByName.set(this.leafName, this);
      for (let c: Cell | null = parent; c !== null; c = c.parent) c.descendantCount++;
    }
  }

  /** The last component of its name ("sub" for "www.sub"). */
  get leafName(): string {
    return this.name.slice(this.name.lastIndexOf('.') + 1);
  }

  /** Takes the cell (and everything below it) out of its parent. */
  detach(): void {
    const parent = this.parent;
    if (parent === null || !parent.children.delete(this)) return;
    if (parent.childByName.get(this.leafName) === this) parent.childByName.delete(this.leafName);
    for (let c: Cell | null = parent; c !== null; c = c.parent) c.descendantCount -= 1 + this.descendantCount;
  }

  /** Is `other` this cell or one of its descendants? (FreeBSD prison_ischild, plus self.) */
  contains(other: Cell): boolean {
    for (let c: Cell | null = other; c !== null; c = c.parent) if (c === this) return true;
    return false;
  }

  /** This cell's name as a process of `viewer` names it (FreeBSD prison_name). */
  nameFrom(viewer: Cell): string {
    if (viewer === this) return this.parent === null ? this.name : this.name.slice(this.name.lastIndexOf('.') + 1);
    if (viewer.parent === null) return this.name;
    return this.name.startsWith(viewer.name + '.') ? this.name.slice(viewer.name.length + 1) : this.name;
  }

  /** Number of descendants (FreeBSD children.cur). */
  get descendants(): number {
    return this.descendantCount;
  }

  /** Every descendant, depth first. */
  *below(): Generator<Cell> {
    for (const child of this.children) {
      yield child;
      yield* child.below();
    }
  }
}
