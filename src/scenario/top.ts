/**
 * `cellblock run --top`: a live table of the kernel's cells while a scenario runs, as top(1) or
 * prstat -Z show zones: CPU share over the last interval (percent of one CPU), memory,
 * processes, and refused charges (failcnt, all resources together), each from the cell's
 * partition, so a cell counts its descendants as every view does.
 *
 * Time is virtual: the table is sampled at the first moment the kernel is seen past each
 * interval boundary (every `interval` ticks), and once at the end. The kernel is seen through
 * two hooks that exist anyway: the trace (every syscall's end) and the scheduler's end-of-quantum
 * decision (renew), so a long compute is sampled within a quantum too. Sampling only reads
 * counters and wraps no decision: a run with --top schedules exactly as one without.
 * On a terminal the table stays below the transcript and is redrawn in place (ANSI); otherwise
 * each sample is printed as a block of plain lines.
 * State: the view's own (last sample per cell); the kernel's is only read.
 */
import type { Kernel } from '../kernel/kernel.js';
import type { Cell } from '../cells/cell.js';

export interface TopOptions {
  /** Virtual ticks between samples (default 1000, one virtual second). */
  readonly interval?: number;
  /** Redraw in place with ANSI escapes (a terminal), else print plain blocks. */
  readonly tty: boolean;
  /** Receives text to write to the output, newlines included. */
  readonly write: (text: string) => void;
}

export const DEFAULT_TOP_INTERVAL = 1000;

/** One row of the table. */
export interface TopRow {
  readonly name: string;
  /** Percent of one CPU over the interval. */
  readonly cpu: number;
  readonly memory: number;
  readonly processes: number;
  readonly failures: number;
}

export class TopView {
  private readonly interval: number;
  private next: number;
  private lastAt = 0;
  private readonly lastTicks = new WeakMap<Cell, number>();
  /** Each cell's CPU share in the last interval, shown again when no time has passed since. */
  private readonly lastCpu = new WeakMap<Cell, number>();
  /** Lines of the table on the terminal now (tty mode). */
  private drawn: string[] = [];

  constructor(
    private readonly k: Kernel,
    private readonly options: TopOptions,
  ) {
    this.interval = options.interval ?? DEFAULT_TOP_INTERVAL;
    this.next = this.interval;
    const inner = k.trace;
    k.trace = (line) => {
      inner?.(line);
      if (k.now >= this.next) this.sample();
    };
    const sched = k.sched;
    const renew = sched.renew.bind(sched);
    sched.renew = (p, cpu) => {
      const goOn = renew(p, cpu); // it has charged the ticks used so far to the cells
      if (k.now >= this.next) this.sample();
      return goOn;
    };
  }

  /** A transcript line: in tty mode the table moves down below it. */
  out(line: string): void {
    if (!this.options.tty) {
      this.options.write(`${line}\n`);
      return;
    }
    this.erase();
    this.options.write(`${line}\n`);
    this.draw(this.drawn);
  }

  /** The last sample, at the end of the run. */
  finish(): void {
    this.show(`top at tick ${this.k.now} (end)`, this.rows());
  }

  private sample(): void {
    const now = this.k.now;
    this.next = (Math.floor(now / this.interval) + 1) * this.interval;
    this.show(`top at tick ${now}`, this.rows());
  }

  /** Every live cell, by id, with its CPU share since the last sample. */
  rows(): TopRow[] {
    const now = this.k.now;
    const elapsed = now - this.lastAt;
    const rows: TopRow[] = [];
    for (const cell of [...this.k.cells.values()].sort((a, b) => a.id - b.id)) {
      if (cell.state !== 'alive') continue;
      const ticks = cell.cpu.ticks;
      const used = ticks - (this.lastTicks.get(cell) ?? 0);
      this.lastTicks.set(cell, ticks);
      const cpu = elapsed > 0 ? (used * 100) / elapsed : (this.lastCpu.get(cell) ?? 0);
      this.lastCpu.set(cell, cpu);
      const c = cell.partition.counters;
      let failures = 0;
      for (const counter of cell.partition.byIndex) failures += counter.failcnt;
      rows.push({ name: cell.name, cpu, memory: c.memory.usage, processes: c.processes.usage, failures });
    }
    this.lastAt = now;
    return rows;
  }

  private show(title: string, rows: readonly TopRow[]): void {
    const lines = formatTop(title, rows);
    if (!this.options.tty) {
      this.options.write(lines.map((l) => `${l}\n`).join(''));
      return;
    }
    this.erase();
    this.draw(lines);
  }

  private erase(): void {
    // Up to the table's first line, then clear to the end of the screen.
    if (this.drawn.length > 0) this.options.write(`\x1b[${this.drawn.length}F\x1b[J`);
  }

  private draw(lines: string[]): void {
    this.drawn = lines;
    if (lines.length > 0) this.options.write(lines.map((l) => `${l}\n`).join(''));
  }
}

/** The table's lines: a title, a header, a row per cell. */
export function formatTop(title: string, rows: readonly TopRow[]): string[] {
  const width = Math.max(12, ...rows.map((r) => r.name.length));
  const line = (name: string, cpu: string, mem: string, procs: string, fail: string): string =>
    `  ${name.padEnd(width)} ${cpu.padStart(6)} ${mem.padStart(7)} ${procs.padStart(6)} ${fail.padStart(6)}`;
  return [
    `= ${title}`,
    line('CELL', 'CPU%', 'MEM', 'PROCS', 'FAIL'),
    ...rows.map((r) => line(r.name, r.cpu.toFixed(1), size(r.memory), String(r.processes), String(r.failures))),
  ];
}

/** Bytes as top prints them: 512B, 12K, 1.5M, 3G. */
export function size(bytes: number): string {
  const units = ['B', 'K', 'M', 'G', 'T'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 || value >= 10 ? String(Math.round(value)) : value.toFixed(1);
  return `${text}${units[unit]!}`;
}
