/**
 * Memory accounting. A process's memory grows with alloc and shrinks with free (sbrk/mmap
 * stand-ins: nothing is really allocated, only charged); exit gives back whatever is left.
 * Kernel buffers (pipe bytes, SysV messages and segments) are charged to their owner at the
 * boundary too: the object that keeps the bytes claims the charge from what the boundary
 * admitted for the call (claimAdmitted) and gives it back when the bytes go.
 * Owned by the proc subsystem: only these functions write Process.memory.
 */
import { Buffer } from 'node:buffer';
import { nonNegative } from '../kernel/args.js';
import { fail, KernelPanic } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Handler } from '../kernel/syscall-table.js';
import { RESOURCE_INDEX, type Partition, type Resource } from '../cells/partition.js';
import type { Process } from './process.js';

/** Bytes of a Data argument (a string counts as UTF-8); 0 for anything else. */
export function dataLength(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  return value instanceof Uint8Array ? value.length : 0;
}

/** What alloc charges: its byte count, when it is a valid one (else the handler says EINVAL). */
export function allocAmount(_k: Kernel, _p: Process, args: unknown[]): number {
  const n = args[0];
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/**
 * Takes `amount` of `resource` out of what the boundary admitted for `p`'s call in progress, for
 * the object that will hold it: returns the partition charged, or null when the call was not
 * charged (a kernel-internal write, such as a crashed program's message to its stderr). Once
 * nothing admitted is left unclaimed, a call that blocks and retries is admitted afresh.
 */
export function claimAdmitted(p: Process, resource: Resource, amount: number): Partition | null {
  const held = p.held;
  held.spell();
  const index = RESOURCE_INDEX[resource];
  let i = 0;
  while (i < held.count && held.indexes[i] !== index) i++;
  if (amount <= 0 || i === held.count) return null;
  const partition = held.partitions[i]!;
  const left = held.amounts[i]! - amount;
  if (left < 0) throw new KernelPanic(`pid ${p.pid} claims ${amount} ${resource}, admitted ${held.amounts[i]}`);
  held.amounts[i] = left;
  if (left === 0) {
    // Move the last entry into this one's place (their order does not matter).
    const last = --held.count;
    held.partitions[i] = held.partitions[last]!;
    held.indexes[i] = held.indexes[last]!;
    held.amounts[i] = held.amounts[last]!;
  }
  rearm(p);
  return partition;
}

/** A call about to block with everything it was admitted claimed: let its retry be admitted. */
export function rearm(p: Process): void {
  if (p.held.empty) p.held.admitted = false;
}

export const alloc: Handler<'alloc'> = (_k, p, [size]) => {
  const n = nonNegative(size);
  if (n === 0) return;
  const owner = claimAdmitted(p, 'memory', n);
  if (owner === null) throw new KernelPanic(`pid ${p.pid} alloc ${n} with no memory admitted`);
  const memory = p.memory;
  if (memory.bytes > 0 && memory.owner !== owner) throw new KernelPanic(`pid ${p.pid} holds memory of two partitions`);
  memory.bytes += n;
  memory.owner = owner;
};

/** free(n): gives back n of the bytes the process holds; EINVAL for more than it holds. */
export const free: Handler<'free'> = (_k, p, [size]) => {
  const n = nonNegative(size);
  const memory = p.memory;
  if (n > memory.bytes) throw fail('EINVAL');
  memory.owner?.uncharge('memory', n);
  memory.bytes -= n;
};

/** Exit: the process's memory goes back to the partition it was charged to. */
export function releaseMemory(p: Process): void {
  p.memory.owner?.uncharge('memory', p.memory.bytes);
  p.memory.bytes = 0;
}

/** Attach: the process's memory moves to `to` (the caller has charged it there). */
export function moveMemory(p: Process, to: Partition): void {
  p.memory.owner?.uncharge('memory', p.memory.bytes);
  p.memory.owner = to;
}
