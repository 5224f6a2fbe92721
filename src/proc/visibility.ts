/**
 * Which processes a process may see and signal (FreeBSD prison_check): those of its own cell
 * and the cells below it. kill, procfs and cgroupfs (whose cgroup.procs lists pids) ask here,
 * so the rule lives in one place. No state.
 */
import type { Cell } from '../cells/cell.js';
import type { Viewer } from './process.js';

/** May `viewer` see (signal, find in /proc and cgroup2) a process, or the files, of cell `target`? */
export function maySee(viewer: Pick<Viewer, 'cell'>, target: Cell): boolean {
  // The test-only switch is read only when the answer would be no: normal runs pay nothing.
  return viewer.cell.contains(target) || viewer.cell.unsafe.procVisibility;
}
