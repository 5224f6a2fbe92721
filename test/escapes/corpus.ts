/**
 * The escape corpus: named attempts to get out of a cell, each a small program run inside the
 * attacker cell of a fresh world (test/harness/world.ts), with the outcome it must meet. Each
 * cites the real-world class it models (a CVE or a man page section) and names the one
 * mechanism (src/kernel/unsafe.ts) that stops it; `escaped` is what the same program achieves
 * once that mechanism is switched off, so no entry passes by doing nothing (escapes.test.ts runs
 * both).
 *
 * Outcomes are short strings: an errno name, OK, or what the program read. `after`, when given,
 * is an observation made from outside once the program ends (is the host's process still
 * alive? what is the host's hostname?), appended as " | ...".
 */
import {
  AF_INET, AF_UNIX, IPC_CREAT, IPC_EXCL, IPC_NOWAIT, IPPROTO_ICMP, O_DIRECTORY, O_RDONLY, O_TRUNC, O_WRONLY,
  SOCK_DGRAM, SOCK_RAW, SOCK_STREAM, type Sys,
} from '../../src/index.js';
import type { Mechanism } from '../../src/kernel/unsafe.js';
import { DEFAULT_CELL_PRIVILEGES } from '../../src/cells/calls.js';
import { lookup } from '../../src/vfs/resolve.js';
import { ADDR, KEY, type AttackerKind, type World } from '../harness/world.js';
import { blockedChild, errno, readText, until, writeText } from './probes.js';

/** What a program may know about the world: numbers any attacker could guess or scan for. */
export interface Facts {
  readonly pids: World['pids'];
}

export interface Escape {
  readonly name: string;
  /** The real-world class it models: a CVE, or a man page section. */
  readonly cites: string;
  /** The attacker cell (world.ts): jail a, zone a, or a cell made by cell_create. */
  readonly cell: AttackerKind;
  /** Extra jail(8) parameters, or cell_create parameters for a 'cell'. */
  readonly params?: Record<string, unknown>;
  /** The uid the program runs as (default root in the cell). */
  readonly uid?: number;
  /** The mechanism that stops it. */
  readonly mechanism: Mechanism;
  readonly program: (sys: Sys, facts: Facts) => Promise<string>;
  readonly after?: (w: World) => string;
  /** The outcome it must meet. */
  readonly expected: string;
  /** Its outcome with the mechanism switched off: the escape succeeds. */
  readonly escaped: string;
}

const HOST_SECRET = 'host secret\n';
const alive = (w: World, pid: number): string => {
  const p = w.k.procs.get(pid);
  return p === undefined || !p.alive ? 'killed' : p.stopped ? 'stopped' : 'alive';
};
const hostname = (w: World): string => w.k.hostCell.ns.uts.hostname;
/** A host file's text as the host sees it, without its last newline. */
const hostFile = (w: World, path: string): string => lookup(w.k.init, path, true).link.getNode().getString().replace(/\n$/, '');
const inetPort = (addr: unknown): string => (addr as { address: string }).address;

async function ownId(sys: Sys): Promise<number> {
  return (await sys.cell_get()).id;
}

