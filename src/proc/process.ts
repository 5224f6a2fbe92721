/**
 * The process structure. Owned by the proc subsystem (src/proc); the scheduler writes only the
 * scheduling fields (state, readyAt, sliceEnd, resume), the VFS only root and cwd through
 * chdir/chroot handlers, and descriptor handlers only `fds`.
 */
import type { Cell } from '../cells/cell.js';
import type { Namespaces } from '../cells/namespaces.js';
import { WaitQueue } from '../kernel/waitqueue.js';
import { HeldCharges } from '../cells/admission.js';
import type { Partition } from '../cells/partition.js';
import type { OpenFile } from '../vfs/file.js';
import type { Loc } from '../vfs/mount.js';
import type { Sys, WaitResult } from '../kernel/abi.js';

export type ProcState =
  | 'runnable' // in a run queue
  | 'running' // on a CPU now
  | 'blocked' // asleep on a wait queue or a timer
  | 'stopped' // SIGSTOP; resumes on SIGCONT
  | 'zombie'; // exited, not yet reaped

export interface Credentials {
  uid: number;
  gid: number;
  groups: readonly number[];
}

export interface FdEntry {
  readonly file: OpenFile;
  cloexec: boolean;
  /** The partition this descriptor is charged to (openFiles), released when it closes. */
  readonly owner: Partition;
}

/** A syscall that blocked or was preempted, to be retried or completed when resumed. */
export interface PendingCall {
  readonly attempt: () => void;
}

/** What path resolution and procfs need to know of whoever looks: a process, or a process-to-be. */
export type Viewer = Pick<Process, 'pid' | 'root' | 'cwd' | 'ns' | 'cred' | 'cell'>;

/** What a new process starts with. */
export interface ProcessInit {
  readonly pid: number;
  readonly cell: Cell;
  readonly cred: Credentials;
  readonly root: Loc;
  readonly cwd: Loc;
  readonly fds: (FdEntry | undefined)[];
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly comm: string;
  /** Virtual time of creation. */
  readonly now: number;
  readonly parent?: Process;
  /** Namespaces, when not the cell's. */
  readonly ns?: Namespaces;
}

export class Process {
  readonly pid: number;
  parent: Process | undefined;
  cell: Cell;
  cred: Credentials;
  root: Loc;
  cwd: Loc;
  fds: (FdEntry | undefined)[];
  argv: readonly string[];
  env: Readonly<Record<string, string>>;
  comm: string;
  readonly children = new Set<Process>();
  /** Children that have exited and wait to be reaped, in exit order. */
  readonly zombies = new Set<Process>();
  /** A new process waits, blocked, until Kernel.start queues it. */
  state: ProcState = 'blocked';
  /** Set when the process has left the run queue while stopped, to be re-queued on SIGCONT. */
  stopped = false;
  exitStatus: WaitResult | undefined;
  /** Virtual ticks of CPU this process has used. */
  cpuTicks = 0;
  readonly startTick: number;

  // scheduling, written by the scheduler only
  readyAt: number;
  sliceEnd = 0;
  /** What to run when the scheduler gives this process a CPU. */
  resume: (() => void) | null = null;
  blockedOn: WaitQueue | null = null;
  /** The queues a process blocked in poll sleeps on (each wakeup wakes it), else null. */
  polling: readonly WaitQueue[] | null = null;
  /** Absolute virtual time a sleeping process wakes at, or -1. */
  wakeAt = -1;
  /** Per-call scratch: bytes written so far by a blocked write, ticks computed so far. */
  progress = 0;
  /** Per-call scratch: the virtual time a blocking call with a timeout gives up at (-1: none yet). */
  deadline = -1;
  /** True while a syscall of this process is in progress (one at a time per process). */
  inCall = false;
  /** Charges admitted for the call in progress, until its objects hold them (or it fails). */
  readonly held = new HeldCharges();
  /** The partition charged for this process (released when it is reaped). */
  charged: Partition | null = null;
  /** Bytes alloc'd and not freed, and the partition they are charged to (written by proc/memory.ts). */
  readonly memory: { bytes: number; owner: Partition | null } = { bytes: 0, owner: null };

  /** Woken when a child changes state, for wait(). */
  readonly childEvents = new WaitQueue('wait');
  /** Called once with the exit status when the process becomes a zombie (host API hook). */
  onExit: ((status: WaitResult) => void) | undefined;
  sys: Sys | undefined;
  /** File mode bits cleared on create. */
  umask = 0o022;
  /** The namespaces this process lives in (its cell's, unless it has moved). */
  ns: Namespaces;

  constructor(init: ProcessInit) {
    this.pid = init.pid;
    this.cell = init.cell;
    this.cred = init.cred;
    this.root = init.root;
    this.cwd = init.cwd;
    this.fds = init.fds;
    this.argv = init.argv;
    this.env = init.env;
    this.comm = init.comm;
    this.startTick = init.now;
    this.readyAt = init.now;
    this.parent = init.parent;
    this.ns = init.ns ?? init.cell.ns;
    init.parent?.children.add(this);
  }

  get alive(): boolean {
    return this.state !== 'zombie';
  }
}
