/**
 * The syscall table: one row per call, the single source for dispatch, the privilege gate,
 * quota admission (the `charges` and `releases` columns), the docs and the Popek–Goldberg
 * audit. A row says:
 * - family: which subsystem serves it;
 * - sensitive: can the call read or change state outside the caller's own process and cell?
 * - mediation: how the kernel keeps a sensitive call inside the caller's cell:
 *   'virtualized' (answered from the caller's own namespace), 'confined' (resolved within the
 *   caller's view: its root, the processes it may see), 'privileged' (needs a privilege);
 * - gate: the privilege the caller must hold before the handler runs (deny by default);
 *   checks: privileges the handler may ask for in some cases (chown, kill another user...);
 * - charges/releases: resources the call takes from or gives back to the cell's partition;
 * - cost: virtual ticks the call takes.
 * Sys (abi.ts) and this table are tied by type: a row missing, extra or of the wrong shape
 * does not compile.
 */
import type { Sys, SyscallName } from './abi.js';
import type { Control } from './control.js';
import type { Kernel } from './kernel.js';
import type { Privilege } from './privileges.js';
import type { Process } from '../proc/process.js';
import type { Cell } from '../cells/cell.js';
import { RESOURCE_INDEX, type Resource } from '../cells/partition.js';
export type { Resource };
import * as proc from '../proc/calls.js';
import * as fd from '../vfs/fd-calls.js';
import * as path from '../vfs/path-calls.js';
import * as uts from '../uts/calls.js';
import * as time from './time-calls.js';
import * as cell from '../cells/calls.js';
import * as cellcfg from '../cells/cfg-calls.js';
import * as sysv from '../ipc/sysv-calls.js';
import { writeBufferCharge } from '../ipc/pipe.js';
import * as memory from '../proc/memory.js';
import * as net from '../net/calls.js';
import * as netcfg from '../net/config-calls.js';
import { poll } from '../vfs/poll.js';

export type Family = 'proc' | 'fd' | 'vfs' | 'uts' | 'time' | 'ipc' | 'net' | 'cell';
export type Mediation = 'virtualized' | 'confined' | 'privileged';
/**
 * What a call charges: a resource, how much (default 1), and to whose partition (default the
 * caller's cell). The dispatcher charges before the handler runs and uncharges if it fails; the
 * objects the call makes (a process, a descriptor, file bytes) carry the charge from then on,
 * and their release paths uncharge.
 */
export interface Charge {
  readonly resource: Resource;
  /** The resource's RESOURCE_INDEX, filled in when the table is built. */
  readonly index?: number;
  readonly amount?: (k: Kernel, p: Process, args: unknown[]) => number;
  readonly to?: (k: Kernel, p: Process, args: unknown[]) => Cell;
}

export type Handler<K extends SyscallName> = (
  k: Kernel,
  p: Process,
  args: Parameters<Sys[K]>,
) => Awaited<ReturnType<Sys[K]>> | Control;

interface RowSpec<K extends SyscallName> {
  readonly family: Family;
  readonly sensitive: boolean;
  readonly mediation?: readonly Mediation[];
  readonly gate?: Privilege;
  readonly checks?: readonly Privilege[];
  readonly charges?: readonly (Resource | Charge)[];
  readonly releases?: readonly Resource[];
  readonly cost?: number;
  /** Index of the path argument, named in SysError.path when the call fails. */
  readonly pathArg?: number;
  readonly doc: string;
  readonly handler: Handler<K>;
}

export interface SyscallRow {
  readonly name: SyscallName;
  readonly family: Family;
  readonly sensitive: boolean;
  readonly mediation: readonly Mediation[];
  readonly gate: Privilege | undefined;
  readonly checks: readonly Privilege[];
  readonly charges: readonly Charge[];
  /** When every charge is one unit to the caller's own cell: their resource indexes (admission's fast path); else null. */
  readonly unitIndexes: readonly number[] | null;
  readonly releases: readonly Resource[];
  readonly cost: number;
  readonly pathArg: number | undefined;
  readonly doc: string;
  readonly handler: (k: Kernel, p: Process, args: unknown[]) => unknown;
}

