/**
 * Process syscalls: spawn, wait, exit, pids, kill, credentials. Visibility follows FreeBSD's
 * prison_check: a process sees (kills, waits for) only processes of its own cell and the cells
 * below it; any other pid is ESRCH.
 */
import { SIGNALS, WNOHANG, type SignalName, type WaitResult } from '../kernel/abi.js';
import { int, str, strings } from '../kernel/args.js';
import { NORETURN } from '../kernel/control.js';
import { fail } from '../kernel/errno.js';
import type { Handler } from '../kernel/syscall-table.js';

import { lookup } from '../vfs/resolve.js';
import { hasPrivilege } from './cred.js';
import { loadImage } from './exec.js';
import { fileOf, inheritFds, passedCount } from './fdtable.js';
import type { Cell } from '../cells/cell.js';
import { exitProcess, reap } from './lifecycle.js';
import { Process, type Viewer } from './process.js';
import type { Kernel } from '../kernel/kernel.js';
import { descendant } from '../cells/calls.js';
import { deliverSignal, NSIG } from './signals.js';
import { maySee } from './visibility.js';

const DEFAULT_FDS = [0, 1, 2] as const;

export const spawn: Handler<'spawn'> = (k, p, [path, argv, options]) => {
  const file = str(path);
  const args = strings(argv ?? [file]);
  const env = options?.env === undefined ? p.env : environment(options.env);
  const view = options?.cell === undefined ? p : enterView(k, p, options.cell);
  const cwd = options?.cwd === undefined ? view.cwd : lookup(view, str(options.cwd), true);
  if (!cwd.link.getNode().isDirectory()) throw fail('ENOTDIR');
  const image = loadImage(k, { ...view, cwd }, file, args);
  const fdMap = options?.fds ?? DEFAULT_FDS;
  if (!Array.isArray(fdMap)) throw fail('EFAULT');
  // Like jail_attach: no directory descriptor may be carried into a cell, to be fchdir'd out of.
  if (view !== p && fdMap.some((fd) => fd !== null && fileOf(p, fd).directory() !== undefined)) throw fail('EPERM');
  const fds = inheritFds(p, fdMap, view.cell.partition);
  const child = new Process({ pid: k.allocPid(), cell: view.cell, cred: p.cred, root: view.root, cwd, fds, argv: image.argv, env, comm: image.comm, now: k.now, parent: p, ns: view.ns });
  child.charged = view.cell.partition; // the boundary charged the process to the cell it starts in
  k.start(child, image.program);
  return child.pid;
};

/** The cell a spawn starts its child in (for the boundary's charges): the caller's, or options.cell. */
export function spawnCell(k: Kernel, p: Process, args: unknown[]): Cell {
  const options = args[2] as { cell?: unknown } | undefined;
  if (options?.cell === undefined) return p.cell;
  try {
    return descendant(k, p, options.cell, 'EINVAL');
  } catch {
    return p.cell; // the handler refuses it; the charge is given back
  }
}

/** Descriptors a spawn passes to its child. */
export const spawnFds = (_k: Kernel, _p: Process, args: unknown[]): number => passedCount((args[2] as { fds?: unknown } | undefined)?.fds);

/** How a child started inside `ref` sees things: jail_attach's checks, then the cell's root. */
function enterView(k: Kernel, p: Process, ref: unknown): Viewer {
  if (!hasPrivilege(p, 'sys_cell')) throw fail('EPERM');
  const cell = descendant(k, p, ref, 'EINVAL');
  if (cell.state !== 'alive') throw fail('EINVAL');
  return { pid: p.pid, root: cell.root, cwd: cell.root, ns: cell.ns, cred: p.cred, cell };
}

function environment(env: unknown): Record<string, string> {
  if (typeof env !== 'object' || env === null) throw fail('EFAULT');
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) out[key] = str(value);
  return out;
}

export const wait: Handler<'wait'> = (k, p, [pid, options]) => {
  const which = int(pid, -1);
  const flags = int(options, 0);
  const child = findZombie(p, which);
  if (child !== undefined) {
    reap(k, child);
    return child.exitStatus as WaitResult;
  }
  if (flags & WNOHANG) return null;
  return k.sleepOn(p, p.childEvents);
};

function findZombie(p: Process, pid: number): Process | undefined {
  if (pid === -1) {
    if (p.children.size === 0) throw fail('ECHILD');
    for (const z of p.zombies) return z;
    return undefined;
  }
  if (pid <= 0) throw fail('EINVAL');
  for (const child of p.children) if (child.pid === pid) return child.alive ? undefined : child;
  throw fail('ECHILD');
}

export const exit: Handler<'exit'> = (k, p, [code]) => {
  exitProcess(k, p, { pid: p.pid, exitCode: int(code, 0) & 0xff, signal: null });
  return NORETURN;
};

export const getpid: Handler<'getpid'> = (_k, p) => p.pid;
export const getppid: Handler<'getppid'> = (_k, p) => p.parent?.pid ?? 0;
export const getuid: Handler<'getuid'> = (_k, p) => p.cred.uid;
export const getgid: Handler<'getgid'> = (_k, p) => p.cred.gid;
export const getgroups: Handler<'getgroups'> = (_k, p) => [...p.cred.groups];

export const kill: Handler<'kill'> = (k, p, [pid, signal]) => {
  const target = int(pid);
  const signo = signalNumber(signal);
  if (target === -1) {
    let sent = 0;
    for (const q of [...k.procs.values()]) {
      if (q === k.init || q === p || !q.alive || !maySee(p, q.cell) || !maySignal(p, q)) continue;
      deliverSignal(k, q, signo);
      sent++;
    }
    if (sent === 0) throw fail('ESRCH');
    return undefined;
  }
  const victim = target === 0 ? p : k.procs.get(target);
  if (victim === undefined || !maySee(p, victim.cell)) throw fail('ESRCH');
  if (victim === k.init) throw fail('EPERM');
  if (!maySignal(p, victim)) throw fail('EPERM');
  deliverSignal(k, victim, signo);
  return undefined;
};

function maySignal(p: Process, q: Process): boolean {
  return p.cred.uid === q.cred.uid || hasPrivilege(p, 'proc_owner');
}

function signalNumber(signal: unknown): number {
  if (typeof signal === 'number' && Number.isInteger(signal) && signal >= 0 && signal < NSIG) return signal;
  if (typeof signal === 'string') {
    const name = (signal.startsWith('SIG') ? signal : `SIG${signal}`) as SignalName;
    if (Object.hasOwn(SIGNALS, name)) return SIGNALS[name];
  }
  throw fail('EINVAL');
}

function validId(id: unknown): number {
  const n = int(id);
  if (n < 0 || n > 0xfffffffe) throw fail('EINVAL');
  return n;
}

export const setuid: Handler<'setuid'> = (_k, p, [uid]) => {
  const id = validId(uid);
  if (id !== p.cred.uid && !hasPrivilege(p, 'proc_setid')) throw fail('EPERM');
  p.cred = { ...p.cred, uid: id };
  return undefined;
};

export const setgid: Handler<'setgid'> = (_k, p, [gid]) => {
  const id = validId(gid);
  if (id !== p.cred.gid && !hasPrivilege(p, 'proc_setid')) throw fail('EPERM');
  p.cred = { ...p.cred, gid: id };
  return undefined;
};

export const setgroups: Handler<'setgroups'> = (_k, p, [groups]) => {
  if (!Array.isArray(groups)) throw fail('EFAULT');
  p.cred = { ...p.cred, groups: Object.freeze(groups.map(validId)) };
  return undefined;
};

