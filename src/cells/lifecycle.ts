/**
 * Cells coming and going: processes entering a cell, a non-persistent cell dying with its last
 * process, and removal, which kills every process in the cell and below it (FreeBSD
 * jail_remove: SIGKILL to all) and takes the descendants with it.
 */
import { releaseNet } from '../net/cell-net.js';
import { SIGNALS } from '../kernel/abi.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Process } from '../proc/process.js';
import { deliverSignal } from '../proc/signals.js';
import type { Cell } from './cell.js';
import type { Partition, Resource } from './partition.js';
import { moveMemory } from '../proc/memory.js';
import { fail } from '../kernel/errno.js';

/**
 * Moves `p` into `cell`: its root, cwd, namespaces and policy (jail_attach). The process, its
 * memory and its descriptors are charged to the new cell (refused with its errno when that is
 * full) and given back to the old one.
 */
export function attachProcess(k: Kernel, p: Process, cell: Cell): void {
  const old = p.cell;
  moveCharges(p, cell.partition);
  old.procs.delete(p);
  p.cell = cell;
  p.ns = cell.ns;
  p.root = cell.root;
  p.cwd = cell.root;
  cell.procs.add(p);
  reapIfUnused(k, old);
}

function moveCharges(p: Process, to: Partition): void {
  const moving: [Resource, number][] = [
    ['processes', p.charged === null ? 0 : 1],
    ['openFiles', p.fds.filter((entry) => entry !== undefined).length],
    ['memory', p.memory.bytes],
  ];
  for (let i = 0; i < moving.length; i++) {
    const refused = to.charge(...moving[i]!);
    if (refused !== undefined) {
      for (const [resource, amount] of moving.slice(0, i)) to.uncharge(resource, amount);
      throw fail(refused);
    }
  }
  moveMemory(p, to);
  p.charged?.uncharge('processes', 1);
  if (p.charged !== null) p.charged = to;
  p.fds = p.fds.map((entry) => {
    if (entry === undefined) return undefined;
    entry.owner.uncharge('openFiles', 1);
    return { ...entry, owner: to };
  });
}

/** Called when a process of `cell` has exited. */
export function processLeft(k: Kernel, p: Process): void {
  p.cell.procs.delete(p);
  reapIfUnused(k, p.cell);
}

/** A cell that does not persist goes when nothing is left in it. */
function reapIfUnused(k: Kernel, cell: Cell): void {
  if (cell.parent !== null && !cell.persist && cell.state === 'alive' && cell.procs.size === 0 && cell.children.size === 0) removeCell(k, cell);
}

/** Removes `cell` and its descendants, killing every process in them. */
export function removeCell(k: Kernel, cell: Cell): void {
  const doomed = [cell, ...cell.below()];
  for (const c of doomed) c.state = 'dying';
  for (const c of doomed) for (const q of [...c.procs]) deliverSignal(k, q, SIGNALS.SIGKILL);
  for (const c of doomed) c.ns.ipc?.destroy(); // its queues and segments go, and give back their charges
  for (const c of doomed) releaseNet(c); // its aliases, or its own stack
  for (const c of doomed.reverse()) k.cells.delete(c.id);
  const parent = cell.parent;
  cell.detach();
  if (parent !== null) reapIfUnused(k, parent);
}
