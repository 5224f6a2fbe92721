/**
 * The kernel: boots the host (cell 0), owns the process table, runs the syscall door and the
 * scheduler loop. Subsystems own their state (proc, vfs, ipc, uts); this file wires them
 * together and is the only place that switches which process holds a CPU.
 */
import { SysError, KernelPanic } from './errno.js';
import type { Program, Sys } from './abi.js';
import { BLOCK, NORETURN, YIELD, type Control } from './control.js';
import { Prng } from './prng.js';
import { Scheduler, useCpu, type Cpu } from './sched.js';
import { WaitQueue } from './waitqueue.js';
import type { Process } from '../proc/process.js';
import type { Cell } from '../cells/cell.js';
import type { Procfs } from '../vfs/procfs.js';
import type { MemFs } from '../vfs/memfs.js';
import type { SyscallRow } from './syscall-table.js';
import { InputStream, type Sink } from './stream.js';
import { formatTraceEvent } from './trace.js';
import { describeDeadlock, DeadlockError } from './deadlock.js';
import { bootHost, type BootOptions } from './boot.js';
import { HostApi } from './host-api.js';
import { makeSys } from './door.js';
import { exitProcess, releaseCall } from '../proc/lifecycle.js';
import { SIGNALS } from './abi.js';
import { deliverSignal } from '../proc/signals.js';
import { requirePrivilege } from '../proc/cred.js';
import { admit, admitUnits, giveBack } from '../cells/admission.js';
import type { ManagedCell } from '../cells/managed.js';
import { ManagedCells } from '../cells/managed-cells.js';
import { defineCell } from '../cells/registry.js';
import { lookup } from '../vfs/resolve.js';
import { loadRootfs } from '../vfs/rootfs.js';
import type { Network } from '../net/network.js';
import { SAFE, type Unsafe } from './unsafe.js';

export type { BootOptions };

const NEVER: Promise<never> = new Promise<never>(() => {});

export class Kernel {
  readonly sched: Scheduler;
  readonly prng: Prng;
  readonly programs = new Map<string, Program>();
  readonly procs = new Map<number, Process>();
  readonly cells = new Map<number, Cell>();
  /** Cells defined from specs (jails, zones), by name: the public API's and the CLI's view. */
  readonly managed = new ManagedCells();
  readonly quantum: number;
  /** The process executing now, and its CPU; null when no process holds a CPU. */
  current: Process | null = null;
  cpu: Cpu | null = null;
  trace: ((line: string) => void) | null;
  /** The console device: input from outside, output to a sink. */
  console: { input: InputStream; output: Sink };
  /** Called when every live process is blocked with nothing that could wake them. */
  readonly deadlockListeners = new Set<(err: DeadlockError) => void>();
  panic: KernelPanic | undefined;
  readonly panicListeners = new Set<(err: KernelPanic) => void>();

  // Set by boot.
  hostCell!: Cell;
  init!: Process;
  procfs!: Procfs;
  devfs!: MemFs;
  host!: HostApi;
  /** Switches and network stacks (src/net). */
  net!: Network;
  nextPid = 2;
  /** The next cell id to try (ids count on, as pids do, so a removed cell's id is not reused at once). */
  nextCellId = 1;
  /** How many cells have log or signal rules: the boundary checks them only when some do. */
  alerting = 0;
  /** Mechanisms a test switched off (BootOptions.unsafe); SAFE in every normal run. */
  unsafe: Unsafe = SAFE;
  /** The wall clock at tick 0, in milliseconds since the epoch (settime moves it). */
  clockBase = 0;
  private readonly counters = { dev: 0, pipe: 0 };

  private switching = false;

  private constructor(options: BootOptions) {
    this.quantum = options.quantum ?? 10;
    this.sched = new Scheduler(options.cpus ?? 1, this.quantum);
    this.prng = new Prng(options.seed ?? 1);
    this.trace = options.trace ?? null;
    this.console = { input: new InputStream(this, true, 'console'), output: options.consoleOutput ?? (() => {}) };
    this.console.input.end();
  }

  /** Boots a kernel: host cell, root filesystem, devfs, procfs, init. */
  static async boot(options: BootOptions = {}): Promise<Kernel> {
    const k = new Kernel(options);
    await bootHost(k, options);
    k.host = new HostApi(k, k.hostCell);
    return k;
  }

  /** Virtual time now, in ticks: the running CPU's clock, or the latest clock when idle. */
  get now(): number {
    const cpu = this.cpu;
    return cpu === null ? this.sched.horizon : cpu.clock;
  }

  /** Numbers that must be the same in every run: device numbers, pipe inodes. */
  nextId(kind: 'dev' | 'pipe'): number {
    return ++this.counters[kind];
  }

