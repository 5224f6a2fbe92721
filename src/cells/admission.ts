/**
 * Admission at the syscall boundary, the one place quotas are checked: before a handler runs,
 * the dispatcher charges what its table row declares; if the handler fails, the charges go back.
 * Subsystems never check quotas; their release paths uncharge what their objects hold.
 */
import { fail } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { SyscallRow } from '../kernel/syscall-table.js';
import type { Process } from '../proc/process.js';
import type { Partition, Resource } from './partition.js';

export interface Held {
  readonly partition: Partition;
  readonly resource: Resource;
  readonly amount: number;
}

/** Charges everything `row` declares for this call, or nothing: throws the refusing errno. */
export function admit(k: Kernel, p: Process, row: SyscallRow, args: unknown[]): Held[] {
  const held: Held[] = [];
  for (const charge of row.charges) {
    const amount = charge.amount === undefined ? 1 : charge.amount(k, p, args);
    if (!(amount > 0)) continue;
    const partition = (charge.to?.(k, p, args) ?? p.cell).partition;
    const refused = partition.charge(charge.resource, amount);
    if (refused !== undefined) {
      giveBack(held);
      throw fail(refused);
    }
    held.push({ partition, resource: charge.resource, amount });
  }
  return held;
}

export function giveBack(held: readonly Held[]): void {
  for (const h of held) h.partition.uncharge(h.resource, h.amount);
}
