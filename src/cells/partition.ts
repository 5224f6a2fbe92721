/**
 * Resource partitions: each cell has one, and a charge walks from the cell up through its
 * ancestors, failing if any of them would go over its hard limit, with nothing left
 * half-charged (a child jail's usage counts against its parent, as racct does). Each resource
 * keeps what OpenVZ's user beancounters keep: usage, peak (maxheld), barrier (soft limit),
 * limit (hard) and failcnt. Only the syscall boundary charges (kernel.ts admission); release
 * paths uncharge. Owned by the cells subsystem.
 */
import type { Errno } from '../kernel/errno.js';
import type { ResourceName, ResourceUsage } from '../kernel/abi.js';

/** The resources a partition accounts, the errno a refused charge gives, and their unit. */
export const RESOURCES = {
  processes: { errno: 'EAGAIN', unit: 'processes', doc: 'processes (spawn)' },
  openFiles: { errno: 'EMFILE', unit: 'descriptors', doc: 'open descriptors (open, dup, pipe, spawn)' },
  memory: { errno: 'ENOMEM', unit: 'bytes', doc: 'process memory and kernel buffers' },
  disk: { errno: 'EDQUOT', unit: 'bytes', doc: 'bytes of files on the cell\'s filesystems (write, truncate)' },
  inodes: { errno: 'EDQUOT', unit: 'inodes', doc: 'files, directories and symlinks created (open O_CREAT, mkdir, symlink)' },
  sockets: { errno: 'ENOBUFS', unit: 'sockets', doc: 'sockets' },
  ipc: { errno: 'ENOSPC', unit: 'objects', doc: 'SysV IPC message queues and shared memory segments' },
} as const satisfies Record<string, { errno: Errno; unit: string; doc: string }>;

export type Resource = keyof typeof RESOURCES;
// The ABI names the same set; this line fails to compile if the two drift apart.
const sameNames: Record<ResourceName, true> = { processes: true, openFiles: true, memory: true, disk: true, inodes: true, sockets: true, ipc: true } satisfies Record<Resource, true>;
void sameNames;
export const RESOURCE_NAMES = Object.keys(RESOURCES) as Resource[];
/** Each resource's position in Partition.byIndex (the admission fast path indexes, not names). */
export const RESOURCE_INDEX: Readonly<Record<Resource, number>> = Object.fromEntries(RESOURCE_NAMES.map((name, i) => [name, i])) as Record<Resource, number>;

/** Where each figure of resource `i` sits in a partition's `figures`: FIGURE + i. */
const COUNT = RESOURCE_NAMES.length;
const USAGE = 0;
const PEAK = COUNT;
const BARRIER = 2 * COUNT;
const LIMIT = 3 * COUNT;
const FAILCNT = 4 * COUNT;
/** The errno a refused charge of resource `i` gives. */
const ERRNO_BY_INDEX: readonly Errno[] = RESOURCE_NAMES.map((name) => RESOURCES[name].errno);

/**
 * One resource's figures, read and written in place in its partition's `figures` (views and
 * limit changes go through these; the boundary's charges index `figures` directly).
 */
export class Counter {
  constructor(
    private readonly figures: Float64Array,
    private readonly index: number,
  ) {}

  get usage(): number {
    return this.figures[USAGE + this.index]!;
  }
  /** The highest usage: the last one recorded by a give-back, or the present one. */
  get peak(): number {
    return Math.max(this.figures[PEAK + this.index]!, this.figures[USAGE + this.index]!);
  }
  /** Soft limit (OpenVZ barrier): reported, not enforced. */
  get barrier(): number {
    return this.figures[BARRIER + this.index]!;
  }
  set barrier(value: number) {
    this.figures[BARRIER + this.index] = value;
  }
  /** Hard limit: a charge that would pass it is refused. */
  get limit(): number {
    return this.figures[LIMIT + this.index]!;
  }
  set limit(value: number) {
    this.figures[LIMIT + this.index] = value;
  }
  get failcnt(): number {
    return this.figures[FAILCNT + this.index]!;
  }
}

export type Limits = Partial<Record<Resource, number>>;

/** A rule that acts (log, or a signal) rather than refuses, when usage passes its amount. */
export interface Alert {
  readonly index: number;
  readonly amount: number;
  /** 'log', or a signal number. */
  readonly action: 'log' | number;
  /** The rule as a user wrote it, for messages. */
  readonly text: string;
  /** The cell the rule is on, for messages. */
  readonly cellName: string;
  /** Processes already signalled by this rule (signals fire once per process). */
  readonly signalled: WeakSet<object>;
}

export class Partition {
  readonly counters: Readonly<Record<Resource, Counter>>;
  /** The same counters by RESOURCE_INDEX. */
  readonly byIndex: readonly Counter[];
  /** Log and signal rules (deny rules are limits). */
  alerts: readonly Alert[] = [];

  /**
   * Every figure of every resource in one flat array (usage, peak, barrier, limit, failcnt,
   * each a run of RESOURCE_NAMES.length): a charge is a few indexed loads and stores, with no
   * boxed numbers and no write barriers, and a partition is one allocation's worth of numbers.
   */
  readonly figures = new Float64Array(5 * COUNT);

  constructor(readonly parent: Partition | null) {
    this.figures.fill(Infinity, BARRIER, FAILCNT);
    const counters = {} as Record<Resource, Counter>;
    RESOURCE_NAMES.forEach((name, i) => (counters[name] = new Counter(this.figures, i)));
    this.counters = counters;
    this.byIndex = RESOURCE_NAMES.map((name) => counters[name]);
  }

