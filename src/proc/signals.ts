/**
 * Signals with their default actions (no handlers are modelled yet): SIGKILL and the
 * terminating signals end the process, SIGSTOP/SIGTSTP stop it, SIGCONT continues it,
 * SIGCHLD is ignored. Owned by the proc subsystem.
 */
import { SIGNALS } from '../kernel/abi.js';
import type { Kernel } from '../kernel/kernel.js';
import { exitProcess } from './lifecycle.js';
import type { Process } from './process.js';

type Action = 'terminate' | 'stop' | 'continue' | 'ignore';

const DEFAULT_ACTION = new Map<number, Action>([
  [SIGNALS.SIGSTOP, 'stop'],
  [SIGNALS.SIGTSTP, 'stop'],
  [SIGNALS.SIGCONT, 'continue'],
  [SIGNALS.SIGCHLD, 'ignore'],
]);

export const NSIG = 32;

export function deliverSignal(k: Kernel, p: Process, signo: number): void {
  if (!p.alive || signo === 0) return;
  const action = DEFAULT_ACTION.get(signo) ?? 'terminate';
  switch (action) {
    case 'terminate':
      exitProcess(k, p, { pid: p.pid, exitCode: null, signal: signo });
      return;
    case 'stop':
      stop(k, p);
      return;
    case 'continue':
      resume(k, p);
      return;
    case 'ignore':
      return;
  }
}

function stop(k: Kernel, p: Process): void {
  if (p.stopped) return;
  p.stopped = true;
  if (p.state === 'runnable') {
    k.sched.dequeue(p);
    p.state = 'stopped';
  }
  // A blocked process stays on its queue and stops when woken; the running one stops at the
  // end of its current call (the dispatcher checks `stopped` before handing back the CPU).
}

function resume(k: Kernel, p: Process): void {
  if (!p.stopped) return;
  p.stopped = false;
  if (p.state === 'stopped') {
    k.sched.enqueue(p, k.now);
    k.kick();
  }
}
