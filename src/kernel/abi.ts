/**
 * The ABI between programs and the kernel: the `Sys` interface every program receives, the
 * data types syscalls return, and their constants. Nothing here holds kernel state; a program
 * sees only these plain values. The syscall table (syscall-table.ts) implements exactly this
 * interface, one row per method, so the two cannot drift apart.
 *
 * Units: time is counted in virtual ticks; HZ ticks make one virtual second.
 */

/** Ticks per virtual second: one tick is one virtual millisecond. */
export const HZ = 1000;

// open(2) flags, Linux values.
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_ACCMODE = 3;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;
export const O_CLOEXEC = 0o2000000;

// lseek(2) whence.
export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;

// File type bits of st_mode.
export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFCHR = 0o020000;
export const S_IFDIR = 0o040000;
export const S_IFIFO = 0o010000;

// waitpid(2) options.
export const WNOHANG = 1;

/** Signal numbers (Linux numbering, so `128 + n` statuses match a Linux shell). */
export const SIGNALS = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
} as const;
export type SignalName = keyof typeof SIGNALS;

/** What stat(2) returns. Times are virtual milliseconds since boot. */
export interface Stat {
  readonly dev: number;
  readonly ino: number;
  readonly mode: number;
  readonly nlink: number;
  readonly uid: number;
  readonly gid: number;
  readonly rdev: number;
  readonly size: number;
  readonly blksize: number;
  readonly blocks: number;
  readonly atimeMs: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

export type FileType = 'file' | 'dir' | 'symlink' | 'chardev' | 'fifo' | 'socket';

export interface Dirent {
  readonly name: string;
  readonly ino: number;
  readonly type: FileType;
}

export interface StatFs {
  /** Filesystem type name, as in /proc/mounts (memfs, procfs, devfs). */
  readonly type: string;
  readonly bsize: number;
  readonly blocks: number;
  readonly bfree: number;
  readonly files: number;
  readonly ffree: number;
}

export interface Utsname {
  readonly sysname: string;
  readonly nodename: string;
  readonly release: string;
  readonly version: string;
  readonly machine: string;
}

/** A reaped child: exitCode for a normal exit, signal for a death by signal. */
export interface WaitResult {
  readonly pid: number;
  readonly exitCode: number | null;
  readonly signal: number | null;
}

export interface SpawnOptions {
  /** Environment of the new process; the caller's when omitted. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Descriptors of the child, as posix_spawn file actions followed by closefrom(3): child fd i
   * is a duplicate of the caller's fd `fds[i]` (null: closed). Omitted: the caller's 0, 1, 2.
   */
  readonly fds?: readonly (number | null)[];
  /** Working directory of the child, resolved by the caller; the caller's when omitted. */
  readonly cwd?: string;
  /**
   * Start the child inside this descendant cell, as fork + jail_attach + exec: the path is
   * resolved in the cell's root and the child starts at it. Needs sys_cell.
   */
  readonly cell?: CellRef;
}

/**
 * Parameters of a cell, as cell_create and cell_set take them: mechanisms, not kinds. The
 * personalities (jail, zone) translate their specs into these.
 */
export interface CellParams {
  /** Name relative to the caller's cell; dots name a path ("www.sub" is "sub" inside "www"). */
  readonly name?: string;
  /** Root directory, resolved in the caller's root (create only). Default: the caller's root. */
  readonly path?: string;
  /** Hostname of the cell's own UTS namespace. Default: "" (FreeBSD: a new jail's own, empty name). */
  readonly hostname?: string;
  /** Privileges root holds inside (privileges table names); each must be held by the parent. */
  readonly privileges?: readonly string[];
  /** How many descendant cells it may have (FreeBSD children.max); default 0. */
  readonly childrenMax?: number;
  /** Default: the parent's. May not be lower than the parent's. */
  readonly securelevel?: number;
  /** Which mounts it sees (FreeBSD enforce_statfs 0..2); default 2. May not be lower than the parent's. */
  readonly enforceStatfs?: number;
  /** Its own SysV IPC namespace; without one, SysV IPC calls fail with ENOSYS (FreeBSD allow.sysvipc). */
  readonly sysvipc?: boolean;
  /** Keep the cell when its last process exits (FreeBSD persist); default false. */
  readonly persist?: boolean;
  /** What the cell is, for display only ("jail", "zone"); no mechanism reads it. */
  readonly kind?: string;
  /**
   * Hard limits of its resource partition (processes, openFiles, memory, disk bytes, inodes,
   * sockets, ipc); never above the parent's. cell_set changes them live: a limit below current
   * usage refuses new charges and takes nothing away. The same object carries the CPU settings
   * (CpuSetting), as a spec's generic `limits` does, so every path that sets limits sets them.
   */
  readonly limits?: Readonly<Partial<Record<ResourceName | CpuSetting, number>>>;
  /**
   * Rules with actions, as rctl(8) and Solaris rctls have them (cell_set replaces the list):
   * `deny` refuses charges past its amount (a hard limit, as `limits`); `log` writes a line to
   * the console and the trace when usage first passes its amount; a signal name sends that
   * signal to the process whose call passed it, once per process and rule.
   */
  readonly rules?: readonly CellRule[];
}

/**
 * CPU settings of a cell (Solaris FSS, cgroup cpu.weight and cpu.max). cpuShares: an integer
 * 1..65535, default 1 (zone.cpu-shares); under contention a cell gets its shares over the
 * shares of its siblings that want CPU, and its processes and child cells divide that. cpuCap:
 * percent of one CPU (50 is half, 150 one and a half), held even when CPUs are idle; default
 * none, Infinity removes it; never above the parent's (EPERM).
 */
export type CpuSetting = 'cpuShares' | 'cpuCap';

/** A cell's CPU: ticks used by it and its descendants, its shares, its cap (null: none). */
export interface CpuUsage {
  readonly ticks: number;
  readonly shares: number;
  readonly cap: number | null;
}

/** One rule: when `resource` usage passes `amount`, do `action`. `text` is shown in messages. */
export interface CellRule {
  readonly resource: ResourceName;
  readonly action: 'deny' | 'log' | SignalName;
  readonly amount: number;
  readonly text?: string;
}

export type ResourceName = 'processes' | 'openFiles' | 'memory' | 'disk' | 'inodes' | 'sockets' | 'ipc';

/** One resource of a partition, as OpenVZ's beancounters keep it (Infinity: unlimited). */
export interface ResourceUsage {
  readonly usage: number;
  readonly peak: number;
  readonly barrier: number;
  readonly limit: number;
  readonly failcnt: number;
}

/** What cell_get and cell_list return, as seen by the caller. */
export interface CellInfo {
  readonly id: number;
  /** Name relative to the caller's cell. */
  readonly name: string;
  readonly kind: string;
  /** Root directory as seen from the caller's root ("/" when it is the caller's root). */
  readonly path: string;
  readonly hostname: string;
  /** Parent's id; 0 when the parent is the caller's own cell. */
  readonly parent: number;
  readonly state: 'alive' | 'dying';
  readonly childrenMax: number;
  readonly childrenCur: number;
  readonly securelevel: number;
  readonly enforceStatfs: number;
  readonly privileges: readonly string[];
  readonly persist: boolean;
  readonly sysvipc: boolean;
  /** Processes in the cell itself (not its descendants). */
  readonly processes: number;
  /** Its resource partition (usage includes its descendants'). */
  readonly resources: Readonly<Record<ResourceName, ResourceUsage>>;
  readonly cpu: CpuUsage;
}

// SysV IPC: msgget/shmget flags (the low 9 bits are the new object's mode) and ctl commands,
// FreeBSD values. MSG_NOERROR lets msgrcv truncate a long message instead of failing with E2BIG.
export const IPC_PRIVATE = 0;
export const IPC_CREAT = 0o1000;
export const IPC_EXCL = 0o2000;
export const IPC_NOWAIT = 0o4000;
export const MSG_NOERROR = 0o10000;
export const IPC_RMID = 0;
export const IPC_STAT = 2;

/** What every SysV IPC object reports (struct ipc_perm, plus its change time). Times are ticks since boot. */
export interface IpcPermInfo {
  readonly id: number;
  readonly key: number;
  readonly uid: number;
  readonly gid: number;
  /** Creator's uid and gid. */
  readonly cuid: number;
  readonly cgid: number;
  /** Permission bits (0o777). */
  readonly mode: number;
  readonly ctime: number;
}

/** msgctl IPC_STAT (struct msqid_ds). */
export interface MsgInfo extends IpcPermInfo {
  readonly kind: 'msg';
  /** Messages queued, and their bytes. */
  readonly qnum: number;
  readonly cbytes: number;
  /** Most bytes the queue holds (msgmnb). */
  readonly qbytes: number;
  /** Pids of the last sender and receiver (0: none yet). */
  readonly lspid: number;
  readonly lrpid: number;
  readonly stime: number;
  readonly rtime: number;
}

/** shmctl IPC_STAT (struct shmid_ds). */
export interface ShmInfo extends IpcPermInfo {
  readonly kind: 'shm';
  readonly segsz: number;
  /** Always 0: shmread/shmwrite stand in for attaching, so nothing stays attached. */
  readonly nattch: number;
  /** Creator's pid; pid of the last shmread/shmwrite (0: none yet). */
  readonly cpid: number;
  readonly lpid: number;
  readonly atime: number;
  readonly dtime: number;
}

export type IpcInfo = MsgInfo | ShmInfo;

/** A message msgrcv returns. */
export interface IpcMessage {
  readonly type: number;
  readonly data: Uint8Array;
}

/** A cell defined on the host from a spec (a jail, a zone), as the host's registry has it. */
export interface CellConfig {
  readonly name: string;
  readonly kind: string;
  /** Lifecycle state in the personality's words: defined, running; configured, installed, ready, running. */
  readonly state: string;
  /** The kernel's id while the cell is in the kernel, else null. */
  readonly id: number | null;
  /** The cell's root directory on the host. */
  readonly root: string;
  /** A zone's zonepath (the directory holding root/), else null. */
  readonly zonepath: string | null;
}

/** A cell named by id or by name relative to the caller's cell. */
export type CellRef = number | string;

/** Data a program writes: bytes, or a string written as UTF-8. */
export type Data = Uint8Array | string;

/**
 * The only door into the kernel. Every method is one syscall row; every call is a scheduling
 * point. Failures reject with a SysError (code, errno, syscall, path).
 */
export interface Sys {
  // processes
  spawn(path: string, argv: readonly string[], options?: SpawnOptions): Promise<number>;
  /** waitpid(2): pid -1 (default) waits for any child; WNOHANG gives null when none is done. */
  wait(pid?: number, options?: number): Promise<WaitResult | null>;
  exit(code: number): Promise<never>;
  getpid(): Promise<number>;
  getppid(): Promise<number>;
  /** pid > 0: one process; 0: the caller's process group is not modelled, so its own; -1: all it may signal. */
  kill(pid: number, signal: number | SignalName): Promise<void>;
  getuid(): Promise<number>;
  getgid(): Promise<number>;
  getgroups(): Promise<number[]>;
  setuid(uid: number): Promise<void>;
  setgid(gid: number): Promise<void>;
  setgroups(groups: readonly number[]): Promise<void>;
  /**
   * Grows the caller's memory by `bytes` (sbrk/mmap: nothing is mapped, the bytes are charged to
   * the caller's cell); ENOMEM when its memory limit refuses them.
   */
  alloc(bytes: number): Promise<void>;
  /** Gives back `bytes` of what alloc gave; EINVAL for more than the caller holds. Exit frees the rest. */
  free(bytes: number): Promise<void>;

