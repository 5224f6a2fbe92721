/**
 * Builds the `Sys` object a program receives: one function per syscall row, each dispatching
 * through Kernel.syscall and nothing else, plus the indirect `syscall(name, ...)` entry. The
 * object has no prototype and is frozen; its functions are arrow closures, which expose no
 * `prototype`, `this` or captured variables. So no property, prototype or return value of
 * `sys` leads to a kernel object.
 */
import type { Sys } from './abi.js';
import type { Kernel } from './kernel.js';
import type { Process } from '../proc/process.js';
import { SYSCALLS, SYSCALL_BY_NAME, type SyscallRow } from './syscall-table.js';

export function makeSys(k: Kernel, p: Process): Sys {
  const sys: Record<string, (...args: unknown[]) => Promise<unknown>> = Object.create(null);
  // Tests only (src/kernel/unsafe.ts directExecution): a cell's calls all trap, at a cost.
  const rows = p.cell.unsafe.directExecution && p.cell.parent !== null ? trapping() : SYSCALLS;
  for (const row of rows) sys[row.name] = (...args: unknown[]) => k.syscall(p, row, args);
  sys.syscall = (name: unknown, ...args: unknown[]) => {
    const row = typeof name === 'string' ? SYSCALL_BY_NAME.get(name) : undefined;
    return row === undefined ? k.nosys(p, String(name)) : k.syscall(p, row, args);
  };
  return Object.freeze(sys) as unknown as Sys;
}

/** Virtual ticks a trap into the monitor and the emulation of a call take (unsafe directExecution). */
export const TRAP_TICKS = 2;

function trapping(): SyscallRow[] {
  return SYSCALLS.map((row) => Object.freeze({ ...row, cost: row.cost + TRAP_TICKS }));
}