const TABLE: { readonly [K in SyscallName]: RowSpec<K> } = {
  // processes
  spawn: { family: 'proc', sensitive: true, mediation: ['confined'], charges: [{ resource: 'processes', to: proc.spawnCell }, { resource: 'openFiles', amount: proc.spawnFds, to: proc.spawnCell }], pathArg: 0, doc: 'fork+exec: start a program from a file in the caller\'s root', handler: proc.spawn },
  wait: { family: 'proc', sensitive: false, releases: ['processes'], doc: 'waitpid: reap a child', handler: proc.wait },
  exit: { family: 'proc', sensitive: false, releases: ['openFiles', 'memory', 'sockets'], doc: 'end the calling process', handler: proc.exit },
  getpid: { family: 'proc', sensitive: false, doc: 'the caller\'s pid', handler: proc.getpid },
  getppid: { family: 'proc', sensitive: false, doc: 'the parent\'s pid', handler: proc.getppid },
  kill: { family: 'proc', sensitive: true, mediation: ['confined', 'privileged'], checks: ['proc_owner'], doc: 'send a signal to processes the caller may see', handler: proc.kill },
  getuid: { family: 'proc', sensitive: false, doc: 'the caller\'s user id', handler: proc.getuid },
  getgid: { family: 'proc', sensitive: false, doc: 'the caller\'s group id', handler: proc.getgid },
  getgroups: { family: 'proc', sensitive: false, doc: 'the caller\'s supplementary groups', handler: proc.getgroups },
  setuid: { family: 'proc', sensitive: false, mediation: ['privileged'], checks: ['proc_setid'], doc: 'set the user id (any id needs proc_setid)', handler: proc.setuid },
  setgid: { family: 'proc', sensitive: false, mediation: ['privileged'], checks: ['proc_setid'], doc: 'set the group id (any id needs proc_setid)', handler: proc.setgid },
  setgroups: { family: 'proc', sensitive: false, mediation: ['privileged'], gate: 'proc_setid', doc: 'set the supplementary groups', handler: proc.setgroups },
  alloc: { family: 'proc', sensitive: false, charges: [{ resource: 'memory', amount: memory.allocAmount }], doc: 'grow the caller\'s memory (sbrk/mmap; only charged)', handler: memory.alloc },
  free: { family: 'proc', sensitive: false, releases: ['memory'], doc: 'give back memory alloc gave', handler: memory.free },

  // descriptors
  open: { family: 'fd', sensitive: true, mediation: ['confined', 'privileged'], checks: ['file_dac_read', 'file_dac_write', 'proc_owner'], charges: ['openFiles', { resource: 'inodes', amount: fd.openCreates }], releases: ['disk'], pathArg: 0, doc: 'open or create a file in the caller\'s view', handler: fd.open },
  close: { family: 'fd', sensitive: false, releases: ['openFiles', 'memory', 'sockets'], doc: 'close a descriptor', handler: fd.close },
  read: { family: 'fd', sensitive: false, releases: ['memory'], doc: 'read from a descriptor', handler: fd.read },
  write: { family: 'fd', sensitive: false, charges: [{ resource: 'disk', amount: fd.writeGrowth }, { resource: 'memory', amount: writeBufferCharge }], doc: 'write to a descriptor', handler: fd.write },
  lseek: { family: 'fd', sensitive: false, doc: 'move a file offset', handler: fd.lseek },
  pipe: { family: 'ipc', sensitive: false, charges: [{ resource: 'openFiles', amount: () => 2 }], doc: 'a pipe: read end and write end', handler: fd.pipe },
  dup: { family: 'fd', sensitive: false, charges: ['openFiles'], doc: 'duplicate a descriptor', handler: fd.dup },
  dup2: { family: 'fd', sensitive: false, charges: [{ resource: 'openFiles', amount: fd.dup2Count }], releases: ['openFiles'], doc: 'duplicate a descriptor onto a given number', handler: fd.dup2 },
  fstat: { family: 'fd', sensitive: false, doc: 'status of an open file', handler: fd.fstat },
  fchdir: { family: 'fd', sensitive: false, doc: 'change directory to an open directory', handler: fd.fchdir },
  isatty: { family: 'fd', sensitive: false, doc: 'is the descriptor a terminal?', handler: fd.isatty },
  poll: { family: 'fd', sensitive: false, doc: 'wait until descriptors are ready or a timeout passes', handler: poll },

  // files and directories
  stat: { family: 'vfs', sensitive: true, mediation: ['confined'], pathArg: 0, doc: 'file status, following symlinks', handler: path.stat },
  lstat: { family: 'vfs', sensitive: true, mediation: ['confined'], pathArg: 0, doc: 'file status, not following a final symlink', handler: path.lstat },
  access: { family: 'vfs', sensitive: true, mediation: ['confined'], pathArg: 0, doc: 'check permissions', handler: path.access },
  readdir: { family: 'vfs', sensitive: true, mediation: ['confined', 'privileged'], checks: ['file_dac_read'], pathArg: 0, doc: 'list a directory', handler: path.readdir },
  mkdir: { family: 'vfs', sensitive: true, mediation: ['confined', 'privileged'], checks: ['file_dac_write'], charges: ['inodes'], pathArg: 0, doc: 'make a directory', handler: path.mkdir },
  rmdir: { family: 'vfs', sensitive: true, mediation: ['confined', 'privileged'], checks: ['file_dac_write'], releases: ['inodes'], pathArg: 0, doc: 'remove an empty directory', handler: path.rmdir },
  unlink: { family: 'vfs', sensitive: true, mediation: ['confined', 'privileged'], checks: ['file_dac_write'], releases: ['inodes', 'disk'], pathArg: 0, doc: 'remove a directory entry', handler: path.unlink },
  rename: { family: 'vfs', sensitive: true, mediation: ['confined', 'privileged'], checks: ['file_dac_write'], releases: ['inodes', 'disk'], pathArg: 0, doc: 'rename an entry', handler: path.rename },
  link: { family: 'vfs', sensitive: true, mediation: ['confined', 'privileged'], checks: ['file_dac_write'], pathArg: 1, doc: 'make a hard link', handler: path.link },
  symlink: { family: 'vfs', sensitive: true, mediation: ['confined', 'privileged'], checks: ['file_dac_write'], charges: ['inodes'], pathArg: 1, doc: 'make a symbolic link', handler: path.symlink },
  readlink: { family: 'vfs', sensitive: true, mediation: ['confined'], pathArg: 0, doc: 'read a symbolic link', handler: path.readlink },
  truncate: { family: 'vfs', sensitive: true, mediation: ['confined', 'privileged'], checks: ['file_dac_write'], charges: [{ resource: 'disk', amount: path.truncateGrowth }], releases: ['disk'], pathArg: 0, doc: 'set a file\'s length', handler: path.truncate },
  chmod: { family: 'vfs', sensitive: true, mediation: ['confined', 'privileged'], checks: ['file_owner'], pathArg: 0, doc: 'change mode bits (owner, or file_owner)', handler: path.chmod },
  chown: { family: 'vfs', sensitive: true, mediation: ['confined', 'privileged'], checks: ['file_chown'], pathArg: 0, doc: 'change owner and group (file_chown)', handler: path.chown },
  chdir: { family: 'vfs', sensitive: true, mediation: ['confined'], pathArg: 0, doc: 'change the working directory', handler: path.chdir },
  getcwd: { family: 'vfs', sensitive: false, mediation: ['confined'], doc: 'the working directory as seen from the caller\'s root', handler: path.getcwd },
  chroot: { family: 'vfs', sensitive: true, mediation: ['confined', 'privileged'], gate: 'proc_chroot', pathArg: 0, doc: 'change the root directory', handler: path.chroot },
  statfs: { family: 'vfs', sensitive: true, mediation: ['confined'], pathArg: 0, doc: 'filesystem usage', handler: path.statfs },
  mount: { family: 'vfs', sensitive: true, mediation: ['confined', 'privileged'], gate: 'sys_mount', pathArg: 1, doc: 'mount a filesystem (memfs, tmpfs, procfs, devfs, cgroup2), or a directory again (nullfs/lofs/bind; MNT_RDONLY: read-only), in the caller\'s mount namespace', handler: path.mount },
  umount: { family: 'vfs', sensitive: true, mediation: ['confined', 'privileged'], gate: 'sys_mount', pathArg: 0, doc: 'unmount a filesystem', handler: path.umount },

  // identity and time
  gethostname: { family: 'uts', sensitive: true, mediation: ['virtualized'], doc: 'the hostname of the caller\'s UTS namespace', handler: uts.gethostname },
  sethostname: { family: 'uts', sensitive: true, mediation: ['virtualized', 'privileged'], gate: 'sys_admin', doc: 'set the hostname of the caller\'s UTS namespace', handler: uts.sethostname },
  uname: { family: 'uts', sensitive: true, mediation: ['virtualized'], doc: 'system name and the caller\'s nodename', handler: uts.uname },
  time: { family: 'time', sensitive: false, doc: 'virtual ticks since boot', handler: time.time },
  gettime: { family: 'time', sensitive: false, doc: 'the wall clock, in milliseconds since the epoch', handler: time.gettime },
  settime: { family: 'time', sensitive: true, mediation: ['privileged'], gate: 'sys_time', doc: 'set the host\'s wall clock (settimeofday); jail allow.settime, zone limitpriv sys_time', handler: time.settime },
  sleep: { family: 'time', sensitive: false, doc: 'block for a number of ticks', handler: time.sleep },
  compute: { family: 'time', sensitive: false, cost: 0, doc: 'simulated CPU work, preempted at quantum boundaries', handler: time.compute },

  // cells
  cell_create: { family: 'cell', sensitive: true, mediation: ['confined', 'privileged'], gate: 'sys_cell', doc: 'create a child cell (jail_set JAIL_CREATE, zone_create)', handler: cell.cell_create },
  cell_set: { family: 'cell', sensitive: true, mediation: ['confined', 'privileged'], gate: 'sys_cell', doc: 'change a descendant cell\'s parameters (jail_set JAIL_UPDATE)', handler: cell.cell_set },
  cell_get: { family: 'cell', sensitive: true, mediation: ['confined'], doc: 'a descendant\'s parameters, or the caller\'s own cell\'s (jail_get)', handler: cell.cell_get },
  cell_list: { family: 'cell', sensitive: true, mediation: ['confined'], doc: 'the cells below the caller\'s (jls)', handler: cell.cell_list },
  cell_attach: { family: 'cell', sensitive: true, mediation: ['confined', 'privileged'], gate: 'sys_cell', doc: 'move the caller into a descendant cell (jail_attach, zone_enter)', handler: cell.cell_attach },
  cell_remove: { family: 'cell', sensitive: true, mediation: ['confined', 'privileged'], gate: 'sys_cell', doc: 'remove a descendant cell, killing its processes (jail_remove)', handler: cell.cell_remove },

  // sockets and the network: the caller's view of a stack (its own, or its parent's restricted to its addresses)
  socket: { family: 'net', sensitive: true, mediation: ['virtualized', 'privileged'], checks: ['net_icmpaccess', 'net_rawaccess'], charges: ['openFiles', 'sockets'], doc: 'a socket in the caller\'s network view (raw ICMP needs net_icmpaccess or net_rawaccess)', handler: net.socket },
  bind: { family: 'net', sensitive: true, mediation: ['virtualized', 'confined', 'privileged'], checks: ['net_privaddr', 'file_dac_write'], charges: [{ resource: 'inodes', amount: net.bindCharge }], doc: 'bind a local address the caller may use (ports below 1024: net_privaddr), or an AF_UNIX path in its root', handler: net.bind },
  listen: { family: 'net', sensitive: true, mediation: ['virtualized'], doc: 'accept connections on a bound socket', handler: net.listen },
  accept: { family: 'net', sensitive: false, charges: ['openFiles', 'sockets'], doc: 'take a connection from a listening socket', handler: net.accept },
  connect: { family: 'net', sensitive: true, mediation: ['virtualized', 'confined'], doc: 'connect from the caller\'s addresses (AF_UNIX: a socket file in its root)', handler: net.connect },
  send: { family: 'net', sensitive: false, charges: [{ resource: 'memory', amount: writeBufferCharge }], doc: 'send on a connected socket', handler: net.send },
  recv: { family: 'net', sensitive: false, releases: ['memory'], doc: 'receive from a connected socket', handler: net.recv },
  sendto: { family: 'net', sensitive: true, mediation: ['virtualized'], doc: 'send a datagram from the caller\'s address (no spoofing: the kernel picks the source)', handler: net.sendto },
  recvfrom: { family: 'net', sensitive: true, mediation: ['virtualized'], doc: 'receive a datagram (raw sockets: only packets to addresses the caller may see)', handler: net.recvfrom },
  shutdown: { family: 'net', sensitive: false, doc: 'shut down reading, writing or both', handler: net.shutdown },
  getsockname: { family: 'net', sensitive: false, doc: 'the socket\'s local address', handler: net.getsockname },
  getpeername: { family: 'net', sensitive: false, doc: 'the connected peer\'s address', handler: net.getpeername },
  setsockopt: { family: 'net', sensitive: false, doc: 'set a socket option (timeouts, buffer sizes)', handler: net.setsockopt },
  getsockopt: { family: 'net', sensitive: false, doc: 'read a socket option (SO_ERROR takes the pending error)', handler: net.getsockopt },
  net_interfaces: { family: 'net', sensitive: true, mediation: ['virtualized'], doc: 'interfaces of the caller\'s stack, with its own addresses only (ifconfig)', handler: netcfg.net_interfaces },
  net_ifconfig: { family: 'net', sensitive: true, mediation: ['virtualized', 'privileged'], gate: 'sys_ip_config', doc: 'configure an interface of the caller\'s own stack (not a shared one)', handler: netcfg.net_ifconfig },
  net_routes: { family: 'net', sensitive: true, mediation: ['virtualized'], doc: 'routes of the caller\'s stack (its own subnets when it shares one)', handler: netcfg.net_routes },
  net_route: { family: 'net', sensitive: true, mediation: ['virtualized', 'privileged'], gate: 'sys_ip_config', doc: 'add or delete a route of the caller\'s own stack', handler: netcfg.net_route },
  net_sockets: { family: 'net', sensitive: true, mediation: ['virtualized', 'confined'], doc: 'sockets the caller may see (netstat): its stack\'s, limited to its addresses when shared', handler: netcfg.net_sockets },

  // the host's cell registry
  cellcfg_list: { family: 'cell', sensitive: true, mediation: ['confined'], doc: 'cells defined on the host from specs, with their lifecycle states (zoneadm list -c); host only', handler: cellcfg.cellcfg_list },
  cellcfg_op: { family: 'cell', sensitive: true, mediation: ['confined', 'privileged'], gate: 'sys_cell', doc: 'run a lifecycle operation on a defined cell (zoneadm boot, halt, install, ...); host only', handler: cellcfg.cellcfg_op },

  // SysV IPC: the caller's IPC namespace; ENOSYS without one. Checks: privileges that override an object's mode bits.
  msgget: { family: 'ipc', sensitive: true, mediation: ['virtualized', 'privileged'], checks: ['ipc_dac_read', 'ipc_dac_write'], charges: [{ resource: 'ipc', amount: sysv.msggetCharge }], doc: 'get or create a message queue by key', handler: sysv.msgget },
  msgsnd: { family: 'ipc', sensitive: true, mediation: ['virtualized', 'privileged'], checks: ['ipc_dac_write'], charges: [{ resource: 'memory', amount: sysv.msgsndBytes }], doc: 'queue a message, blocking while the queue is full', handler: sysv.msgsnd },
  msgrcv: { family: 'ipc', sensitive: true, mediation: ['virtualized', 'privileged'], checks: ['ipc_dac_read'], releases: ['memory'], doc: 'take a message by type, blocking while none matches', handler: sysv.msgrcv },
  msgctl: { family: 'ipc', sensitive: true, mediation: ['virtualized', 'privileged'], checks: ['ipc_dac_read', 'ipc_owner'], releases: ['ipc', 'memory'], doc: 'state of a message queue (IPC_STAT), or remove it (IPC_RMID)', handler: sysv.msgctl },
  shmget: { family: 'ipc', sensitive: true, mediation: ['virtualized', 'privileged'], checks: ['ipc_dac_read', 'ipc_dac_write'], charges: [{ resource: 'ipc', amount: sysv.shmgetCharge }, { resource: 'memory', amount: sysv.shmgetBytes }], doc: 'get or create a shared memory segment by key', handler: sysv.shmget },
  shmctl: { family: 'ipc', sensitive: true, mediation: ['virtualized', 'privileged'], checks: ['ipc_dac_read', 'ipc_owner'], releases: ['ipc', 'memory'], doc: 'state of a segment (IPC_STAT), or remove it (IPC_RMID)', handler: sysv.shmctl },
  shmread: { family: 'ipc', sensitive: true, mediation: ['virtualized', 'privileged'], checks: ['ipc_dac_read'], doc: 'read bytes of a segment (stands in for shmat and loads)', handler: sysv.shmread },
  shmwrite: { family: 'ipc', sensitive: true, mediation: ['virtualized', 'privileged'], checks: ['ipc_dac_read', 'ipc_dac_write'], doc: 'write bytes into a segment (stands in for shmat and stores)', handler: sysv.shmwrite },
  ipc_list: { family: 'ipc', sensitive: true, mediation: ['virtualized'], doc: 'every queue and segment of the caller\'s IPC namespace (for ipcs)', handler: sysv.ipc_list },
};