  /**
   * Defines a jail or zone from a spec (jail: populated and defined; zone: configured). An
   * invalid spec rejects with a SpecError listing every problem, and defines nothing.
   */
  createCell(spec: unknown, restore?: { readonly state: string }): Promise<ManagedCell> {
    return defineCell(this, spec, restore);
  }

  /** A defined cell by name. */
  cell(name: string): ManagedCell | undefined {
    return this.managed.get(name);
  }

  /** Copies a rootfs sample into `hostPath`, leaving the directories in `leaveEmpty` (relative paths) empty. */
  installRootfs(hostPath: string, sample: string, leaveEmpty: readonly string[] = []): void {
    const loc = lookup(this.init, hostPath, true);
    loadRootfs(loc.mnt.fs, loc.link, sample, this.now, leaveEmpty);
  }

  registerProgram(name: string, program: Program): void {
    this.programs.set(name, program);
  }

  sysFor(p: Process): Sys {
    return (p.sys ??= makeSys(this, p));
  }

  // ---- the door ---------------------------------------------------------------------------

  /** Every syscall of every program comes through here. */
  syscall(p: Process, row: SyscallRow, args: unknown[]): Promise<unknown> {
    if (p !== this.current || p.inCall) return Promise.reject(new SysError(p.alive ? 'EBUSY' : 'ESRCH', row.name));
    p.inCall = true;
    p.progress = 0;
    p.deadline = -1;
    const cpu = this.cpu!;
    useCpu(cpu, p, row.cost);
    // An event fell due within this call's cost (the scheduler cut the quantum there): it
    // happens first, then the call, so nothing a process does is ordered before it.
    if (cpu.clock > p.sliceEnd) return this.deferred(p, row, args);
    const result = this.invoke(p, row, args);
    // The fast path: a value, the caller still alive, running, and within its quantum.
    if (typeof result !== 'symbol' && p.state === 'running' && !p.stopped && cpu.clock < p.sliceEnd) {
      p.inCall = false;
      return result instanceof SysError ? Promise.reject(result) : Promise.resolve(result);
    }
    return this.slowReturn(p, row, args, result, cpu);
  }

