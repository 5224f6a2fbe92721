/**
 * Admission at the syscall boundary, the one place quotas are checked: before a handler runs,
 * the dispatcher charges what its table row declares; if the handler fails, the charges go back.
 * Subsystems never check quotas; their release paths uncharge what their objects hold.
 *
 * On the hot path: charges go by resource index, and what a call holds is kept in arrays the
 * process owns and reuses, so admitting allocates nothing.
 */
import { Buffer } from 'node:buffer';
import { fail } from '../kernel/errno.js';
import { deliverSignal } from '../proc/signals.js';
import type { Kernel } from '../kernel/kernel.js';
import type { SyscallRow } from '../kernel/syscall-table.js';
import type { Process } from '../proc/process.js';
import { RESOURCE_INDEX, type Partition } from './partition.js';

/**
 * What the call in progress holds: partition, resource index and amount, count entries; and,
 * for a row whose charges are all one unit to the caller's own cell (`unitIndexes`), just the row
 * and the partition: those are written out into the arrays only if something claims or gives
 * one back, so the common case records nothing per charge.
 */
export class HeldCharges {
  readonly partitions: Partition[] = [];
  readonly indexes: number[] = [];
  readonly amounts: number[] = [];
  count = 0;
  /** Admission ran for the call in progress (a retried call is not charged twice). */
  admitted = false;
  /** The unit charges of this row are held, to `unitPartition` (null: none). */
  unitRow: SyscallRow | null = null;
  unitPartition: Partition | null = null;

  reset(): void {
    this.count = 0;
    this.admitted = false;
    this.unitRow = null;
  }

  /** Does the call hold anything? */
  get empty(): boolean {
    return this.count === 0 && this.unitRow === null;
  }

  /** Writes the row's unit charges out as entries (before a claim or a give-back reads them). */
  spell(): void {
    const row = this.unitRow;
    if (row === null) return;
    this.unitRow = null;
    for (const index of row.unitIndexes!) {
      const n = this.count++;
      this.partitions[n] = this.unitPartition!;
      this.indexes[n] = index;
      this.amounts[n] = 1;
    }
  }
}

/**
 * admit() for a row whose charges are all one unit to the caller's own cell (`unitIndexes`),
 * when no rule acts on charges and admission is on: one partition call, and the row held.
 */
export function admitUnits(p: Process, row: SyscallRow): void {
  const held = p.held;
  held.admitted = true;
  const own = p.cell.partition;
  const refused = own.chargeUnits(row.unitIndexes!);
  if (refused !== undefined) throw fail(refused);
  held.unitRow = row;
  // A store of an object into a long-lived one costs a write barrier even when unchanged.
  if (held.unitPartition !== own) held.unitPartition = own;
}

/** Charges everything `row` declares for this call, or nothing: throws the refusing errno. */
export function admit(k: Kernel, p: Process, row: SyscallRow, args: unknown[]): void {
  const held = p.held;
  held.admitted = true;
  const own = p.cell.partition;
  const alerting = k.alerting > 0;
  const charges = row.charges;
  for (let i = 0; i < charges.length; i++) {
    const charge = charges[i]!;
    const amount = charge.amount === undefined ? 1 : charge.amount(k, p, args);
    if (!(amount > 0)) continue;
    const partition = charge.to === undefined ? own : charge.to(k, p, args).partition;
    const index = charge.index ?? RESOURCE_INDEX[charge.resource];
    const refused = partition.chargeAt(index, amount);
    if (refused !== undefined && k.unsafe.admission) partition.carry(charge.resource, amount);
    else if (refused !== undefined) {
      giveBack(p);
      throw fail(refused);
    }
    // Read before writing: a call made again holds what the last one held, and a store of an
    // object into these long-lived arrays costs a write barrier even when nothing changes.
    const n = held.count++;
    if (held.partitions[n] !== partition) held.partitions[n] = partition;
    if (held.indexes[n] !== index) held.indexes[n] = index;
    if (held.amounts[n] !== amount) held.amounts[n] = amount;
    if (alerting) {
      checkAlerts(k, p, partition, index, amount);
      if (!p.alive) {
        giveBack(p); // a rule's signal ended the caller: its call will not happen
        return;
      }
    }
  }
}

/** Gives back what the call in progress holds (it failed, or never made its objects). */
export function giveBack(p: Process): void {
  const held = p.held;
  held.spell();
  for (let i = 0; i < held.count; i++) held.partitions[i]!.unchargeAt(held.indexes[i]!, held.amounts[i]!);
  held.count = 0;
}

/**
 * Log and signal rules whose amount this charge just passed, from the charged partition up:
 * log writes rctl(8)'s line to the console and the trace; a signal goes to the caller, once per
 * process and rule.
 */
function checkAlerts(k: Kernel, p: Process, start: Partition, index: number, amount: number): void {
  for (let q: Partition | null = start; q !== null; q = q.parent) {
    for (const alert of q.alerts) {
      if (alert.index !== index) continue;
      const usage = q.byIndex[index]!.usage;
      if (usage - amount > alert.amount || usage <= alert.amount) continue;
      if (alert.action === 'log') {
        const line = `rctl: rule "${alert.text}" matched by pid ${p.pid} (${p.comm}), uid ${p.cred.uid}, jail ${alert.cellName}`;
        k.console.output(Buffer.from(`${line}\n`));
        k.trace?.(JSON.stringify({ t: k.now, cell: p.cell.name, pid: p.pid, rctl: alert.text }));
      } else if (!alert.signalled.has(p)) {
        alert.signalled.add(p);
        deliverSignal(k, p, alert.action);
      }
    }
  }
}
