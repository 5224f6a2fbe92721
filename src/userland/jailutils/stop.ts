/**
 * jail -r's grace period (jail(8) term_procs): SIGTERM to every process of the jail itself,
 * then wait up to stop.timeout (default 10 s) for them to go. jail_remove then SIGKILLs what is
 * left, in the jail and below it. The processes are found in /proc, as ps finds them.
 */
import { HZ, type CellInfo, type Sys } from '../../kernel/abi.js';
import { readProcesses } from '../sysutils/procfs.js';

export const DEFAULT_STOP_TIMEOUT = 10;
const POLL_TICKS = HZ / 10;

async function livePids(sys: Sys, jail: CellInfo): Promise<number[]> {
  return (await readProcesses(sys)).filter((p) => p.cell === jail.name && p.state !== 'Z').map((p) => p.pid);
}

export async function termProcs(sys: Sys, jail: CellInfo, timeoutSeconds = DEFAULT_STOP_TIMEOUT): Promise<void> {
  if (timeoutSeconds <= 0) return;
  const pids = await livePids(sys, jail);
  if (pids.length === 0) return;
  for (const pid of pids) {
    try {
      await sys.kill(pid, 'SIGTERM');
    } catch {
      // Gone already: nothing to wait for.
    }
  }
  const deadline = (await sys.time()) + timeoutSeconds * HZ;
  while ((await livePids(sys, jail)).some((pid) => pids.includes(pid)) && (await sys.time()) < deadline) {
    await sys.sleep(POLL_TICKS);
  }
}