  /** A call whose quantum ended before it began: runs once the CPU is given back to it. */
  private deferred(p: Process, row: SyscallRow, args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.suspend(p, row, args, YIELD, resolve, reject);
    });
  }

  /** Everything but the fast path: blocking, dying, stopping, and the end of a quantum. */
  private slowReturn(p: Process, row: SyscallRow, args: unknown[], result: unknown, cpu: Cpu): Promise<unknown> {
    if (result === BLOCK || result === YIELD) {
      return new Promise((resolve, reject) => {
        this.suspend(p, row, args, result, resolve, reject);
      });
    }
    if (result === NORETURN || !p.alive) {
      this.leaveCpu();
      return NEVER;
    }
    p.inCall = false;
    if (p.stopped) {
      return new Promise((resolve, reject) => {
        p.resume = settler(result, resolve, reject);
        p.state = 'stopped';
        this.leaveCpu();
      });
    }
    if (!this.sched.renew(p, cpu)) {
      return new Promise((resolve, reject) => {
        p.resume = settler(result, resolve, reject);
        this.preempt(p);
      });
    }
    return result instanceof SysError ? Promise.reject(result) : Promise.resolve(result);
  }

  /** An indirect call naming no row: ENOSYS, at the cost of a call. */
  nosys(p: Process, name: string): Promise<never> {
    if (p !== this.current || p.inCall) return Promise.reject(new SysError(p.alive ? 'EBUSY' : 'ESRCH', name));
    useCpu(this.cpu!, p, 1);
    const err = new SysError('ENOSYS', name);
    if (this.trace !== null) this.trace(formatTraceEvent(this.now, p, name, [], err));
    return Promise.reject(err);
  }

  /** Runs a handler: its value, a Control symbol, or the SysError it failed with. */
  private invoke(p: Process, row: SyscallRow, args: unknown[]): unknown {
    let result: unknown;
    try {
      if (row.gate !== undefined) requirePrivilege(p, row.gate);
      if (row.charges.length !== 0 && !p.held.admitted) {
        if (row.unitIndexes !== null && this.alerting === 0 && this.unsafe === SAFE) admitUnits(p, row);
        else admit(this, p, row, args);
      }
      // A rule's signal may have ended the caller: its call never happens (its charges went back).
      result = p.alive ? row.handler(this, p, args) : NORETURN;
    } catch (err) {
      if (!(err instanceof SysError)) throw this.crash(err);
      giveBack(p);
      if (err.syscall === '') err.syscall = row.name;
      if (err.path === undefined && row.pathArg !== undefined) {
        const path = args[row.pathArg];
        if (typeof path === 'string') err.path = path;
      }
      result = err;
    }
    if (result !== BLOCK && result !== YIELD) {
      p.held.reset(); // the call's objects hold its charges now; the next call starts empty
      if (this.trace !== null) this.trace(formatTraceEvent(this.now, p, row.name, args, result));
    }
    return result;
  }

  /** The caller blocked or has more CPU work: park it until its call can go on. */
  private suspend(
    p: Process,
    row: SyscallRow,
    args: unknown[],
    how: typeof BLOCK | typeof YIELD,
    resolve: (v: unknown) => void,
    reject: (e: unknown) => void,
  ): void {
    const retry = (): void => {
      const result = this.invoke(p, row, args);
      if (result === BLOCK || result === YIELD) return this.suspendAgain(p, result, retry);
      if (result === NORETURN || !p.alive) return this.leaveCpu();
      p.inCall = false;
      const settle = (): void => (result instanceof SysError ? reject(result) : resolve(result));
      if (p.stopped) {
        p.resume = settle;
        p.state = 'stopped';
        return this.leaveCpu();
      }
      settle();
    };
    this.suspendAgain(p, how, retry);
  }

  private suspendAgain(p: Process, how: Control, retry: () => void): void {
    p.resume = retry;
    if (how === YIELD) {
      const cpu = this.cpu!;
      if (this.sched.renew(p, cpu)) {
        // Nobody else wants the CPU and its cap allows: keep it and go on at once.
        p.resume = null;
        retry();
        return;
      }
      this.preempt(p);
      return;
    }
    // BLOCK: the handler already put p on a wait queue or a timer.
    this.leaveCpu();
  }

  private preempt(p: Process): void {
    const now = this.cpu!.clock;
    this.current = null;
    this.cpu = null;
    this.sched.enqueue(p, now);
    this.switchAway();
  }

  /** The current process leaves the CPU (blocked, stopped or gone): run someone else. */
  leaveCpu(): void {
    this.current = null;
    this.cpu = null;
    this.switchAway();
  }

  // ---- scheduling ------------------------------------------------------------------------

  /** Gives the CPU to the next runnable process; when nothing can run, goes idle. */
  private switchAway(): void {
    if (this.switching || this.panic !== undefined) return;
    this.switching = true;
    try {
      while (this.current === null) {
        const pick = this.sched.next(this.fireTimer);
        if (pick.kind === 'idle') {
          this.idle();
          return;
        }
        const { proc, cpu } = pick;
        this.current = proc;
        this.cpu = cpu;
        proc.state = 'running';
        proc.sliceEnd = this.sched.sliceEnd(proc, cpu);
        const resume = proc.resume;
        proc.resume = null;
        if (resume === null) throw new KernelPanic(`pid ${proc.pid} scheduled with nothing to resume`);
        resume();
      }
    } finally {
      this.switching = false;
    }
  }

  /** Starts the scheduler if it is idle (work arrived from outside the kernel). */
  kick(): void {
    if (this.current === null && !this.switching) this.switchAway();
  }

  private readonly fireTimer = (p: Process, at: number): void => {
    p.wakeAt = -1;
    if (p.state === 'blocked') this.makeRunnable(p, at);
  };

  /** Puts a blocked process on the run queue (or leaves it stopped until SIGCONT). */
  makeRunnable(p: Process, at: number): void {
    this.unblock(p);
    if (p.stopped) {
      p.state = 'stopped';
      return;
    }
    this.sched.enqueue(p, at);
  }

  /** Takes a process off whatever it sleeps on: its wait queue(s) and its timer. */
  private unblock(p: Process): void {
    if (p.blockedOn !== null) {
      p.blockedOn.waiters.delete(p);
      p.blockedOn = null;
    }
    const polled = p.polling;
    if (polled !== null) {
      for (const queue of polled) queue.waiters.delete(p);
      p.polling = null;
    }
    p.wakeAt = -1;
  }

  /** Handler helper: block the caller on `queue` until a wakeAll (or virtual time `until`, if given). */
  sleepOn(p: Process, queue: WaitQueue, until = -1): typeof BLOCK {
    p.state = 'blocked';
    p.blockedOn = queue;
    queue.waiters.add(p);
    if (until >= 0) this.sched.addTimer(p, until);
    return BLOCK;
  }

  /**
   * Handler helper for poll: block the caller on every queue in `queues` until one is woken, or
   * until virtual time `until` (-1: no timeout).
   */
  sleepOnAny(p: Process, queues: readonly WaitQueue[], until: number): typeof BLOCK {
    p.state = 'blocked';
    p.blockedOn = null;
    p.polling = queues;
    for (const queue of queues) queue.waiters.add(p);
    if (until >= 0) this.sched.addTimer(p, until);
    return BLOCK;
  }

  /** Handler helper: block the caller until virtual time `at`. */
  sleepUntil(p: Process, at: number): typeof BLOCK {
    p.state = 'blocked';
    p.blockedOn = null;
    this.sched.addTimer(p, at);
    return BLOCK;
  }

  /** Wakes every process waiting on `queue`; each retries its call. */
  wakeAll(queue: WaitQueue): void {
    if (queue.waiters.size === 0) return;
    const now = this.now;
    for (const p of [...queue.waiters]) this.makeRunnable(p, now);
    this.kick();
  }

  private idle(): void {
    let live = 0;
    let externalWait = false;
    for (const p of this.procs.values()) {
      if (p === this.init || p.state === 'zombie') continue;
      live++;
      if (p.blockedOn?.external === true || p.polling?.some((queue) => queue.external) === true) externalWait = true;
    }
    if (live === 0 || externalWait) return;
    const err = new DeadlockError(describeDeadlock(this));
    for (const listener of [...this.deadlockListeners]) listener(err);
  }

  // ---- processes -------------------------------------------------------------------------

  allocPid(): number {
    for (let tries = 0; tries < PID_MAX; tries++) {
      const pid = this.nextPid;
      this.nextPid = pid >= PID_MAX ? 2 : pid + 1;
      if (!this.procs.has(pid)) return pid;
    }
    throw new SysError('EAGAIN', 'spawn');
  }

  /** Makes a new process runnable, to start its program when it first gets a CPU. */
  start(p: Process, program: Program): void {
    this.procs.set(p.pid, p);
    p.cell.procs.add(p);
    this.procfs.addProcess(p);
    p.resume = () => this.runProgram(p, program);
    this.sched.enqueue(p, this.now);
  }

  private runProgram(p: Process, program: Program): void {
    const sys = this.sysFor(p);
    const argv = Object.freeze([...p.argv]);
    const env = Object.freeze({ ...p.env });
    Promise.resolve()
      .then(() => program(sys, argv, env))
      .then(
        (code) => this.programEnded(p, typeof code === 'number' && Number.isInteger(code) ? code & 0xff : 0),
        (err: unknown) => this.programFailed(p, err),
      );
  }

  private programEnded(p: Process, code: number): void {
    if (!p.alive) return;
    if (p !== this.current) {
      this.crash(new KernelPanic(`pid ${p.pid} (${p.comm}) returned while not on a CPU: a program must await its syscalls`));
      return;
    }
    exitProcess(this, p, { pid: p.pid, exitCode: code, signal: null });
    this.leaveCpu();
  }

  private programFailed(p: Process, err: unknown): void {
    if (err instanceof KernelPanic) {
      this.crash(err);
      return;
    }
    if (!p.alive) return;
    const message = err instanceof Error ? err.message : String(err);
    const line = new TextEncoder().encode(`${p.comm}: ${message}\n`);
    const stderr = p.fds[2];
    try {
      if (stderr !== undefined && stderr.file.writable) stderr.file.write(this, p, line);
    } catch {
      // The error stream itself failed: the exit status still reports the failure.
    }
    this.programEnded(p, 1);
  }

  /** Delivers a signal with its default action. */
  signalProcess(p: Process, signal: keyof typeof SIGNALS): void {
    deliverSignal(this, p, SIGNALS[signal]);
  }

  /** Called by lifecycle code when a process dies while blocked or queued. */
  forget(p: Process): void {
    this.unblock(p);
    if (p.state === 'runnable') this.sched.dequeue(p);
    releaseCall(p);
  }

  /** A broken invariant: stop the kernel, tell every waiter, and rethrow. */
  crash(err: unknown): KernelPanic {
    const panic = err instanceof KernelPanic ? err : new KernelPanic(err instanceof Error ? (err.stack ?? err.message) : String(err));
    if (this.panic === undefined) {
      this.panic = panic;
      for (const listener of [...this.panicListeners]) listener(panic);
    }
    return panic;
  }

}

export const PID_MAX = 99999;

/**
 * What resumes a parked call: settle its promise with its result. A plain function, not a
 * closure made on the hot path (tsx names every named closure at creation, which costs).
 */
function settler(result: unknown, resolve: (value: unknown) => void, reject: (error: unknown) => void): () => void {
  return function settle(): void {
    if (result instanceof SysError) reject(result);
    else resolve(result);
  };
}
