/**
 * Deadlock reports: when every live process is blocked and nothing (no timer, no outside
 * input) can wake any of them, the kernel says so, naming each blocked process and what it
 * waits for, rather than hanging.
 */
import type { Kernel } from './kernel.js';

export class DeadlockError extends Error {
  constructor(readonly report: string) {
    super(report);
    this.name = 'DeadlockError';
  }
}

export function describeDeadlock(k: Kernel): string {
  const lines = [`deadlock at tick ${k.now}: every process is blocked and nothing can wake them`];
  for (const p of k.procs.values()) {
    if (p === k.init || !p.alive) continue;
    const what = p.state === 'stopped' || p.stopped ? 'stopped' : (p.blockedOn?.name ?? (p.polling !== null ? `poll on ${p.polling.map((q) => q.name).join(', ')}` : p.state));
    lines.push(`  pid ${p.pid} (${p.comm}) in cell ${p.cell.name}: ${what}`);
  }
  return lines.join('\n');
}