/**
 * A charge in the one shape the dispatcher reads (every field present, in one order), so the
 * admission loop's property loads stay monomorphic.
 */
export function normalizeCharge(charge: Resource | Charge): Charge {
  const c: Charge = typeof charge === 'string' ? { resource: charge } : charge;
  return { resource: c.resource, index: RESOURCE_INDEX[c.resource], amount: c.amount, to: c.to };
}

/** The resource indexes of charges that are all one unit to the caller's cell, or null. */
export function unitIndexesOf(charges: readonly Charge[]): readonly number[] | null {
  if (charges.length === 0 || charges.some((c) => c.amount !== undefined || c.to !== undefined)) return null;
  return charges.map((c) => c.index!);
}

/** The rows, in table order. */
export const SYSCALLS: readonly SyscallRow[] = (Object.keys(TABLE) as SyscallName[]).map((name) => {
  const spec = TABLE[name] as RowSpec<SyscallName>;
  return Object.freeze({
    name,
    family: spec.family,
    sensitive: spec.sensitive,
    mediation: spec.mediation ?? [],
    gate: spec.gate,
    checks: spec.checks ?? [],
    charges: (spec.charges ?? []).map(normalizeCharge),
    unitIndexes: unitIndexesOf((spec.charges ?? []).map(normalizeCharge)),
    releases: spec.releases ?? [],
    cost: spec.cost ?? 1,
    pathArg: spec.pathArg,
    doc: spec.doc,
    handler: spec.handler as unknown as SyscallRow['handler'],
  });
});

export const SYSCALL_BY_NAME: ReadonlyMap<string, SyscallRow> = new Map(SYSCALLS.map((row) => [row.name, row]));
