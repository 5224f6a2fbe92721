/**
 * `cellblock check [SCENARIO...] [--property P] [--seed N] [--runs N] [--workers N]
 * [--shard I/N] [--json]`: runs the isolation properties (src/harness) on the given spec and
 * scenario files, or on every example (specs/examples). Run i of a property on a target has seed
 * N + i. Worker threads run the jobs in parallel; `--shard I/N` runs every N-th job from the
 * I-th, so N machines split one check exactly. A progress bar on a terminal (plain lines
 * otherwise, on stderr), then a summary table, the declared channels and every violation with
 * the command that replays it, and the rate in runs per second; `--json` prints all of it as
 * JSON instead. A fuzz failure's scenario is written to $CELLBLOCK_CHECK_DIR, else
 * ./cellblock-check/. Exit 0 when every property holds, 1 on any violation, 2 on bad usage.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exampleFiles, loadTarget, PROPERTY_NAMES } from '../src/harness/index.js';
import { parseShard, planJobs, shardJobs } from '../src/harness/jobs.js';
import { runJobs } from '../src/harness/pool.js';
import { summarize, summaryText } from '../src/harness/report.js';
import type { RunResult } from '../src/harness/property.js';
import type { Mechanism } from '../src/kernel/unsafe.js';
import { nearest } from '../src/util/nearest.js';

export interface CheckArgs {
  readonly targets: readonly string[];
  readonly properties: readonly string[];
  readonly seed: number;
  readonly runs: number;
  readonly workers: number | undefined;
  readonly shard: string | undefined;
  readonly json: boolean;
  /** Tests only: mechanisms switched off in every kernel (never reachable from the command line). */
  readonly unsafe?: readonly Mechanism[];
  readonly out?: Output;
  readonly err?: Output;
}

/** Where the check writes: process.stdout and process.stderr, or a test's collector. */
export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export async function checkCommand(args: CheckArgs): Promise<number> {
  const out = args.out ?? process.stdout;
  const err = args.err ?? process.stderr;
  const usage = (message: string): number => {
    err.write(`cellblock check: ${message}\n`);
    return 2;
  };
  for (const name of args.properties) {
    if (PROPERTY_NAMES.includes(name)) continue;
    const guess = nearest(name, PROPERTY_NAMES);
    return usage(`no property "${name}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; properties: ${PROPERTY_NAMES.join(', ')}`);
  }
  if (!Number.isSafeInteger(args.seed) || args.seed < 0) return usage('--seed takes a whole number ≥ 0');
  if (!Number.isSafeInteger(args.runs) || args.runs < 1) return usage('--runs takes a whole number ≥ 1');
  if (args.workers !== undefined && (!Number.isSafeInteger(args.workers) || args.workers < 1)) return usage('--workers takes a whole number ≥ 1');
  const shard = args.shard === undefined ? { index: 1, count: 1 } : parseShard(args.shard);
  if (shard === undefined) return usage(`--shard takes I/N with 1 ≤ I ≤ N, not "${args.shard}"`);
  const targets = args.targets.length > 0 ? [...args.targets] : exampleFiles().map((f) => path.relative(process.cwd(), f) || f);
  let invalid = false;
  for (const target of targets) {
    const loaded = await loadTarget(target);
    if (loaded.ok) continue;
    invalid = true;
    for (const line of loaded.errors) err.write(`${line}\n`);
  }
  if (invalid) return 2;

  const properties = args.properties.length > 0 ? [...new Set(args.properties)] : [...PROPERTY_NAMES];
  const jobs = shardJobs(planJobs({ targets, properties, seed: args.seed, runs: args.runs }), shard.index, shard.count);
  const workers = args.workers ?? (jobs.length >= 16 ? os.availableParallelism() : 1);
  const progress = new Progress(err, jobs.length);
  const started = process.hrtime.bigint();
  const results = await runJobs(jobs, { workers, ...(args.unsafe === undefined ? {} : { unsafe: args.unsafe }), onResult: (_job, r) => progress.tick(r) });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  progress.done();
  const summary = summarize(results);
  const artifacts = await writeArtifacts(summary.violations);
  const rate = seconds > 0 ? results.length / seconds : 0;
  const shardText = shard.count > 1 ? ` (shard ${shard.index}/${shard.count})` : '';
  if (args.json) {
    const violations = summary.violations.map((v) => ({ ...v, artifacts: artifacts.get(v) ?? [] }));
    out.write(`${JSON.stringify({ ...summary, violations, shard, workers, seconds: round(seconds), rate: round(rate) }, null, 2)}\n`);
  } else {
    out.write(summaryText(summary, artifacts));
    out.write(`rate: ${results.length} runs in ${seconds.toFixed(1)} s, ${rate.toFixed(1)} runs/s, ${workers} worker${workers === 1 ? '' : 's'}${shardText}\n`);
  }
  return summary.failed + summary.errors === 0 ? 0 : 1;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Writes the files failures left (fuzz scenarios); returns their paths per result. */
async function writeArtifacts(violations: readonly RunResult[]): Promise<Map<RunResult, string[]>> {
  const paths = new Map<RunResult, string[]>();
  const dir = process.env.CELLBLOCK_CHECK_DIR ?? 'cellblock-check';
  for (const v of violations) {
    if (v.artifacts.length === 0) continue;
    await mkdir(dir, { recursive: true });
    const list: string[] = [];
    for (const a of v.artifacts) {
      const file = path.join(dir, a.name);
      await writeFile(file, a.content);
      list.push(file);
    }
    paths.set(v, list);
  }
  return paths;
}

/** A progress bar redrawn in place on a terminal; a plain line every tenth of the way otherwise. */
class Progress {
  private finished = 0;
  private failed = 0;
  private readonly started = process.hrtime.bigint();
  private lastTenth = 0;

  constructor(
    private readonly err: Output,
    private readonly total: number,
  ) {}

  tick(r: RunResult): void {
    this.finished++;
    if (r.status !== 'pass') this.failed++;
    if (this.err.isTTY === true) {
      const width = 30;
      const filled = Math.round((this.finished / this.total) * width);
      const seconds = Number(process.hrtime.bigint() - this.started) / 1e9;
      const rate = seconds > 0 ? (this.finished / seconds).toFixed(1) : '-';
      this.err.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.finished}/${this.total} runs, ${this.failed} failed, ${rate} runs/s `);
      return;
    }
    const tenth = Math.floor((this.finished * 10) / this.total);
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      this.err.write(`check: ${this.finished}/${this.total} runs, ${this.failed} failed\n`);
    }
  }

  done(): void {
    if (this.err.isTTY === true && this.total > 0) this.err.write('\n');
  }
}
