/**
 * Planning a check: the runs (target × property × seed) in one fixed order, split into shards
 * deterministically (`--shard I/N` takes every N-th run from the I-th), and run one at a time
 * with their results handed back as they come. Run i of a property on a target has seed
 * `seed + i`, so `--seed S --runs 1` replays any run alone. Nothing here depends on which
 * worker runs what. No state beyond the arguments.
 */
import type { Mechanism } from '../kernel/unsafe.js';
import { propertyNamed } from './index.js';
import { runProperty, type RunResult } from './property.js';
import { loadTarget, type Target } from './target.js';

export interface Job {
  /** Position in the whole plan (before sharding). */
  readonly index: number;
  /** The target file, as the user named it. */
  readonly target: string;
  readonly property: string;
  readonly seed: number;
}

export interface Plan {
  readonly targets: readonly string[];
  readonly properties: readonly string[];
  readonly seed: number;
  readonly runs: number;
}

export function planJobs(plan: Plan): Job[] {
  const jobs: Job[] = [];
  for (const target of plan.targets) {
    for (const property of plan.properties) {
      for (let i = 0; i < plan.runs; i++) jobs.push({ index: jobs.length, target, property, seed: plan.seed + i });
    }
  }
  return jobs;
}

/** Shard `i` of `n` (1-based): every n-th job, starting from the i-th. */
export function shardJobs(jobs: readonly Job[], i: number, n: number): Job[] {
  return jobs.filter((job) => job.index % n === i - 1);
}

/** Parses "I/N" (1 ≤ I ≤ N); undefined when malformed. */
export function parseShard(text: string): { index: number; count: number } | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (m === null) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && index >= 1 && index <= count ? { index, count } : undefined;
}

/** Runs jobs one after another in this thread (a worker, or the main thread with --workers 1). */
export class JobRunner {
  private readonly targets = new Map<string, Promise<{ ok: true; target: Target } | { ok: false; errors: string[] }>>();

  constructor(private readonly unsafe?: readonly Mechanism[]) {}

  async run(job: Job): Promise<RunResult> {
    const property = propertyNamed(job.property);
    let loading = this.targets.get(job.target);
    if (loading === undefined) this.targets.set(job.target, (loading = loadTarget(job.target)));
    const loaded = await loading;
    if (property === undefined || !loaded.ok) {
      const problem = property === undefined ? [`no property named ${job.property}`] : loaded.ok ? [] : loaded.errors;
      return { property: job.property, target: job.target, seed: job.seed, status: 'error', summary: problem[0], evidence: problem, input: [], channels: [], metrics: {}, artifacts: [], replay: '', shrinks: 0 };
    }
    try {
      return await runProperty(property, loaded.target, job.seed, this.unsafe === undefined ? {} : { unsafe: this.unsafe });
    } catch (err) {
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      return { property: job.property, target: job.target, seed: job.seed, status: 'error', summary: message.split('\n')[0], evidence: message.split('\n').slice(0, 8), input: [], channels: [], metrics: {}, artifacts: [], replay: '', shrinks: 0 };
    }
  }
}
