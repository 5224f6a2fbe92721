/**
 * One CLI invocation's host: open the state directory (waiting on its lock), boot the kernel
 * from it (the host's filesystem and every defined cell; cells that were running come up
 * again), run the command, and, for a command that changes anything, save everything back
 * atomically. Processes never outlive the invocation.
 */
import { Kernel } from '../src/index.js';
import { CellError } from '../src/cells/lifecycle-table.js';
import { SpecError } from '../src/cells/registry.js';
import { LockError, resolveStateDir, StateDir, StateError } from '../src/state/index.js';

export interface SessionOptions {
  /** --state DIR */
  readonly state: string | undefined;
  /** Save the state back when the command succeeds. */
  readonly save: boolean;
  readonly seed?: number;
  readonly cpus?: number;
  readonly trace?: (line: string) => void;
}

/** What state.json holds for a cell: its spec as given and its lifecycle state. */
interface SavedCell {
  readonly spec: unknown;
  readonly state: string;
}

interface SavedHost {
  readonly hostname: string;
}

export const HOST_FS = 'host';

/** Runs `body` with a kernel booted from the state directory; returns the exit status. */
export async function withSession(options: SessionOptions, body: (k: Kernel) => Promise<number>): Promise<number> {
  let dir: StateDir;
  try {
    dir = await StateDir.open(resolveStateDir(options.state), lockWait());
  } catch (err) {
    return report(err);
  }
  try {
    for (const note of dir.notes) process.stderr.write(`${note}\n`);
    const saved = await dir.read();
    const host = saved?.host as SavedHost | null | undefined;
    const k = await Kernel.boot({
      seed: options.seed,
      cpus: options.cpus,
      trace: options.trace,
      hostname: host?.hostname,
      restoreRoot: (fs) => dir.loadFs(HOST_FS, fs),
    });
    for (const cell of (saved?.cells ?? []) as SavedCell[]) await k.createCell(cell.spec, { state: cell.state });
    const status = await body(k);
    if (options.save) await save(dir, k);
    return status;
  } catch (err) {
    return report(err);
  } finally {
    await dir.close();
  }
}

/** How long to wait for another invocation's lock: $CELLBLOCK_LOCK_WAIT_MS, else StateDir's default. */
function lockWait(): { waitMs?: number } {
  const ms = Number(process.env.CELLBLOCK_LOCK_WAIT_MS);
  return Number.isFinite(ms) && ms >= 0 && process.env.CELLBLOCK_LOCK_WAIT_MS !== undefined ? { waitMs: ms } : {};
}

async function save(dir: StateDir, k: Kernel): Promise<void> {
  await dir.saveFs(HOST_FS, k.hostCell.root.mnt.fs);
  const cells: SavedCell[] = [...k.managed.values()].map((c) => ({ spec: c.spec, state: c.state }));
  const host: SavedHost = { hostname: k.hostCell.ns.uts.hostname };
  await dir.write({ host, cells });
}

/** Prints a user-facing error and gives the exit status for it; rethrows anything else. */
export function report(err: unknown): number {
  if (err instanceof SpecError) {
    for (const line of err.errors) process.stderr.write(`${line}\n`);
    return 2;
  }
  if (err instanceof CellError) {
    process.stderr.write(`${err.message}\n`);
    return err.benign ? 0 : 1;
  }
  if (err instanceof StateError || err instanceof LockError) {
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  throw err;
}
