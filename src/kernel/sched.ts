/**
 * The scheduler: a virtual clock per simulated CPU, a fair-share run queue (a tree of cells,
 * src/cells/cpu.ts), round-robin with a quantum inside a cell, caps, and timers for sleeping
 * processes. Deterministic: decisions depend only on the clocks, the queue order and the timer
 * order, never on real time.
 *
 * Only one process executes JavaScript at a time. A process runs until its quantum ends (and
 * someone else wants a CPU, or its cell's cap is spent), it blocks, or it exits; then `next()`
 * picks the CPU whose clock is lowest, fires the timers due by then, and hands that CPU the
 * process whose cell is furthest behind its share. A CPU with nothing to run jumps to the next
 * timer or cap refill. Events are thus ordered at quantum granularity across CPUs; on one CPU
 * the order is exact. Owned by the kernel; writes only scheduling fields.
 *
 * The fast path pays nothing for fairness: a syscall only counts ticks (useCpu); the ticks a
 * process used are charged to its cell's share at the next decision (settle), and a capped
 * process's quantum ends where its budget does, so a spent cap is always met on the slow path.
 */
import { KernelPanic } from './errno.js';
import type { Process } from '../proc/process.js';
import { charge, pick, queue, sliceEnd, throttled, unqueue, type CellCpu } from '../cells/cpu.js';

export interface Cpu {
  readonly id: number;
  /** Virtual time on this CPU, in ticks. */
  clock: number;
}

/** A sleeping process's wake-up (proc set), or a kernel event such as a packet arriving (event set). */
interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly proc: Process | null;
  readonly event: KernelEvent | null;
}

/**
 * Work the kernel does at a virtual time without a process: a frame arriving over a link, a
 * retransmission timeout. `due` is the time it is armed for (-1: not armed); as with sleeping
 * processes, a re-armed or cancelled event's old heap entry is skipped when it comes up.
 */
export interface KernelEvent {
  due: number;
  fire(at: number): void;
}

/** Disarms an event (its heap entry is dropped lazily). */
export function cancelEvent(event: KernelEvent): void {
  event.due = -1;
}

export type Pick =
  | { readonly kind: 'run'; readonly cpu: Cpu; readonly proc: Process }
  | { readonly kind: 'idle' };

/** The running process spends CPU: the one place ticks are counted (syscall costs, compute). */
export function useCpu(cpu: Cpu, p: Process, ticks: number): void {
  cpu.clock += ticks;
  p.cpuTicks += ticks;
}

export class Scheduler {
  readonly cpus: Cpu[];
  /** The host's CPU partition: the top of the run-queue tree (known from the first process queued). */
  private root: CellCpu | null = null;
  /** Sleeping processes' wake-ups, and kernel events: two heaps, so the next event is known at once. */
  private readonly timers: Timer[] = [];
  private readonly events: Timer[] = [];
  private timerSeq = 0;
  /** The process last given a CPU, where and since when, and its ticks not yet charged to its cell. */
  private running: Process | null = null;
  private runningOn: Cpu | null = null;
  private runStart = 0;
  private runTicks = 0;
  private readonly wake = { at: Infinity };

  constructor(
    cpus: number,
    readonly quantum: number,
  ) {
    if (!Number.isInteger(cpus) || cpus < 1) throw new RangeError(`cpus must be a positive integer, got ${cpus}`);
    if (!Number.isInteger(quantum) || quantum < 1) throw new RangeError(`quantum must be a positive integer, got ${quantum}`);
    this.cpus = Array.from({ length: cpus }, (_, id) => ({ id, clock: 0 }));
  }

  /** Latest time any CPU has reached: when events from outside the kernel happen. */
  get horizon(): number {
    let t = 0;
    for (const cpu of this.cpus) if (cpu.clock > t) t = cpu.clock;
    return t;
  }

  /** Does anybody want a CPU now (a runnable process, or a timer already due)? */
  contended(now: number): boolean {
    if (this.root !== null && this.root.queued > 0) return true;
    const timer = this.timers.length > 0 || this.events.length > 0 ? this.liveTimer() : undefined;
    return timer !== undefined && timer.at <= now;
  }

  enqueue(p: Process, readyAt: number): void {
    if (p.state === 'runnable') throw new KernelPanic(`pid ${p.pid} queued twice`);
    p.state = 'runnable';
    p.readyAt = readyAt;
    const cpu = p.cell.cpu;
    if (this.root === null) {
      let top = cpu;
      while (top.parent !== null) top = top.parent;
      this.root = top;
    }
    queue(p, cpu);
  }

  /** Removes a process from the run queue (it was killed or stopped). */
  dequeue(p: Process): void {
    unqueue(p, p.cell.cpu);
  }

