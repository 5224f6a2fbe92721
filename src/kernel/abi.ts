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

// mount(2) flags (FreeBSD's MNT_RDONLY, Linux's MS_RDONLY).
export const MNT_RDONLY = 1;

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
  /**
   * Soft limits (OpenVZ barriers; a zone's capped-memory physical): kept beside each resource's
   * usage and shown by the views (cell_get, /proc/user_beancounters, cgroup memory.high), never
   * enforced. Any resource; Infinity removes one. cell_set changes the ones it names.
   */
  readonly barriers?: Readonly<Partial<Record<ResourceName, number>>>;
  /**
   * The cell's network (create only; "ip4 cannot be changed after creation"). Default: no IPv4,
   * as FreeBSD gives a new jail that names no ip4 or ip4.addr.
   */
  readonly net?: CellNet;
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
  /** Its IPv4 addresses as the caller sees them, primary first (a restricted cell's list; a vnet cell's interface addresses). */
  readonly addresses: readonly string[];
  /** It has a network stack of its own. */
  readonly vnet: boolean;
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

// Sockets (Linux values, as the open flags are). A socket type may be or'ed with SOCK_NONBLOCK.
export const AF_UNIX = 1;
export const AF_INET = 2;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const SOCK_NONBLOCK = O_NONBLOCK;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;
export const MSG_PEEK = 0x2;
export const MSG_DONTWAIT = 0x40;
export const MSG_NOSIGNAL = 0x4000;
/** The wildcard address (bind: any of the caller's addresses) and the loopback address. */
export const INADDR_ANY = '0.0.0.0';
export const INADDR_LOOPBACK = '127.0.0.1';

// poll(2) events.
export const POLLIN = 0x1;
export const POLLOUT = 0x4;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
export const POLLNVAL = 0x20;

/** An AF_INET socket address: dotted-quad address and port. */
export interface InetAddress {
  readonly address: string;
  readonly port: number;
}

/** An AF_UNIX socket address: a path in the caller's filesystem view ("" when unbound). */
export interface UnixAddress {
  readonly path: string;
}

export type SockAddr = InetAddress | UnixAddress;

/** What accept returns: the new connection's descriptor and its peer. */
export interface Accepted {
  readonly fd: number;
  readonly peer: SockAddr;
}

/** What recvfrom returns: the data and who sent it. */
export interface Datagram {
  readonly data: Uint8Array;
  readonly from: SockAddr;
}

/**
 * Socket options (SOL_SOCKET level). Timeouts are in ticks (0: none): a blocked call gives up
 * with EAGAIN. SO_ERROR (get only) is the pending error's errno number, cleared by reading it;
 * SO_TYPE (get only) is the socket type.
 */
export type SocketOption = 'SO_RCVTIMEO' | 'SO_SNDTIMEO' | 'SO_REUSEADDR' | 'SO_SNDBUF' | 'SO_RCVBUF' | 'SO_ERROR' | 'SO_TYPE';

/** One descriptor poll watches: the events wanted (POLLIN, POLLOUT). */
export interface PollFd {
  readonly fd: number;
  readonly events: number;
}

/** An address on an interface, as ifconfig shows it. */
export interface InterfaceAddress {
  readonly address: string;
  readonly prefix: number;
  readonly broadcast: string | null;
}

/** A network interface of the caller's stack, with the addresses the caller may see. */
export interface NetInterface {
  readonly name: string;
  /** UP, LOOPBACK, BROADCAST, RUNNING, as ifconfig prints them. */
  readonly flags: readonly string[];
  readonly mtu: number;
  /** Ethernet address, null for loopback. */
  readonly mac: string | null;
  readonly addresses: readonly InterfaceAddress[];
  /** The switch it is linked to, or null. */
  readonly switch: string | null;
}

/** A change to an interface (ifconfig): add or remove an address ("a.b.c.d/n"), bring it up or down. */
export interface InterfaceChange {
  readonly add?: string;
  readonly remove?: string;
  readonly up?: boolean;
}

/** A route of the caller's stack (netstat -rn). destination "default" is 0.0.0.0/0. */
export interface RouteInfo {
  readonly destination: string;
  readonly prefix: number;
  /** The next hop, or null for a directly connected subnet. */
  readonly gateway: string | null;
  readonly iface: string;
  /** U (up), G (gateway), H (host), S (static), as netstat -r prints them. */
  readonly flags: string;
}

/** A socket as netstat -an shows it. */
export interface SocketInfo {
  /** tcp4, udp4, raw4 or unix. */
  readonly proto: string;
  readonly local: SockAddr | null;
  readonly remote: SockAddr | null;
  /** TCP state (LISTEN, ESTABLISHED, ...); "" for datagram, raw and unbound sockets. */
  readonly state: string;
  /** Bytes waiting to be read, and bytes sent but not yet acknowledged or still queued. */
  readonly recvQ: number;
  readonly sendQ: number;
}

/**
 * A cell's network, by mechanism:
 * - inherit: its parent's view, whatever it is (FreeBSD ip4=inherit);
 * - disable: no IPv4; AF_INET sockets fail with EPROTONOSUPPORT (ip4=disable);
 * - restrict: its parent's stack, limited to `addresses` (each "a.b.c.d", "a.b.c.d/n" or
 *   "iface|a.b.c.d/n"; the first is the primary), which are added as aliases to the parent's
 *   interface when it lacks them, and removed with the cell. A child's must be among its
 *   parent's (EPERM). `loopback` says what 127.0.0.1 means: the primary address (FreeBSD's
 *   rewrite, the default) or a loopback address of the cell's own, shown to it as 127.0.0.1
 *   (a shared-IP zone's lo0:N);
 * - vnet: a stack of its own with lo0 and `interfaces`, each the inside end of a virtual pair
 *   (epair, vnic) whose outside end is linked to a switch of the host's.
 */
