/**
 * Timing helpers for the benchmark. Benchmarks live outside src/, so they may read real time:
 * process.hrtime.bigint(), monotonic, nanoseconds.
 *
 * A Loop performs `n` operations and resolves when done. `compare` warms both loops up, then
 * runs them alternately for several rounds (the order flips every round, so neither side always
 * runs on a freshly collected or a dirty heap) and reports the median rate of each.
 */

/** Runs `n` operations. */
export type Loop = (n: number) => Promise<void>;

export interface Samples {
  /** Operations per second, one per round, in the order measured. */
  readonly rates: number[];
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface Comparison {
  readonly subject: Samples;
  readonly baseline: Samples;
  /**
   * Baseline rate ÷ subject rate: how many times longer one subject operation takes than one
   * baseline operation (1.00x: as fast; 2.00x: twice the time).
   */
  readonly ratio: number;
}

export interface CompareOptions {
  /** Operations per measured round. */
  readonly n: number;
  /** Measured rounds (the median is reported). */
  readonly rounds: number;
  /** Operations per warm-up run; two warm-up runs of each loop precede measurement. */
  readonly warmup: number;
}

/** Times one run of `loop(n)`; returns operations per second. */
export async function rate(loop: Loop, n: number): Promise<number> {
  const start = process.hrtime.bigint();
  await loop(n);
  const ns = Number(process.hrtime.bigint() - start);
  return (n * 1e9) / ns;
}

export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function samples(rates: number[]): Samples {
  return { rates, median: median(rates), min: Math.min(...rates), max: Math.max(...rates) };
}

/** Measures `subject` against `baseline`, interleaved, after warming both up. */
export async function compare(subject: Loop, baseline: Loop, options: CompareOptions): Promise<Comparison> {
  for (let i = 0; i < 2; i++) {
    await baseline(options.warmup);
    await subject(options.warmup);
  }
  const s: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < options.rounds; r++) {
    if (r % 2 === 0) {
      b.push(await rate(baseline, options.n));
      s.push(await rate(subject, options.n));
    } else {
      s.push(await rate(subject, options.n));
      b.push(await rate(baseline, options.n));
    }
  }
  const subjectSamples = samples(s);
  const baselineSamples = samples(b);
  return { subject: subjectSamples, baseline: baselineSamples, ratio: baselineSamples.median / subjectSamples.median };
}

// ---- formatting --------------------------------------------------------------------------

/** 4123456.7 → "4,123,457". */
export function fmtRate(opsPerSecond: number): string {
  return Math.round(opsPerSecond).toLocaleString('en-US');
}

/** 1.4234 → "1.42x". */
export function fmtRatio(ratio: number): string {
  return `${ratio.toFixed(2)}x`;
}

/** Spread of the rounds around the median, as "±3%" (half the min–max range over the median). */
export function fmtSpread(s: Samples): string {
  return `±${(((s.max - s.min) / 2 / s.median) * 100).toFixed(0)}%`;
}

/** A plain text table: the first row is the header; numeric-looking cells are right-aligned. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const numeric = /^[-+±~≥≤<>]?[\d,.]+(x|%|\/s)?$/;
  const line = (row: readonly string[]): string =>
    row
      .map((cell, i) => (numeric.test(cell) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const [head, ...body] = rows;
  if (head === undefined) return '';
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(head), rule, ...body.map(line)].join('\n');
}

/** A benchmark case: what is measured against what, and its target. */
export interface Case {
  readonly name: string;
  readonly subjectLabel: string;
  readonly baselineLabel: string;
  readonly n: number;
  readonly warmup: number;
  readonly subject: Loop;
  readonly baseline: Loop;
  /** Highest acceptable ratio (none: a figure to report, with no target), and the lowest acceptable subject rate if any. */
  readonly maxRatio?: number;
  readonly minRate?: number;
}
