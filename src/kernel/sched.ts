/**
 * The scheduler: a virtual clock per simulated CPU, one FIFO run queue, round-robin with a
 * quantum, and timers for sleeping processes. Deterministic: decisions depend only on the
 * clocks, the queue order and the timer order, never on real time.
 *
 * Only one process executes JavaScript at a time. A process runs until its quantum ends (and
 * someone else wants a CPU), it blocks, or it exits; then `next()` picks the CPU whose clock is
 * lowest, fires the timers due by then, and hands that CPU the head of the run queue. A CPU with
 * nothing to run jumps to the next timer. Events are thus ordered at quantum granularity across
 * CPUs; on one CPU the order is exact. Owned by the kernel; writes only scheduling fields.
 */
import { KernelPanic } from './errno.js';
import type { Process } from '../proc/process.js';

export interface Cpu {
  readonly id: number;
  /** Virtual time on this CPU, in ticks. */
  clock: number;
}

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly proc: Process;
}

export type Pick =
  | { readonly kind: 'run'; readonly cpu: Cpu; readonly proc: Process }
  | { readonly kind: 'idle' };

export class Scheduler {
  readonly cpus: Cpu[];
  private runq: Process[] = [];
  private runqHead = 0;
  private timers: Timer[] = [];
  private timerSeq = 0;

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
    if (this.runqHead < this.runq.length) return true;
    const timer = this.timers.length > 0 ? this.liveTimer() : undefined;
    return timer !== undefined && timer.at <= now;
  }

  enqueue(p: Process, readyAt: number): void {
    if (p.state === 'runnable') throw new KernelPanic(`pid ${p.pid} queued twice`);
    p.state = 'runnable';
    p.readyAt = readyAt;
    this.runq.push(p);
  }

  /** Removes a process from the run queue (it was killed or stopped). */
  dequeue(p: Process): void {
    const at = this.runq.indexOf(p, this.runqHead);
    if (at >= 0) this.runq.splice(at, 1);
  }

  addTimer(p: Process, at: number): void {
    p.wakeAt = at;
    const timer = { at, seq: this.timerSeq++, proc: p };
    const heap = this.timers;
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

  /**
   * Chooses what runs next. `fire` is called for each timer that is due (the kernel wakes the
   * sleeper if it still sleeps until that time).
   */
  next(fire: (p: Process, at: number) => void): Pick {
    for (;;) {
      const cpu = this.lowestCpu();
      this.fireDue(cpu.clock, fire);
      if (this.runqHead < this.runq.length) {
        const p = this.runq[this.runqHead++]!;
        if (this.runqHead > 1024 && this.runqHead * 2 > this.runq.length) {
          this.runq = this.runq.slice(this.runqHead);
          this.runqHead = 0;
        }
        if (p.readyAt > cpu.clock) cpu.clock = p.readyAt;
        return { kind: 'run', cpu, proc: p };
      }
      const timer = this.liveTimer();
      if (timer === undefined) return { kind: 'idle' };
      // Nothing to run: every CPU is idle, so bring the lowest one forward to the next timer.
      if (timer.at > cpu.clock) cpu.clock = timer.at;
    }
  }

  /** The earliest timer whose sleeper still waits for it (cancelled ones are dropped lazily). */
  private liveTimer(): Timer | undefined {
    while (this.timers.length > 0 && this.timers[0]!.proc.wakeAt !== this.timers[0]!.at) this.popTimer();
    return this.timers[0];
  }

  private lowestCpu(): Cpu {
    const cpus = this.cpus;
    let best = cpus[0]!;
    for (let i = 1; i < cpus.length; i++) if (cpus[i]!.clock < best.clock) best = cpus[i]!;
    return best;
  }

  private fireDue(now: number, fire: (p: Process, at: number) => void): void {
    const heap = this.timers;
    while (heap.length > 0 && heap[0]!.at <= now) {
      const timer = this.popTimer();
      if (timer.proc.wakeAt === timer.at) fire(timer.proc, timer.at);
    }
  }

  private popTimer(): Timer {
    const heap = this.timers;
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
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