  /**
   * Where the quantum of `p`, starting now on `cpu`, ends: cut short where a cap's budget does,
   * and where the next kernel event is due (so that it happens at its time, not at the end of
   * someone's quantum: a frame arrives before the receiver's peer does anything later).
   */
  sliceEnd(p: Process, cpu: Cpu): number {
    return Math.min(sliceEnd(p.cell.cpu, cpu.clock, this.quantum), liveTop(this.events)?.at ?? Infinity);
  }

  /**
   * The running process's quantum is over: may it go on? Yes, with a new quantum, when nobody
   * else wants a CPU and its cell's cap has budget left; no, and it should be preempted, else.
   */
  renew(p: Process, cpu: Cpu): boolean {
    this.settle();
    if (this.contended(cpu.clock) || throttled(p.cell.cpu, cpu.clock)) return false;
    p.sliceEnd = this.sliceEnd(p, cpu);
    return true;
  }

  /** Charges the ticks the running process used since the last decision to its cell. */
  settle(): void {
    const p = this.running;
    if (p === null) return;
    const ticks = p.cpuTicks - this.runTicks;
    if (ticks > 0) charge(p.cell.cpu, ticks, this.runStart);
    this.runTicks = p.cpuTicks;
    this.runStart = this.runningOn!.clock;
  }

  addTimer(p: Process, at: number): void {
    p.wakeAt = at;
    heapPush(this.timers, { at, seq: this.timerSeq++, proc: p, event: null });
  }

  /** Runs `event` at virtual time `at` (fired at the scheduling decision that reaches it). */
  addEvent(event: KernelEvent, at: number): void {
    if (event.due === at) return;
    event.due = at;
    // The running process's quantum ends where the event is due, so the event happens at its
    // time, before anything that process does later (a frame's ACK before the next send).
    const p = this.running;
    if (p !== null && at < p.sliceEnd) p.sliceEnd = at;
    heapPush(this.events, { at, seq: this.timerSeq++, proc: null, event });
  }

  /**
   * Chooses what runs next. `fire` is called for each timer that is due (the kernel wakes the
   * sleeper if it still sleeps until that time).
   */
  next(fire: (p: Process, at: number) => void): Pick {
    this.settle();
    this.running = null;
    const wake = this.wake;
    for (;;) {
      const cpu = this.lowestCpu();
      this.fireDue(cpu.clock, fire);
      wake.at = Infinity;
      const p = this.root !== null && this.root.queued > 0 ? pick(this.root, cpu.clock, wake) : null;
      if (p !== null) {
        this.running = p;
        this.runningOn = cpu;
        this.runStart = cpu.clock;
        this.runTicks = p.cpuTicks;
        return { kind: 'run', cpu, proc: p };
      }
      // Nothing to run now: bring the lowest CPU forward to the next timer, cap refill, or
      // process ready (one still running on a later CPU clock).
      const at = Math.min(this.liveTimer()?.at ?? Infinity, wake.at);
      if (at === Infinity) return { kind: 'idle' };
      if (at > cpu.clock) cpu.clock = at;
    }
  }

  /** The earliest live timer or event (cancelled ones are dropped lazily). */
  private liveTimer(): Timer | undefined {
    const timer = liveTop(this.timers);
    const event = liveTop(this.events);
    if (timer === undefined) return event;
    return event !== undefined && before(event, timer) ? event : timer;
  }

  private lowestCpu(): Cpu {
    const cpus = this.cpus;
    let best = cpus[0]!;
    for (let i = 1; i < cpus.length; i++) if (cpus[i]!.clock < best.clock) best = cpus[i]!;
    return best;
  }

  /** Fires every timer and event due by `now`, in time order (ties: in the order they were set). */
  private fireDue(now: number, fire: (p: Process, at: number) => void): void {
    for (;;) {
      const next = this.liveTimer();
      if (next === undefined || next.at > now) return;
      if (next.proc !== null) {
        heapPop(this.timers);
        fire(next.proc, next.at);
      } else {
        heapPop(this.events);
        next.event!.due = -1;
        next.event!.fire(next.at);
      }
    }
  }
}

/** The top of a heap once dead entries (cancelled, re-armed) are dropped. */
function liveTop(heap: Timer[]): Timer | undefined {
  while (heap.length > 0 && !live(heap[0]!)) heapPop(heap);
  return heap[0];
}

function heapPush(heap: Timer[], timer: Timer): void {
  heap.push(timer);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (before(heap[parent]!, timer)) break;
    heap[i] = heap[parent]!;
    i = parent;
  }
  heap[i] = timer;
}

function heapPop(heap: Timer[]): Timer {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length > 0) {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      let mv = last;
      if (l < heap.length && before(heap[l]!, mv)) {
        m = l;
        mv = heap[l]!;
      }
      if (r < heap.length && before(heap[r]!, mv)) m = r;
      if (m === i) break;
      heap[i] = heap[m]!;
      i = m;
    }
    heap[i] = last;
  }
  return top;
}

function live(timer: Timer): boolean {
  return timer.proc !== null ? timer.proc.wakeAt === timer.at : timer.event!.due === timer.at;
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