export type CellNet =
  | { readonly mode: 'inherit' }
  | { readonly mode: 'disable' }
  | { readonly mode: 'restrict'; readonly addresses: readonly string[]; readonly loopback?: 'primary' | 'own' }
  | { readonly mode: 'vnet'; readonly interfaces?: readonly VnetInterface[] };

/** An interface of a vnet cell: its name inside, the host switch it is linked to, its address and default route. */
export interface VnetInterface {
  readonly name: string;
  /** Default: the switch of the host's own interface. */
  readonly switch?: string;
  /** "a.b.c.d/n", configured at creation (else the cell configures it with ifconfig). */
  readonly address?: string;
  /** A default route through this gateway. */
  readonly gateway?: string;
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
  /** It has (when up) a network stack of its own: a vnet jail, an exclusive-IP zone. */
  readonly vnet: boolean;
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
  /**
   * Mounts a filesystem of type `fstype` on the directory `target`: memfs/tmpfs (new), procfs,
   * devfs, cgroup2, or nullfs (also lofs, bind): the directory `source` of the caller's view
   * shown again at `target`, without the mounts below it (so a directory mounted inside itself
   * shows, there, the empty mountpoint). `flags` MNT_RDONLY: writes through the mount fail
   * with EROFS.
   */
  mount(source: string, target: string, fstype: string, flags?: number): Promise<void>;
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

  // sockets and the network, answered from the caller's network stack (its own, or the host's restricted to its addresses)
  /**
   * A socket: AF_INET with SOCK_STREAM (TCP), SOCK_DGRAM (UDP) or SOCK_RAW with IPPROTO_ICMP
   * (needs net_rawaccess), or AF_UNIX with SOCK_STREAM. EPROTONOSUPPORT when the caller's cell
   * has no IPv4 (a jail with ip4=disable), EAFNOSUPPORT for another family.
   */
  socket(domain: number, type: number, protocol?: number): Promise<number>;
  /**
   * Binds a local address. AF_INET: an address of the caller's (EADDRNOTAVAIL otherwise; in a
   * cell restricted to addresses, 0.0.0.0 means its address and 127.0.0.1 its primary), port 0
   * for an ephemeral one, below 1024 needs net_privaddr (EACCES); EADDRINUSE when taken.
   * AF_UNIX: creates the socket file at the path (EADDRINUSE when it exists).
   */
  bind(fd: number, address: SockAddr): Promise<void>;
  /** Listens for connections, with a queue of `backlog` (default 128) not yet accepted. */
  listen(fd: number, backlog?: number): Promise<void>;
  /** Takes a connection from a listening socket, blocking while there is none. */
  accept(fd: number): Promise<Accepted>;
  /**
   * Connects: TCP sets up a connection (ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, ETIMEDOUT);
   * UDP sets the default peer; AF_UNIX finds the listening socket file in the caller's view.
   */
  connect(fd: number, address: SockAddr): Promise<void>;
  /** Sends on a connected socket, blocking while the send buffer is full; returns the bytes sent. */
  send(fd: number, data: Data, flags?: number): Promise<number>;
  /** Receives up to `length` bytes (default 65536); empty at end of stream. MSG_PEEK, MSG_DONTWAIT. */
  recv(fd: number, length?: number, flags?: number): Promise<Uint8Array>;
  /** Sends a datagram (UDP, raw ICMP) to `address`. */
  sendto(fd: number, data: Data, address: SockAddr, flags?: number): Promise<number>;
  /** Receives a datagram and its sender (raw ICMP sockets get the IPv4 header and the message). */
  recvfrom(fd: number, length?: number, flags?: number): Promise<Datagram>;
  /** Shuts down reading (SHUT_RD), writing (SHUT_WR: sends FIN), or both. */
  shutdown(fd: number, how: number): Promise<void>;
  getsockname(fd: number): Promise<SockAddr>;
  /** The connected peer; ENOTCONN when there is none. */
  getpeername(fd: number): Promise<SockAddr>;
  setsockopt(fd: number, option: SocketOption, value: number): Promise<void>;
  getsockopt(fd: number, option: SocketOption): Promise<number>;
  /**
   * Waits until one of the descriptors is ready (POLLIN, POLLOUT; POLLHUP, POLLERR, POLLNVAL are
   * always reported) or `timeout` ticks pass (-1, the default: no timeout; 0: just look).
   * Returns each descriptor's ready events, in order.
   */
  poll(fds: readonly PollFd[], timeout?: number): Promise<number[]>;
  /** The interfaces of the caller's stack, with only the addresses the caller may use (ifconfig). */
  net_interfaces(): Promise<NetInterface[]>;
  /** Changes an interface of the caller's own stack (ifconfig): needs sys_ip_config. ENXIO for no such interface. */
  net_ifconfig(name: string, change: InterfaceChange): Promise<void>;
  /** The routing table of the caller's stack (netstat -rn, route show). */
  net_routes(): Promise<RouteInfo[]>;
  /** Adds or deletes a route ("default" or "a.b.c.d/n" via a gateway): needs sys_ip_config. */
  net_route(op: 'add' | 'delete', destination: string, gateway: string): Promise<void>;
  /** The sockets of the caller's stack that the caller may see (netstat -an). */
  net_sockets(): Promise<SocketInfo[]>;

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
