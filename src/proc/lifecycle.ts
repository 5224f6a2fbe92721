/**
 * Process exit and reaping. A process that exits becomes a zombie holding its status until its
 * parent waits; its children go to init, which reaps them as they die. Owned by the proc
 * subsystem.
 */
import type { WaitResult } from '../kernel/abi.js';
import type { Kernel } from '../kernel/kernel.js';
import { closeAll } from './fdtable.js';
import { releaseMemory } from './memory.js';
import { processLeft } from '../cells/lifecycle.js';
import { giveBack } from '../cells/admission.js';
import type { Process } from './process.js';

/** Terminates `p` with `status`: descriptors closed, memory freed, children reparented, parent told. */
export function exitProcess(k: Kernel, p: Process, status: WaitResult): void {
  if (!p.alive) return;
  k.forget(p);
  p.state = 'zombie';
  p.exitStatus = status;
  closeAll(k, p);
  releaseMemory(p);
  processLeft(k, p);
  const init = k.init;
  for (const child of p.children) {
    child.parent = init;
    init.children.add(child);
    if (!child.alive) reap(k, child);
  }
  p.children.clear();
  p.zombies.clear();
  p.onExit?.(status);
  const parent = p.parent;
  if (parent === undefined || parent === init) {
    reap(k, p);
    return;
  }
  parent.zombies.add(p);
  k.wakeAll(parent.childEvents);
}

/** Removes a zombie from the process table. */
export function reap(k: Kernel, p: Process): void {
  p.charged?.uncharge('processes', 1);
  p.charged = null;
  p.parent?.children.delete(p);
  p.parent?.zombies.delete(p);
  k.procs.delete(p.pid);
  k.procfs.removeProcess(p);
}

/** Drops whatever call the process had in progress (it will never complete). */
export function releaseCall(p: Process): void {
  p.inCall = false;
  p.resume = null;
  giveBack(p); // the call never made its objects
  p.held.reset();
}
