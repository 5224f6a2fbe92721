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

export class Counter {
  usage = 0;
  peak = 0;
  /** Soft limit (OpenVZ barrier): reported, not enforced. */
  barrier = Infinity;
  /** Hard limit: a charge that would pass it is refused. */
  limit = Infinity;
  failcnt = 0;
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

  constructor(readonly parent: Partition | null) {
    const counters = {} as Record<Resource, Counter>;
    for (const name of RESOURCE_NAMES) counters[name] = new Counter();
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
    const c = this.byIndex[index]!;
    const usage = c.usage + amount;
    if (usage > c.limit) {
      c.failcnt++;
      return RESOURCES[RESOURCE_NAMES[index]!].errno;
    }
    c.usage = usage;
    if (usage > c.peak) c.peak = usage;
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
    const c = q.byIndex[index]!;
    c.usage += amount;
    if (c.usage > c.limit) {
      c.usage -= amount;
      c.failcnt++;
      for (let r: Partition = start; r !== q; r = r.parent!) r.byIndex[index]!.usage -= amount;
      return RESOURCES[RESOURCE_NAMES[index]!].errno;
    }
  }
  for (let q: Partition | null = start; q !== null; q = q.parent) {
    const c = q.byIndex[index]!;
    if (c.usage > c.peak) c.peak = c.usage;
  }
  return undefined;
}

/** Adds `amount` (negative to give back) to `start` and every ancestor, keeping peaks. */
function addUp(start: Partition, index: number, amount: number): void {
  for (let q: Partition | null = start; q !== null; q = q.parent) {
    const c = q.byIndex[index]!;
    c.usage += amount;
    if (c.usage > c.peak) c.peak = c.usage;
  }
}
