/**
 * A check worker thread (started by src/harness/pool.ts through worker-entry.js): runs the jobs
 * its parent posts, one at a time, and posts each result back. Owns its JobRunner (and the
 * targets it has loaded) for the life of the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Mechanism } from '../kernel/unsafe.js';
import { JobRunner, type Job } from './jobs.js';

const data = workerData as { readonly unsafe?: readonly Mechanism[] };
const runner = new JobRunner(data.unsafe);
const port = parentPort!;

port.on('message', (job: Job) => {
  void runner.run(job).then((result) => port.postMessage(result));
});