  // descriptors
  open(path: string, flags?: number, mode?: number): Promise<number>;
  close(fd: number): Promise<void>;
  /** Reads up to `length` bytes; an empty array means end of file. */
  read(fd: number, length?: number): Promise<Uint8Array>;
  /** Writes all of `data` (blocking on a full pipe); returns the bytes written. */
  write(fd: number, data: Data): Promise<number>;
  lseek(fd: number, offset: number, whence?: number): Promise<number>;
  pipe(): Promise<[number, number]>;
  dup(fd: number): Promise<number>;
  dup2(fd: number, newfd: number): Promise<number>;
  fstat(fd: number): Promise<Stat>;
  fchdir(fd: number): Promise<void>;
  isatty(fd: number): Promise<boolean>;

  // files and directories
  stat(path: string): Promise<Stat>;
  lstat(path: string): Promise<Stat>;
  /** access(2) with F_OK (0), R_OK (4), W_OK (2), X_OK (1). */
  access(path: string, mode?: number): Promise<void>;
  readdir(path: string): Promise<Dirent[]>;
  mkdir(path: string, mode?: number): Promise<void>;
  rmdir(path: string): Promise<void>;
  unlink(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, path: string): Promise<void>;
  symlink(target: string, path: string): Promise<void>;
  readlink(path: string): Promise<string>;
  truncate(path: string, length: number): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  chown(path: string, uid: number, gid: number): Promise<void>;
  chdir(path: string): Promise<void>;
  getcwd(): Promise<string>;
  chroot(path: string): Promise<void>;
  statfs(path: string): Promise<StatFs>;
  mount(source: string, target: string, fstype: string): Promise<void>;
  umount(target: string): Promise<void>;

