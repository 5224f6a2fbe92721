/**
 * A cell's CPU partition: fair shares and a cap, after Solaris FSS (zone.cpu-shares, capped-cpu)
 * and Linux CFS group scheduling (cpu.weight, cpu.max).
 *
 * Shares: a cell competes with its siblings (and with its parent's own processes) by virtual
 * runtime, the CPU ticks it used divided by its shares; the scheduler runs the one furthest
 * behind, so under contention each gets shares / (shares of the siblings with runnable work).
 * Idle siblings take nothing, and a sibling that wakes starts at the others' minimum, so it
 * cannot bank credit while idle. A cell's own processes form one more group below it, with
 * the cell's shares; inside that group they take turns.
 *
 * Cap: percent of one CPU (150 is one and a half), a budget of cap% of each CPU_PERIOD ticks.
 * A cell over its budget (or under an ancestor over its own) does not run until the next
 * period, even with CPUs idle; time it overran is owed to the next period, so the long-run rate
 * never passes the cap. State is written by the scheduler (usage) and cell calls (settings).
 */
import { fail } from '../kernel/errno.js';
import type { Process } from '../proc/process.js';

/** Virtual ticks of one cap period (Linux cpu.max's default period, 100 ms, at 1 tick = 1 ms). */
export const CPU_PERIOD = 100;
/** Solaris zone.cpu-shares: a zone has 1 unless configured (the global zone too). */
export const DEFAULT_CPU_SHARES = 1;
/** FSS_MAXSHARES. */
export const MAX_CPU_SHARES = 65535;

export class CellCpu {
  shares = DEFAULT_CPU_SHARES;
  /** Percent of one CPU, or null for none. */
  cap: number | null = null;
  /** CPU ticks used by the cell's processes and its descendants'. */
  ticks = 0;

  /** As one of its parent's groups: ticks used / shares, placed at the floor when it wakes. */
  vruntime = 0;
  /** Its own processes as one group among its children. */
  ownVruntime = 0;
  /** Lowest virtual runtime its groups have reached (only rises): where a waking group starts. */
  floor = 0;
  /** Its own runnable processes, in turn order. */
  readonly runq: Process[] = [];
  /** Runnable processes here and below. */
  queued = 0;
  /** Children with runnable processes. */
  readonly busy = new Set<CellCpu>();
  /** Found over its cap by the last pick: it neither competes nor holds the floor back. */
  throttled = false;

  /** Cap accounting: the period it is in (CPU_PERIOD ticks each) and the ticks used in it. */
  period = 0;
  used = 0;

  constructor(
    /** For a stable order among equals. */
    readonly id: number,
    readonly parent: CellCpu | null,
  ) {}

  /** Ticks it may use per period, or Infinity without a cap. */
  get budget(): number {
    return this.cap === null ? Infinity : (this.cap * CPU_PERIOD) / 100;
  }

  /**
   * Moves the cap accounting to the period holding `now` (never back: CPUs' clocks differ a
   * little) and returns the ticks left in it; each period gone by pays its budget off the debt.
   */
  left(now: number): number {
    if (this.cap === null) return Infinity;
    const period = Math.floor(now / CPU_PERIOD);
    if (period > this.period) {
      this.used = Math.max(0, this.used - this.budget * (period - this.period));
      this.period = period;
    }
    return this.budget - this.used;
  }

  /** When a throttled cell gets budget again. */
  get refill(): number {
    return (this.period + 1) * CPU_PERIOD;
  }
}

/** CPU settings as cell_create and cell_set take them, checked (cap null: remove it). */
export interface CpuSettings {
  readonly shares?: number;
  readonly cap?: number | null;
}

/**
 * Checks `limits.cpuShares` and `limits.cpuCap` for a child of `parent`: shares an integer
 * 1..65535 (EINVAL), a cap a positive percent (EINVAL) not above the lowest cap over the child
 * (EPERM, as a limit above the parent's); Infinity removes the cell's own cap.
 */
export function cpuOf(shares: unknown, cap: unknown, parent: CellCpu): CpuSettings {
  const out: { shares?: number; cap?: number | null } = {};
  if (shares !== undefined) {
    if (typeof shares !== 'number' || !Number.isInteger(shares) || shares < 1 || shares > MAX_CPU_SHARES) {
      throw fail('EINVAL', undefined, `cpuShares: not an integer from 1 to ${MAX_CPU_SHARES}`);
    }
    out.shares = shares;
  }
  if (cap !== undefined) {
    if (typeof cap !== 'number' || Number.isNaN(cap) || cap <= 0) throw fail('EINVAL', undefined, 'cpuCap: not a positive percent');
    const above = lowestCap(parent);
    if (cap !== Infinity && above !== null && cap > above) throw fail('EPERM');
    out.cap = cap === Infinity ? null : cap;
  }
  return out;
}

export function setCpu(cpu: CellCpu, settings: CpuSettings): void {
  if (settings.shares !== undefined) cpu.shares = settings.shares;
  if (settings.cap !== undefined) {
    if (cpu.cap === null) cpu.used = 0; // a new cap starts with a full budget
    cpu.cap = settings.cap;
  }
}

/** The lowest cap on a cell and its ancestors, or null. */
function lowestCap(cpu: CellCpu): number | null {
  let cap: number | null = null;
  for (let c: CellCpu | null = cpu; c !== null; c = c.parent) if (c.cap !== null && (cap === null || c.cap < cap)) cap = c.cap;
  return cap;
}