export const CORPUS: readonly Escape[] = [
  // ---- chroot, .., symlinks and hard links ---------------------------------------------------
  {
    name: '.. above the jail root',
    cites: 'chroot(2); jail(8): "processes in the jail cannot name files above its root"',
    cell: 'jail', mechanism: 'confinement',
    program: (sys) => readText(sys, '/../../secret'),
    expected: 'ENOENT', escaped: HOST_SECRET,
  },
  {
    name: 'chdir .. past the root, then a relative path',
    cites: 'chroot(2) (the chdir("..") break-out)',
    cell: 'jail', mechanism: 'confinement',
    program: async (sys) => {
      await sys.chdir('/');
      await sys.chdir('../../../..');
      return readText(sys, 'secret');
    },
    expected: 'ENOENT', escaped: HOST_SECRET,
  },
  {
    name: 'absolute symlink climbing above the root',
    cites: 'CVE-2014-6407 (symlink out of a container image); symlink(7)',
    cell: 'jail', mechanism: 'confinement',
    program: async (sys) => {
      await sys.symlink('/../../../secret', '/tmp/up');
      return readText(sys, '/tmp/up');
    },
    expected: 'ENOENT', escaped: HOST_SECRET,
  },
  {
    name: 'relative symlink climbing above the root',
    cites: 'CVE-2017-1002101 (Kubernetes subPath symlink escape)',
    cell: 'jail', mechanism: 'confinement',
    program: async (sys) => {
      await sys.symlink('../../../../secret', '/tmp/rel');
      return readText(sys, '/tmp/rel');
    },
    expected: 'ENOENT', escaped: HOST_SECRET,
  },
  {
    name: 'hard link to a host file',
    cites: 'CVE-2014-6407 (hard link out of a container image); link(2)',
    cell: 'jail', mechanism: 'confinement',
    program: async (sys) => {
      const r = await errno(sys.link('/../../secret', '/tmp/stolen'));
      return r === 'OK' ? readText(sys, '/tmp/stolen') : r;
    },
    expected: 'ENOENT', escaped: HOST_SECRET,
  },
  {
    name: 'chroot into a subdirectory with the cwd left outside',
    cites: 'chroot(2) NOTES: chroot does not change the working directory',
    cell: 'jail', mechanism: 'confinement',
    program: async (sys) => {
      await sys.mkdir('/sub');
      await sys.chroot('/sub');
      return readText(sys, '../../../secret');
    },
    expected: 'ENOENT', escaped: HOST_SECRET,
  },
  {
    name: '.. out of a filesystem the host shares into the jail',
    cites: 'mount_nullfs(8) (a host directory mounted into a jail); jail(8)',
    cell: 'jail', mechanism: 'confinement',
    program: async (sys) => {
      await sys.chdir('/shared');
      return readText(sys, '../../../secret');
    },
    expected: 'ENOENT', escaped: HOST_SECRET,
  },

  {
    name: 'write through a thin jail\'s read-only base into the host\'s /bin',
    cites: 'mount_nullfs(8) -o ro (thin jails); zonecfg(1M) inherit-pkg-dir (sparse root zones)',
    cell: 'jail', params: { mount: ['/bin /jails/a/bin nullfs ro 0 0'] }, mechanism: 'readOnlyMounts',
    program: async (sys) => {
      const opened = sys.open('/bin/hostname', O_WRONLY | O_TRUNC);
      const r = await errno(opened);
      if (r === 'OK') await sys.write(await opened, 'pwned\n');
      return r;
    },
    after: (w) => hostFile(w, '/bin/hostname'),
    expected: 'EROFS | #!builtin hostname', escaped: 'OK | pwned',
  },

  // ---- descriptors and cwd held across chroot or attach ----------------------------------------
  {
    name: 'directory descriptor held across chroot',
    cites: 'chroot(2) (FreeBSD kern.chroot_allow_open_directories)',
    cell: 'jail', mechanism: 'heldDescriptors',
    program: async (sys) => {
      await writeText(sys, '/marker', 'jail a root\n');
      await sys.mkdir('/sub');
      const dir = await sys.open('/', O_RDONLY | O_DIRECTORY);
      const r = await errno(sys.chroot('/sub'));
      if (r !== 'OK') return r;
      await sys.fchdir(dir);
      return readText(sys, 'marker');
    },
    expected: 'EPERM', escaped: 'jail a root\n',
  },
  {
    name: 'directory descriptor held across jail_attach',
    cites: 'CVE-2016-9962 (runc exec: host descriptors reachable inside the container); jail_attach(2)',
    cell: 'jail', mechanism: 'heldDescriptors',
    program: async (sys) => {
      await writeText(sys, '/marker', 'jail a root\n');
      await sys.mkdir('/c');
      await sys.cell_create({ name: 'c', path: '/c', persist: true });
      const dir = await sys.open('/', O_RDONLY | O_DIRECTORY);
      const r = await errno(sys.cell_attach('c'));
      if (r !== 'OK') return r;
      await sys.fchdir(dir);
      return readText(sys, 'marker');
    },
    expected: 'EPERM', escaped: 'jail a root\n',
  },

  // ---- reaching the host through a shared filesystem path ------------------------------------
  {
    name: 'connect to the host\'s unix socket by its host path',
    cites: 'CVE-2020-15257 (containerd-shim socket reachable from containers); unix(4)',
    cell: 'jail', mechanism: 'confinement',
    program: async (sys) => errno(sys.connect(await sys.socket(AF_UNIX, SOCK_STREAM), { path: '/../../var/run/host.sock' })),
    expected: 'ENOENT', escaped: 'OK',
  },
  {
    name: 'connect to the host\'s unix socket through a symlink',
    cites: 'CVE-2018-15664 (symlink swapped to a host path); unix(4)',
    cell: 'jail', mechanism: 'confinement',
    program: async (sys) => {
      await sys.symlink('/../../var/run/host.sock', '/tmp/sock');
      return errno(sys.connect(await sys.socket(AF_UNIX, SOCK_STREAM), { path: '/tmp/sock' }));
    },
    expected: 'ENOENT', escaped: 'OK',
  },
  {
    name: 'read the host\'s cgroup files through a cgroup mount shared into the jail',
    cites: 'CVE-2022-0492 (a container reaching the host\'s cgroup files); cgroups(7)',
    cell: 'jail', mechanism: 'procVisibility',
    program: (sys) => readText(sys, '/hostcg/b/pids.max'),
    expected: 'ENOENT', escaped: 'max\n',
  },
  {
    name: 'list the host\'s processes in a cgroup mount shared into the jail',
    cites: 'cgroups(7) cgroup.procs; CVE-2022-0492',
    cell: 'jail', mechanism: 'procVisibility',
    program: async (sys, { pids }) => ((await readText(sys, '/hostcg/cgroup.procs')).split('\n').includes(String(pids.host)) ? 'host pid listed' : 'host pid hidden'),
    expected: 'host pid hidden', escaped: 'host pid listed',
  },

  // ---- /proc of other processes, ptrace-like access, signals --------------------------------
  {
    name: 'read /proc/PID/status of a host process',
    cites: 'ptrace(2) PTRACE_MODE_READ; proc(5)',
    cell: 'jail', mechanism: 'procVisibility',
    program: async (sys, { pids }) => (await readText(sys, `/proc/${pids.host}/status`)).split('\n')[0]!,
    expected: 'ENOENT', escaped: 'Name:\tcat',
  },
  {
    name: 'read another jail\'s process command line',
    cites: 'procfs(5); ptrace(2) PTRACE_MODE_READ',
    cell: 'jail', mechanism: 'procVisibility',
    program: (sys, { pids }) => readText(sys, `/proc/${pids.b}/cmdline`),
    expected: 'ENOENT', escaped: 'cat\0',
  },
  {
    name: 'read a host process\'s environment',
    cites: 'proc(5) /proc/PID/environ; ptrace(2) PTRACE_MODE_READ; procstat(1) -e',
    cell: 'jail', mechanism: 'procVisibility',
    program: (sys, { pids }) => readText(sys, `/proc/${pids.host}/environ`),
    expected: 'ENOENT', escaped: 'SECRET=host env secret\0',
  },
  {
    name: 'read root\'s process environment after dropping to a user',
    cites: 'proc(5) /proc/PID/environ (mode 0400, non-dumpable after a credential change); ptrace(2) PTRACE_MODE_READ',
    cell: 'jail', mechanism: 'privileges',
    program: async (sys) => {
      const child = await blockedChild(sys, { SECRET: 'root env secret' });
      await sys.setuid(1001);
      return readText(sys, `/proc/${child}/environ`);
    },
    expected: 'EACCES', escaped: 'SECRET=root env secret\0',
  },
  {
    name: 'list the host\'s processes in /proc',
    cites: 'jail(8) (a jail sees only its own processes); ps(1)',
    cell: 'jail', mechanism: 'procVisibility',
    program: async (sys, { pids }) => ((await sys.readdir('/proc')).some((e) => e.name === String(pids.host)) ? 'host pid listed' : 'host pid hidden'),
    expected: 'host pid hidden', escaped: 'host pid listed',
  },
  {
    name: 'a zone reads a jail\'s process in /proc',
    cites: 'zones(5); proc(4) (a zone sees only its own processes)',
    cell: 'zone', mechanism: 'procVisibility',
    program: (sys, { pids }) => readText(sys, `/proc/${pids.b}/cmdline`),
    expected: 'ENOENT', escaped: 'cat\0',
  },
  {
    name: 'kill a host process',
    cites: 'kill(2); jail(8)',
    cell: 'jail', mechanism: 'procVisibility',
    program: (sys, { pids }) => errno(sys.kill(pids.host, 'SIGKILL')),
    after: (w) => alive(w, w.pids.host),
    expected: 'ESRCH | alive', escaped: 'OK | killed',
  },
  {
    name: 'kill(-1) from a jail',
    cites: 'kill(2): pid -1 signals every process the caller may signal',
    cell: 'jail', mechanism: 'procVisibility',
    program: (sys) => errno(sys.kill(-1, 'SIGKILL')),
    after: (w) => [w.pids.host, w.pids.b, w.pids.z].map((pid) => alive(w, pid)).join(' '),
    expected: 'ESRCH | alive alive alive', escaped: 'OK | killed killed killed',
  },
  {
    name: 'stop a process in a zone',
    cites: 'zones(5); kill(2) SIGSTOP',
    cell: 'jail', mechanism: 'procVisibility',
    program: (sys, { pids }) => errno(sys.kill(pids.z, 'SIGSTOP')),
    after: (w) => alive(w, w.pids.z),
    expected: 'ESRCH | alive', escaped: 'OK | stopped',
  },
  {
    name: 'a zone kills a host process',
    cites: 'zones(5) (the global zone\'s processes are invisible); kill(2)',
    cell: 'zone', mechanism: 'procVisibility',
    program: (sys, { pids }) => errno(sys.kill(pids.host, 'SIGTERM')),
    after: (w) => alive(w, w.pids.host),
    expected: 'ESRCH | alive', escaped: 'OK | killed',
  },

  // ---- mounts and device nodes, privileges ---------------------------------------------------
  {
    name: 'mount procfs in a jail with enforce_statfs=2',
    cites: 'mount(2); jail(8) allow.mount, enforce_statfs',
    cell: 'jail', mechanism: 'privileges',
    program: async (sys) => {
      await sys.mkdir('/m');
      return errno(sys.mount('procfs', '/m', 'procfs'));
    },
    expected: 'EPERM', escaped: 'OK',
  },
  {
    name: 'mount devfs to get device nodes',
    cites: 'devfs(5); jail(8) allow.mount.devfs',
    cell: 'jail', mechanism: 'privileges',
    program: async (sys) => {
      await sys.mkdir('/d');
      return errno(sys.mount('devfs', '/d', 'devfs'));
    },
    expected: 'EPERM', escaped: 'OK',
  },
  {
    name: 'nullfs-mount a directory of its own without allow.mount',
    cites: 'mount_nullfs(8); jail(8) allow.mount.nullfs',
    cell: 'jail', mechanism: 'privileges',
    program: async (sys) => {
      await sys.mkdir('/w');
      return errno(sys.mount('/shared', '/w', 'nullfs'));
    },
    expected: 'EPERM', escaped: 'OK',
  },
  {
    name: 'unmount what the host mounted in the jail, with allow.mount',
    cites: 'jail(8) allow.mount; FreeBSD vfs_suser (a jail unmounts only its own mounts)',
    cell: 'jail', params: { 'allow.mount': true, enforce_statfs: 1 }, mechanism: 'cellHierarchy',
    program: (sys) => errno(sys.umount('/dev')),
    after: (w) => ([...w.k.hostCell.ns.mnt.mounts].some((m) => m.mountpoint !== null && m.type === 'devfs' && m.mountpoint.getName() === 'dev' && m.mountpoint.parent?.getName() === 'a') ? 'mounted' : 'unmounted'),
    expected: 'EPERM | mounted', escaped: 'OK | unmounted',
  },
  {
    name: 'open a raw socket without allow.raw_sockets',
    cites: 'ip(4) SOCK_RAW; jail(8) allow.raw_sockets',
    cell: 'jail', mechanism: 'privileges',
    program: (sys) => errno(sys.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)),
    expected: 'EPERM', escaped: 'OK',
  },
  {
    name: 'configure the host\'s interface from a jail that inherits its stack',
    cites: 'ifconfig(8); jail(8) ip4=inherit',
    cell: 'jail', params: { 'ip4.addr': undefined, ip4: 'inherit' }, mechanism: 'privileges',
    program: (sys) => errno(sys.net_ifconfig('em0', { add: '192.0.2.99/24' })),
    expected: 'EPERM', escaped: 'OK',
  },
  {
    name: 'set the hostname with allow.set_hostname=false',
    cites: 'sethostname(2); jail(8) allow.set_hostname',
    cell: 'jail', params: { 'allow.set_hostname': false }, mechanism: 'privileges',
    program: (sys) => errno(sys.sethostname('pwned')),
    expected: 'EPERM', escaped: 'OK',
  },
  {
    name: 'set the host\'s clock from a jail',
    cites: 'settimeofday(2); jail(8) allow.settime',
    cell: 'jail', mechanism: 'privileges',
    program: (sys) => errno(sys.settime(0)),
    expected: 'EPERM', escaped: 'OK',
  },
  {
    name: 'set the clock from a zone',
    cites: 'privileges(5) sys_time; zones(5) limitpriv',
    cell: 'zone', mechanism: 'privileges',
    program: (sys) => errno(sys.settime(0)),
    expected: 'EPERM', escaped: 'OK',
  },
  {
    name: 'chroot as an unprivileged user',
    cites: 'chroot(2) EPERM; privileges(5) proc_chroot',
    cell: 'jail', uid: 1001, mechanism: 'privileges',
    program: (sys) => errno(sys.chroot('/tmp')),
    expected: 'EPERM', escaped: 'OK',
  },
  {
    name: 'signal root\'s process after dropping to a user',
    cites: 'kill(2) EPERM; privileges(5) proc_owner',
    cell: 'jail', mechanism: 'privileges',
    program: async (sys) => {
      const child = await blockedChild(sys);
      await sys.setuid(1001);
      return errno(sys.kill(child, 'SIGKILL'));
    },
    expected: 'EPERM', escaped: 'OK',
  },
  {
    name: 'regain root after setuid',
    cites: 'setuid(2); privileges(5) proc_setid',
    cell: 'jail', mechanism: 'privileges',
    program: async (sys) => {
      await sys.setuid(1001);
      return errno(sys.setuid(0));
    },
    expected: 'EPERM', escaped: 'OK',
  },

  // ---- raw sockets, address spoofing, foreign addresses, shared stacks -----------------------
  {
    name: 'bind the host\'s address',
    cites: 'bind(2) EADDRNOTAVAIL; jail(8) ip4.addr',
    cell: 'jail', mechanism: 'addressRestriction',
    program: async (sys) => errno(sys.bind(await sys.socket(AF_INET, SOCK_DGRAM), { address: ADDR.host, port: 5353 })),
    expected: 'EADDRNOTAVAIL', escaped: 'OK',
  },
  {
    name: 'bind a sibling jail\'s address',
    cites: 'bind(2) EADDRNOTAVAIL; jail(8) ip4.addr',
    cell: 'jail', mechanism: 'addressRestriction',
    program: async (sys) => errno(sys.bind(await sys.socket(AF_INET, SOCK_STREAM), { address: ADDR.b, port: 8080 })),
    expected: 'EADDRNOTAVAIL', escaped: 'OK',
  },
  {
    name: 'connect from a foreign source address (the kernel picks the source)',
    cites: 'ip(4) (no source spoofing: FreeBSD prison_saddrsel_ip4 picks a jail address)',
    cell: 'jail', mechanism: 'addressRestriction',
    program: async (sys) => {
      const fd = await sys.socket(AF_INET, SOCK_STREAM);
      await sys.connect(fd, { address: ADDR.b, port: 80 });
      return inetPort(await sys.getsockname(fd));
    },
    // Unrestricted, the stack picks b's own address (local to the shared stack): b sees a
    // connection from itself.
    expected: ADDR.a, escaped: ADDR.b,
  },
  {
    name: 'bind the wildcard address to catch the host\'s traffic',
    cites: 'jail(8) ip4.addr (INADDR_ANY means the jail\'s own address)',
    cell: 'jail', mechanism: 'addressRestriction',
    program: async (sys) => {
      const fd = await sys.socket(AF_INET, SOCK_DGRAM);
      await sys.bind(fd, { address: '0.0.0.0', port: 5353 });
      return inetPort(await sys.getsockname(fd));
    },
    expected: ADDR.a, escaped: '0.0.0.0',
  },
  {
    name: 'reach a host service bound to 127.0.0.1',
    cites: 'CVE-2020-8558 (localhost-only services reachable from containers)',
    cell: 'jail', mechanism: 'addressRestriction',
    program: async (sys) => errno(sys.connect(await sys.socket(AF_INET, SOCK_STREAM), { address: '127.0.0.1', port: 25 })),
    expected: 'ECONNREFUSED', escaped: 'OK',
  },
  {
    name: 'add an address to a shared stack',
    cites: 'zones(5) (a shared-IP zone may not configure the global zone\'s network); ifconfig(8)',
    cell: 'cell', params: { privileges: [...DEFAULT_CELL_PRIVILEGES, 'sys_ip_config'], net: { mode: 'restrict', addresses: [ADDR.a] } },
    mechanism: 'addressRestriction',
    program: (sys) => errno(sys.net_ifconfig('em0', { add: '192.0.2.77/24' })),
    expected: 'EPERM', escaped: 'OK',
  },
  {
    name: 'add a route to a shared stack',
    cites: 'route(8); zones(5) shared-IP',
    cell: 'cell', params: { privileges: [...DEFAULT_CELL_PRIVILEGES, 'sys_ip_config'], net: { mode: 'restrict', addresses: [ADDR.a] } },
    mechanism: 'addressRestriction',
    program: (sys) => errno(sys.net_route('add', '198.51.100.0/24', '192.0.2.254')),
    expected: 'EPERM', escaped: 'OK',
  },

  // ---- the host's hostname --------------------------------------------------------------------
  {
    name: 'a jail renames the host',
    cites: 'sethostname(2); uts_namespaces(7); jail(8) host.hostname',
    cell: 'jail', mechanism: 'utsVirtualization',
    program: (sys) => errno(sys.sethostname('pwned')),
    after: hostname,
    expected: 'OK | localhost', escaped: 'OK | pwned',
  },
  {
    name: 'a zone renames the global zone',
    cites: 'zones(5) (each zone has its own nodename); sethostname(2)',
    cell: 'zone', mechanism: 'utsVirtualization',
    program: (sys) => errno(sys.sethostname('pwned')),
    after: hostname,
    expected: 'OK | localhost', escaped: 'OK | pwned',
  },

  // ---- SysV IPC key collisions ---------------------------------------------------------------
  {
    name: 'read the host\'s message queue by key',
    cites: 'msgget(2); jail(8) allow.sysvipc',
    cell: 'jail', mechanism: 'ipcNamespaces',
    program: async (sys) => {
      let id: number;
      try {
        id = await sys.msgget(KEY, 0);
      } catch (err) {
        return (err as { code: string }).code;
      }
      return new TextDecoder().decode((await sys.msgrcv(id, 0, 100, IPC_NOWAIT)).data);
    },
    expected: 'ENOENT', escaped: 'host message',
  },
  {
    name: 'read the host\'s shared memory by key',
    cites: 'shmget(2); jail(8) allow.sysvipc',
    cell: 'jail', mechanism: 'ipcNamespaces',
    program: async (sys) => {
      let id: number;
      try {
        id = await sys.shmget(KEY, 0, 0);
      } catch (err) {
        return (err as { code: string }).code;
      }
      return new TextDecoder().decode(await sys.shmread(id, 0, 18));
    },
    expected: 'ENOENT', escaped: 'host shared memory',
  },
  {
    name: 'IPC key collision on IPC_CREAT|IPC_EXCL',
    cites: 'msgget(2) EEXIST',
    cell: 'jail', mechanism: 'ipcNamespaces',
    program: (sys) => errno(sys.msgget(KEY, IPC_CREAT | IPC_EXCL | 0o600)),
    expected: 'OK', escaped: 'EEXIST',
  },
  {
    name: 'SysV IPC in a jail without allow.sysvipc',
    cites: 'jail(8) allow.sysvipc (ENOSYS without it)',
    cell: 'jail', params: { 'allow.sysvipc': false }, mechanism: 'ipcNamespaces',
    program: (sys) => errno(sys.msgget(KEY, 0)),
    expected: 'ENOSYS', escaped: 'OK',
  },
  {
    name: 'a zone looks up the global zone\'s segment',
    cites: 'zones(5) (IPC objects are per zone); shmget(2)',
    cell: 'zone', mechanism: 'ipcNamespaces',
    program: (sys) => errno(sys.shmget(KEY, 0, 0)),
    expected: 'ENOENT', escaped: 'OK',
  },

  // ---- a child more privileged than itself, its own limits -----------------------------------
  {
    name: 'create a child jail with a privilege the parent lacks',
    cites: 'jail(8) (a child jail never gets more than its parent)',
    cell: 'jail', mechanism: 'childBounds',
    program: async (sys) => {
      await sys.mkdir('/c');
      return errno(sys.cell_create({ name: 'c', path: '/c', persist: true, privileges: ['sys_time'] }));
    },
    expected: 'EPERM', escaped: 'OK',
  },
  {
    name: 'create a child jail with higher limits than its own',
    cites: 'rctl(8) (hierarchical limits); cgroups(7)',
    cell: 'jail', params: { limits: { processes: 50 } }, mechanism: 'childBounds',
    program: async (sys) => {
      await sys.mkdir('/c');
      return errno(sys.cell_create({ name: 'c', path: '/c', persist: true, limits: { processes: 1000 } }));
    },
    expected: 'EPERM', escaped: 'OK',
  },
  {
    name: 'raise its own limits',
    cites: 'rctl(8) (limits are set from outside the jail); setrlimit(2)',
    cell: 'jail', params: { limits: { processes: 10 } }, mechanism: 'cellHierarchy',
    program: async (sys) => errno(sys.cell_set(await ownId(sys), { limits: { processes: 1000 } })),
    expected: 'ENOENT', escaped: 'OK',
  },
  {
    name: 'attach to the host',
    cites: 'jail_attach(2) (only to jails below the caller)',
    cell: 'jail', mechanism: 'cellHierarchy',
    program: async (sys) => {
      const r = await errno(sys.cell_attach(0));
      return r === 'OK' ? readText(sys, '/secret') : r;
    },
    expected: 'EINVAL', escaped: HOST_SECRET,
  },
  {
    name: 'remove a sibling jail',
    cites: 'jail_remove(2) (only jails below the caller)',
    cell: 'jail', mechanism: 'cellHierarchy',
    program: (sys) => errno(sys.cell_remove(1)),
    after: (w) => alive(w, w.pids.b),
    expected: 'EINVAL | alive', escaped: 'OK | killed',
  },

  // ---- quotas: a cell cannot exceed what it was given ----------------------------------------
  {
    name: 'fork bomb past the process limit',
    cites: 'rctl(8) maxproc; setrlimit(2) RLIMIT_NPROC',
    cell: 'jail', params: { limits: { processes: 4 } }, mechanism: 'admission',
    program: (sys) => until(8, () => blockedChild(sys)),
    expected: '3 then EAGAIN', escaped: '8 then none',
  },
  {
    name: 'allocate past the memory limit',
    cites: 'rctl(8) memoryuse; setrlimit(2) RLIMIT_AS',
    cell: 'jail', params: { limits: { memory: 1048576 } }, mechanism: 'admission',
    program: (sys) => errno(sys.alloc(2 * 1048576)),
    expected: 'ENOMEM', escaped: 'OK',
  },
  {
    name: 'open past the descriptor limit',
    cites: 'rctl(8) openfiles; setrlimit(2) RLIMIT_NOFILE',
    cell: 'jail', params: { limits: { openFiles: 8 } }, mechanism: 'admission',
    program: (sys) => until(12, () => sys.open('/etc/passwd', O_RDONLY)),
    expected: '5 then EMFILE', escaped: '12 then none',
  },
  {
    name: 'fill the disk past the quota',
    cites: 'quota(1) EDQUOT; rctl(8)',
    cell: 'jail', params: { limits: { disk: 65536 } }, mechanism: 'admission',
    program: async (sys) => errno(writeText(sys, '/tmp/big', new Uint8Array(100000))),
    expected: 'EDQUOT', escaped: 'OK',
  },
];