  // identity and time
  gethostname(): Promise<string>;
  sethostname(name: string): Promise<void>;
  uname(): Promise<Utsname>;
  /** Virtual ticks since boot. */
  time(): Promise<number>;
  /** Wall-clock time in milliseconds since the epoch: the host's clock setting plus the ticks since boot. */
  gettime(): Promise<number>;
  /** Sets the wall clock (settimeofday/clock_settime). One clock for the whole host; needs sys_time. */
  settime(epochMs: number): Promise<void>;
  /** Blocks for `ticks` of virtual time. */
  sleep(ticks: number): Promise<void>;
  /** Simulated CPU work: holds the CPU for `ticks`, preempted at quantum boundaries. */
  compute(ticks: number): Promise<void>;

  // cells (FreeBSD jail_set/jail_get/jail_attach/jail_remove, Solaris zone calls)
  /** Creates a child cell of the caller's cell; returns its id. Needs sys_cell. */
  cell_create(params: CellParams): Promise<number>;
  /** Changes a descendant's parameters (hostname, privileges, limits). Needs sys_cell. */
  cell_set(cell: CellRef, params: CellParams): Promise<void>;
  /** A descendant's parameters; with no argument, the caller's own cell. */
  cell_get(cell?: CellRef): Promise<CellInfo>;
  /** Every descendant the caller can see, by id. */
  cell_list(): Promise<CellInfo[]>;
  /** Moves the caller into a descendant cell: its root, namespaces and policy. Needs sys_cell. */
  cell_attach(cell: CellRef): Promise<void>;
  /** Removes a descendant and all below it, killing every process in them. Needs sys_cell. */
  cell_remove(cell: CellRef): Promise<void>;