// ---- the run-queue tree: written by the scheduler only -----------------------------------------

/** Queues `p` in its cell; each group that had nothing runnable starts at its parent's floor. */
export function queue(p: Process, cpu: CellCpu): void {
  if (cpu.runq.length === 0 && cpu.ownVruntime < cpu.floor) cpu.ownVruntime = cpu.floor;
  cpu.runq.push(p);
  for (let c = cpu; ; ) {
    c.queued++;
    const parent = c.parent;
    if (parent === null) return;
    if (c.queued === 1) {
      if (c.vruntime < parent.floor) c.vruntime = parent.floor;
      parent.busy.add(c);
    }
    c = parent;
  }
}

/** Takes `p` off its cell's queue (killed or stopped); false when it was not there. */
export function unqueue(p: Process, cpu: CellCpu): boolean {
  const at = cpu.runq.indexOf(p);
  if (at < 0) return false;
  cpu.runq.splice(at, 1);
  left(cpu);
  return true;
}

/** One process less runnable at and above `cpu`. */
function left(cpu: CellCpu): void {
  for (let c: CellCpu | null = cpu; c !== null; c = c.parent) {
    c.queued--;
    if (c.queued === 0) c.parent?.busy.delete(c);
  }
}

/**
 * The process to run at `now`: from the host down, the group with the least virtual runtime
 * among those with runnable work and budget left (a cell's own processes before its children on
 * a tie, then lower ids), and the first in turn inside it that is ready by `now` (one queued at
 * a later time is still running on another CPU's clock). Null when nothing can run at `now`;
 * `wake.at` then says when something can: a budget refills or a process gets ready. (`cpu`
 * itself is the host: never capped.)
 */
export function pick(cpu: CellCpu, now: number, wake: { at: number }): Process | null {
  const groups: CellCpu[] = [];
  for (const child of cpu.busy) {
    if (child.left(now) <= 0) {
      // Throttled: out of the race, as if asleep; it rejoins at the floor, with no credit.
      child.throttled = true;
      if (child.refill < wake.at) wake.at = child.refill;
      continue;
    }
    if (child.throttled) {
      child.throttled = false;
      if (child.vruntime < cpu.floor) child.vruntime = cpu.floor;
    }
    groups.push(child);
  }
  if (groups.length > 1) groups.sort((a, b) => a.vruntime - b.vruntime || a.id - b.id);
  // Its own group takes its place in that order.
  let own = cpu.runq.length > 0;
  for (const child of groups) {
    if (own && cpu.ownVruntime <= child.vruntime) {
      const p = takeOwn(cpu, now, wake);
      if (p !== null) return p;
      own = false;
    }
    const p = pick(child, now, wake);
    if (p !== null) return p;
  }
  return own ? takeOwn(cpu, now, wake) : null;
}

/** The first of the cell's own processes ready by `now`, off the queue. */
function takeOwn(cpu: CellCpu, now: number, wake: { at: number }): Process | null {
  const runq = cpu.runq;
  for (let i = 0; i < runq.length; i++) {
    const p = runq[i]!;
    if (p.readyAt <= now) {
      runq.splice(i, 1);
      left(cpu);
      return p;
    }
    if (p.readyAt < wake.at) wake.at = p.readyAt;
  }
  return null;
}

/**
 * The end of a slice starting at `now` for a process of `cpu`: at most `quantum` ticks, cut at
 * the least budget left along its ancestors' caps and at the period's end (so a capped slice's
 * ticks fall in one period); at least one tick, to keep the clock whole.
 */
export function sliceEnd(cpu: CellCpu, now: number, quantum: number): number {
  let room = quantum;
  for (let c: CellCpu | null = cpu; c !== null; c = c.parent) {
    if (c.cap === null) continue;
    room = Math.min(room, Math.ceil(c.left(now)), c.refill - now);
  }
  return now + Math.max(1, room);
}

/** Is some cap on the way from `cpu` up spent at `now`? */
export function throttled(cpu: CellCpu, now: number): boolean {
  for (let c: CellCpu | null = cpu; c !== null; c = c.parent) if (c.cap !== null && c.left(now) <= 0) return true;
  return false;
}

/**
 * Charges `ticks` of CPU, used from time `at`, to a process of `cpu`: ticks and cap budgets up
 * the chain, and virtual runtime to each group on the way (its own processes' group at the
 * bottom, each cell as a group of its parent above), raising the floors.
 */
export function charge(cpu: CellCpu, ticks: number, at: number): void {
  cpu.ownVruntime += ticks / cpu.shares;
  raiseFloor(cpu, cpu.ownVruntime);
  for (let c: CellCpu | null = cpu; c !== null; c = c.parent) {
    c.ticks += ticks;
    if (c.cap !== null) {
      c.left(at);
      c.used += ticks;
    }
    if (c.parent !== null) {
      c.vruntime += ticks / c.shares;
      raiseFloor(c.parent, c.vruntime);
    }
  }
}

/** The floor rises to the least virtual runtime among the groups still competing under `cpu`. */
function raiseFloor(cpu: CellCpu, ran: number): void {
  let low = ran;
  if (cpu.runq.length > 0 && cpu.ownVruntime < low) low = cpu.ownVruntime;
  for (const child of cpu.busy) if (!child.throttled && child.vruntime < low) low = child.vruntime;
  if (low > cpu.floor) cpu.floor = low;
}
