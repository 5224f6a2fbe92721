/**
 * The host's cell registry through the door: listing the cells defined from specs and running
 * their lifecycle operations, as zoneadm does through zoneadmd. Only the host cell (the global
 * zone) manages them. An operation takes virtual time (it runs as an administration process),
 * so the caller sleeps until it is done and then gets its outcome.
 */
import type { CellConfig } from '../kernel/abi.js';
import { str } from '../kernel/args.js';
import { fail } from '../kernel/errno.js';
import type { Handler } from '../kernel/syscall-table.js';
import { WaitQueue } from '../kernel/waitqueue.js';
import type { Process } from '../proc/process.js';
import { CellError } from './lifecycle-table.js';

interface PendingOp {
  readonly queue: WaitQueue;
  outcome?: { ok: true; message: string } | { ok: false; error: unknown };
}

/** Operations in progress, by caller. */
const pending = new WeakMap<Process, PendingOp>();

export const cellcfg_list: Handler<'cellcfg_list'> = (k, p) => {
  if (p.cell !== k.hostCell) throw fail('EPERM');
  return [...k.managed.values()].map(
    (c): CellConfig => ({
      name: c.name,
      kind: c.kind,
      state: c.state,
      id: c.id ?? null,
      root: c.personality.rootPath,
      zonepath: c.personality.zonepath ?? null,
      vnet: c.personality.ownStack === true,
    }),
  );
};

export const cellcfg_op: Handler<'cellcfg_op'> = (k, p, [name, op]) => {
  if (p.cell !== k.hostCell) throw fail('EPERM');
  let job = pending.get(p);
  if (job === undefined) {
    const cell = k.managed.get(str(name));
    if (cell === undefined) throw fail('ENOENT', undefined, `${name}: No such zone configured`);
    // External: the outcome arrives when the administration process's promise settles, after it exits.
    const started: PendingOp = { queue: new WaitQueue(`cellcfg_op ${name} ${op}`, true) };
    pending.set(p, started);
    cell.transition(str(op)).then(
      () => finish(started, { ok: true, message: '' }),
      (error: unknown) => finish(started, error instanceof CellError && error.benign ? { ok: true, message: error.message } : { ok: false, error }),
    );
    job = started;
  }
  const outcome = job.outcome;
  if (outcome === undefined) return k.sleepOn(p, job.queue);
  pending.delete(p);
  if (outcome.ok) return outcome.message;
  if (outcome.error instanceof CellError) throw fail('EINVAL', undefined, outcome.error.message);
  throw outcome.error;

  function finish(job: PendingOp, outcome: NonNullable<PendingOp['outcome']>): void {
    job.outcome = outcome;
    k.wakeAll(job.queue);
  }
};
