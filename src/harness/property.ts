/**
 * What a property is and how one run of it goes. A property draws its input (generated programs,
 * which cells play which part) from a fast-check arbitrary seeded by the run's seed, builds its
 * worlds over the public API, and says pass, or a violation with its evidence. A failing input
 * is shrunk by fast-check to a small one before it is reported, and the report carries the
 * command that replays exactly that run. Runs are independent: each makes its own kernels, so
 * the same (target, property, seed) always gives the same result, in any worker.
 * No state beyond the run's own.
 */
import fc from 'fast-check';
import type { Mechanism } from '../kernel/unsafe.js';
import type { ChannelReport } from './channels.js';
import type { Target } from './target.js';

export interface RunContext {
  readonly target: Target;
  /** The run's seed: it seeds the input and every kernel the run boots. */
  readonly seed: number;
  /** Test-only: mechanisms switched off in every kernel the run boots. */
  readonly unsafe?: readonly Mechanism[];
}

export interface Violation {
  /** One line: what broke. */
  readonly summary: string;
  /** Lines that show it: the differing observations, the changed state, the failed calls. */
  readonly evidence: readonly string[];
}

/** What one check of one input found. */
export interface Outcome {
  readonly violation?: Violation;
  /** Declared channels: where they were declared and what went through them. */
  readonly channels?: readonly ChannelReport[];
  /** Measurements (efficiency's share and overhead, say). */
  readonly metrics?: Readonly<Record<string, number>>;
  /** Files a failure leaves for the user (a fuzz scenario): path relative to the report, content. */
  readonly artifacts?: readonly Artifact[];
}

export interface Artifact {
  readonly name: string;
  readonly content: string;
}

export interface Property<I> {
  readonly name: string;
  /** One line for tables and --help. */
  readonly title: string;
  /** What it claims, how it checks it, and what it tolerates. */
  readonly doc: string;
  /** Mechanisms it relies on: switching one off (BootOptions.unsafe) can make it fail. */
  readonly relies: readonly Mechanism[];
  /** The input of a run, for a target. */
  input(target: Target): fc.Arbitrary<I>;
  check(input: I, ctx: RunContext): Promise<Outcome>;
  /** The input as report lines. */
  show(input: I): string[];
}

/** A property of any input type, as registries hold them. */
export type AnyProperty = Property<unknown>;

export type Status = 'pass' | 'fail' | 'error';

export interface RunResult {
  readonly property: string;
  readonly target: string;
  readonly seed: number;
  readonly status: Status;
  readonly summary?: string;
  readonly evidence: readonly string[];
  /** The (shrunk) input that failed, as lines. */
  readonly input: readonly string[];
  readonly channels: readonly ChannelReport[];
  readonly metrics: Readonly<Record<string, number>>;
  readonly artifacts: readonly Artifact[];
  /** The command that replays this run. */
  readonly replay: string;
  /** Shrinking steps fast-check took. */
  readonly shrinks: number;
}

export interface RunOptions {
  readonly unsafe?: readonly Mechanism[];
  /** Shrink a failure (default true). */
  readonly shrink?: boolean;
}

/** The command that replays one run. */
export function replayCommand(target: string, property: string, seed: number): string {
  return `cellblock check ${quote(target)} --property ${property} --seed ${seed} --runs 1`;
}

function quote(word: string): string {
  return /^[\w./@%+=:,-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** Runs one property once on one target with one seed; a failure is shrunk before it is reported. */
export async function runProperty<I>(property: Property<I>, target: Target, seed: number, options: RunOptions = {}): Promise<RunResult> {
  const ctx: RunContext = { target, seed, ...(options.unsafe === undefined ? {} : { unsafe: options.unsafe }) };
  let last: Outcome = {};
  let failure: { outcome: Outcome; input: I; thrown?: unknown } | undefined;
  const details = await fc.check(
    fc.asyncProperty(property.input(target), async (input) => {
      try {
        last = await property.check(input, ctx);
      } catch (thrown) {
        failure = { outcome: {}, input, thrown };
        return false;
      }
      if (last.violation === undefined) return true;
      failure = { outcome: last, input };
      return false;
    }),
    // Unbiased: a run is one draw, and fast-check's bias towards small values would make every
    // run's draw alike (the first run of a biased property is its smallest).
    { seed, numRuns: 1, plugins: [fc.unbiased()], endOnFailure: options.shrink === false },
  );
  const base = { property: property.name, target: target.name, seed, replay: replayCommand(target.name, property.name, seed) };
  if (!details.failed || failure === undefined) {
    return { ...base, status: 'pass', evidence: [], input: [], channels: last.channels ?? [], metrics: last.metrics ?? {}, artifacts: [], shrinks: 0 };
  }
  const { outcome, input, thrown } = failure;
  const input_ = property.show(input);
  if (thrown !== undefined) {
    const message = thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown);
    return { ...base, status: 'error', summary: `threw: ${firstLine(message)}`, evidence: message.split('\n').slice(0, 8), input: input_, channels: [], metrics: {}, artifacts: [], shrinks: details.numShrinks };
  }
  return {
    ...base,
    status: 'fail',
    summary: outcome.violation!.summary,
    evidence: outcome.violation!.evidence,
    input: input_,
    channels: outcome.channels ?? [],
    metrics: outcome.metrics ?? {},
    artifacts: outcome.artifacts ?? [],
    shrinks: details.numShrinks,
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