  // SysV IPC, answered from the caller's IPC namespace; ENOSYS when its cell has none (FreeBSD allow.sysvipc)
  /** A message queue by key: IPC_PRIVATE always makes a new one; flags IPC_CREAT, IPC_EXCL and mode bits. */
  msgget(key: number, flags?: number): Promise<number>;
  /** Queues a message of `type` (> 0); blocks while the queue is full, or EAGAIN with IPC_NOWAIT. */
  msgsnd(id: number, type: number, data: Data, flags?: number): Promise<void>;
  /**
   * Takes a message: type 0 the first, > 0 the first of that type, < 0 the first of the lowest type
   * <= |type|. Blocks while there is none, or ENOMSG with IPC_NOWAIT; E2BIG when it is longer than
   * maxBytes (MSG_NOERROR: truncated instead).
   */
  msgrcv(id: number, type: number, maxBytes: number, flags?: number): Promise<IpcMessage>;
  /** IPC_STAT: the queue's state; IPC_RMID: removes it (owner or privileged), waking its waiters with EIDRM. */
  msgctl(id: number, cmd: number): Promise<MsgInfo | undefined>;
  /** A shared memory segment by key, as msgget; size may not exceed an existing segment's. */
  shmget(key: number, size: number, flags?: number): Promise<number>;
  /** IPC_STAT: the segment's state; IPC_RMID: removes it at once (nothing stays attached). */
  shmctl(id: number, cmd: number): Promise<ShmInfo | undefined>;
  /**
   * Reads bytes of a segment. With no address space to map a segment into, shmread and shmwrite
   * stand in for shmat(2) followed by loads or stores; outside the segment is EFAULT.
   */
  shmread(id: number, offset: number, length: number): Promise<Uint8Array>;
  /** Writes bytes into a segment (needs read and write permission, as shmat does); returns the count. */
  shmwrite(id: number, offset: number, data: Data): Promise<number>;
  /** Every queue and segment of the caller's IPC namespace (FreeBSD's kern.ipc.msqids/shmsegs, for ipcs). */
  ipc_list(): Promise<IpcInfo[]>;

  // the host's cell registry (zonecfg/zoneadm's view): host cell only
  /** Every cell defined on the host from a spec, with its lifecycle state. Host cell only (EPERM). */
  cellcfg_list(): Promise<CellConfig[]>;
  /**
   * Runs a lifecycle operation on a defined cell (install, uninstall, ready, boot, halt, reboot,
   * start, stop) and blocks until it is done. Resolves "" or, for a refusal the real tool
   * reports with status 0, its words ("zone is already booted"); rejects with EINVAL and the
   * tool's words in `detail` for an illegal one. Host cell only; needs sys_cell.
   */
  cellcfg_op(name: string, op: string): Promise<string>;

  /** Indirect call by name, as syscall(2): a name the table lacks fails with ENOSYS. */
  syscall(name: string, ...args: unknown[]): Promise<unknown>;
}

export type SyscallName = Exclude<keyof Sys, 'syscall'>;

/** A program: what a process runs. Its return value is the exit status. */
export type Program = (sys: Sys, argv: readonly string[], env: Readonly<Record<string, string>>) => Promise<number> | number;
