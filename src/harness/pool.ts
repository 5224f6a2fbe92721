/**
 * Running a check's jobs: in this thread, or spread over worker threads (node:worker_threads,
 * each booting its own kernels; tsx is registered in each by worker-entry.js, as
 * cmd/cellblock.js registers it in the main thread). Each worker is given one job at a time and
 * the next when it reports, so a slow job never holds others back; results come back in
 * whatever order they finish and are returned in plan order. A pool library would add a
 * dependency for what these sixty lines do. The pool owns its workers until the check ends.
 */
import { Worker } from 'node:worker_threads';
import type { Mechanism } from '../kernel/unsafe.js';
import { JobRunner, type Job } from './jobs.js';
import type { RunResult } from './property.js';

export interface PoolOptions {
  /** Worker threads; 1 or less runs every job in this thread. */
  readonly workers: number;
  /** Test-only mechanisms switched off in every kernel (src/kernel/unsafe.ts). */
  readonly unsafe?: readonly Mechanism[];
  /** Called as each job finishes (for progress). */
  readonly onResult?: (job: Job, result: RunResult) => void;
}

const ENTRY = new URL('./worker-entry.js', import.meta.url);

export async function runJobs(jobs: readonly Job[], options: PoolOptions): Promise<RunResult[]> {
  const results: RunResult[] = new Array<RunResult>(jobs.length);
  const slot = new Map(jobs.map((job, i) => [job.index, i]));
  const record = (job: Job, result: RunResult): void => {
    results[slot.get(job.index)!] = result;
    options.onResult?.(job, result);
  };
  const workers = Math.min(options.workers, jobs.length);
  if (workers <= 1) {
    const runner = new JobRunner(options.unsafe);
    for (const job of jobs) record(job, await runner.run(job));
    return results;
  }
  let next = 0;
  const pool = Array.from({ length: workers }, () => new Worker(ENTRY, { workerData: { unsafe: options.unsafe } }));
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let current: Job | undefined;
            const feed = (): void => {
              current = jobs[next++];
              if (current === undefined) resolve();
              else worker.postMessage(current);
            };
            worker.on('message', (result: RunResult) => {
              record(current!, result);
              feed();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (current !== undefined) reject(new Error(`check worker exited with status ${code} during ${current.property} on ${current.target}, seed ${current.seed}`));
            });
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return results;
}
