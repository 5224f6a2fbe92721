/**
 * Booting the host: cell 0 with every privilege, a memfs root loaded from a rootfs sample,
 * devfs on /dev, procfs on /proc, the cgroup2 view of every cell on /sys/fs/cgroup, and init
 * (pid 1), which adopts orphans and reaps them.
 */
import { Cell } from '../cells/cell.js';
import { Process } from '../proc/process.js';
import { ALL_PRIVILEGES, PrivilegeSet } from './privileges.js';
import type { Kernel } from './kernel.js';
import type { Sink } from './stream.js';
import { MemFs, type Link } from '../vfs/memfs.js';
import { MountNamespace, type Loc } from '../vfs/mount.js';
import { createDevfs } from '../vfs/devfs.js';
import { Procfs } from '../vfs/procfs.js';
import { CGROUP2, CGROUP_MOUNTPOINT, createCgroupfs } from '../vfs/cgroupfs.js';
import { DEFAULT_ROOTFS, loadRootfs } from '../vfs/rootfs.js';
import { UtsNamespace } from '../uts/uts.js';
import { IpcNamespace } from '../ipc/sysv.js';
import { S_IFDIR } from './abi.js';
import { builtins } from '../userland/index.js';
import { Network, type HostNetConfig } from '../net/network.js';
import { NetView } from '../net/view.js';
import { INADDR_LOOPBACK } from '../net/ipv4.js';
import { unsafeFlags, type Mechanism } from './unsafe.js';

export interface BootOptions {
  /** Seed of the kernel's PRNG (default 1). */
  readonly seed?: number;
  /** Simulated CPUs (default 1). */
  readonly cpus?: number;
  /** Round-robin quantum in ticks (default 10). */
  readonly quantum?: number;
  /** Root filesystem: a sample name under rootfs-samples/ or a directory path (default "minimal"). */
  readonly rootfs?: string;
  /** The host's hostname (default: the rootfs's /etc/hostname, else "localhost"). */
  readonly hostname?: string;
  /** Receives one JSON line per syscall. */
  readonly trace?: (line: string) => void;
  /** Receives what programs write to /dev/console. */
  readonly consoleOutput?: Sink;
  /**
   * Fills the root filesystem from saved state; resolves false when there is none, and the
   * rootfs sample is loaded instead.
   */
  readonly restoreRoot?: (fs: MemFs) => Promise<boolean>;
  /** The host's network: its address (default 192.0.2.1/24), interface and switch, link latency and loss. */
  readonly network?: HostNetConfig;
  /**
   * Tests only: isolation mechanisms to switch off (src/kernel/unsafe.ts), to show a check fails
   * without them. Specs, scenarios and the CLI never set it.
   */
  readonly unsafe?: readonly Mechanism[];
}

export const HOST_CELL_NAME = 'host';
/** prison0's limits: JAIL_MAX children, securelevel -1 (insecure), every mount visible. */
const HOST_LIMITS = { childrenMax: 999999, securelevel: -1, enforceStatfs: 0 };

export async function bootHost(k: Kernel, options: BootOptions): Promise<void> {
  if (options.unsafe !== undefined && options.unsafe.length > 0) k.unsafe = unsafeFlags(options.unsafe);
  const rootFs = new MemFs('memfs', k.nextId('dev'));
  const restored = options.restoreRoot === undefined ? false : await options.restoreRoot(rootFs);
  if (!restored) loadRootfs(rootFs, rootFs.root, options.rootfs ?? DEFAULT_ROOTFS, 0);
  const mnt = new MountNamespace(rootFs, 'rootfs');
  const root: Loc = { mnt: mnt.root, link: rootFs.root };
  const uts = new UtsNamespace(options.hostname ?? hostnameOf(rootFs));
  k.net = new Network(
    { addEvent: (event, at) => k.sched.addEvent(event, at), wakeAll: (queue) => k.wakeAll(queue), random: () => k.prng.nextU32() },
    options.seed ?? 1,
    options.network,
  );
  const net = new NetView(k.net.host, null, INADDR_LOOPBACK, 0);
  const host = new Cell(0, HOST_CELL_NAME, null, { mnt, uts, ipc: new IpcNamespace(0), net }, new PrivilegeSet(ALL_PRIVILEGES), root, HOST_LIMITS, 'host');
  host.unsafe = k.unsafe; // every cell below inherits it
  k.hostCell = host;
  k.cells.set(0, host);

  k.devfs = createDevfs(k.nextId('dev'));
  k.procfs = new Procfs(k);
  mountAt(rootFs, mnt, root, 'dev', k.devfs, 'devfs');
  mountAt(rootFs, mnt, root, 'proc', k.procfs.fs, 'procfs');
  mnt.mount(createCgroupfs(k, host), CGROUP2, { mnt: root.mnt, link: dirAt(rootFs, CGROUP_MOUNTPOINT) });

  for (const [name, program] of Object.entries(builtins)) k.registerProgram(name, program);

  const init = new Process({ pid: 1, cell: host, cred: { uid: 0, gid: 0, groups: [0] }, root, cwd: root, fds: [], argv: ['init'], env: {}, comm: 'init', now: 0 });
  k.init = init;
  k.procs.set(1, init);
  k.procfs.addProcess(init);
}

function mountAt(rootFs: MemFs, ns: MountNamespace, root: Loc, name: string, fs: MemFs, source: string): void {
  const dir = rootFs.root.children.get(name) ?? rootFs.create(rootFs.root, name, S_IFDIR | 0o555, 0, 0, 0);
  ns.mount(fs, source, { mnt: root.mnt, link: dir });
}

/** The directory at `path` of `fs`, made (mode 0755, as Linux's /sys/fs/cgroup) where missing. */
function dirAt(fs: MemFs, path: string): Link {
  let dir = fs.root;
  for (const name of path.split('/').filter(Boolean)) dir = dir.children.get(name) ?? fs.create(dir, name, S_IFDIR | 0o755, 0, 0, 0);
  return dir;
}

function hostnameOf(fs: MemFs): string {
  const file = fs.root.children.get('etc')?.children.get('hostname');
  const name = file?.getNode().getString().trim();
  return name === undefined || name === '' ? 'localhost' : name;
}