  /**
   * Charges `amount` of `resource` here and in every ancestor, or nowhere. Returns the errno
   * when some partition on the way would pass its limit (its failcnt counts the refusal).
   */
  charge(resource: Resource, amount: number): Errno | undefined {
    return this.chargeAt(RESOURCE_INDEX[resource], amount);
  }

  uncharge(resource: Resource, amount: number): void {
    if (amount > 0) addUp(this, RESOURCE_INDEX[resource], -amount);
  }

  /**
   * Adds usage carried over from saved state here and up the ancestors, with no limit check:
   * it was admitted when it was made (a limit lowered since refuses only new charges).
   */
  carry(resource: Resource, amount: number): void {
    if (amount > 0) addUp(this, RESOURCE_INDEX[resource], amount);
  }

  /**
   * charge(), by resource index: what the boundary calls on every charging syscall. A partition
   * without a parent (the host's) is charged inline: the chain walk is the common cost.
   */
  chargeAt(index: number, amount: number): Errno | undefined {
    if (!(amount > 0)) return undefined;
    if (this.parent !== null) return chargeChain(this, index, amount);
    const f = this.figures;
    const usage = f[USAGE + index]! + amount;
    if (usage > f[LIMIT + index]!) {
      f[FAILCNT + index]!++;
      return ERRNO_BY_INDEX[index];
    }
    f[USAGE + index] = usage;
    return undefined;
  }

  /**
   * One unit of each resource in `indexes` (a row's unit charges), here and up, or none of
   * them: the refusing resource's errno. The boundary's fast path: one call per syscall.
   */
  chargeUnits(indexes: readonly number[]): Errno | undefined {
    if (this.parent !== null) return chargeUnitsChain(this, indexes);
    const f = this.figures;
    for (let i = 0; i < indexes.length; i++) {
      const index = indexes[i]!;
      const usage = f[USAGE + index]! + 1;
      if (usage > f[LIMIT + index]!) {
        f[FAILCNT + index]!++;
        for (let j = 0; j < i; j++) f[USAGE + indexes[j]!]!--;
        return ERRNO_BY_INDEX[index];
      }
      f[USAGE + index] = usage;
    }
    return undefined;
  }

  unchargeAt(index: number, amount: number): void {
    if (amount > 0) addUp(this, index, -amount);
  }

  /** A copy of every counter, for views and cell_get. */
  snapshot(): Record<Resource, ResourceUsage> {
    const out = {} as Record<Resource, ResourceUsage>;
    for (const name of RESOURCE_NAMES) {
      const c = this.counters[name];
      out[name] = { usage: c.usage, peak: c.peak, barrier: c.barrier, limit: c.limit, failcnt: c.failcnt };
    }
    return out;
  }

  /** Sets soft limits (barriers): shown beside usage, never enforced. */
  setBarriers(barriers: Limits): void {
    for (const [name, value] of Object.entries(barriers) as [Resource, number][]) this.counters[name].barrier = value;
  }

  /** Sets hard limits (live: lowering below usage refuses new charges and takes nothing away). */
  setLimits(limits: Limits): void {
    for (const [name, value] of Object.entries(limits) as [Resource, number][]) this.counters[name].limit = value;
  }
}

/**
 * Charges `amount` from `start` up; a refusal (rare) takes back what the pass added below the
 * partition that refused, counts the failure there, and returns the errno. Peaks move only
 * once the whole chain has taken the charge.
 */
function chargeChain(start: Partition, index: number, amount: number): Errno | undefined {
  for (let q: Partition | null = start; q !== null; q = q.parent) {
    const f = q.figures;
    const usage = f[USAGE + index]! + amount;
    if (usage > f[LIMIT + index]!) {
      f[FAILCNT + index]!++;
      takeBack(start, index, amount, q);
      return ERRNO_BY_INDEX[index];
    }
    f[USAGE + index] = usage;
  }
  return undefined;
}

/** chargeUnits() for a partition with ancestors: resource by resource, undone on a refusal. */
function chargeUnitsChain(start: Partition, indexes: readonly number[]): Errno | undefined {
  for (let i = 0; i < indexes.length; i++) {
    const refused = chargeChain(start, indexes[i]!, 1);
    if (refused !== undefined) {
      for (let j = 0; j < i; j++) takeBack(start, indexes[j]!, 1, null);
      return refused;
    }
  }
  return undefined;
}

/** Undoes a charge this pass made, from `start` up to (not including) `end`: no peak is recorded. */
function takeBack(start: Partition, index: number, amount: number, end: Partition | null): void {
  for (let q: Partition | null = start; q !== end; q = q!.parent) q!.figures[USAGE + index]! -= amount;
}

/**
 * Adds `amount` (negative to give back) to `start` and every ancestor. A give-back first
 * records the usage it ends as a peak: usage only falls here, so its highest value is either
 * one recorded so or the present one (charges need not touch peaks; Counter.peak takes both).
 */
function addUp(start: Partition, index: number, amount: number): void {
  for (let q: Partition | null = start; q !== null; q = q.parent) {
    const f = q.figures;
    const before = f[USAGE + index]!;
    if (amount < 0 && before > f[PEAK + index]!) f[PEAK + index] = before;
    f[USAGE + index] = before + amount;
  }
}
