/**
 * A booted kernel with several cells holding state worth stealing or breaking, for the isolation
 * harness tests (the insensitive-call check and the escape corpus):
 * - the host: /secret (0600), a unix socket /var/run/host.sock, TCP 192.0.2.1:80, UDP :53 and
 *   a loopback-only TCP 127.0.0.1:25 listening, SysV queue and segment with key 42, a process
 *   (cat) blocked on a pipe;
 * - jail b (192.0.2.11, own SysV IPC): /secret-b, the same kind of objects and process;
 * - zone z (running): /secret-z and a blocked process;
 * - the attacker cell "a", of the kind asked for: a jail (192.0.2.10, own SysV IPC, procfs and
 *   devfs mounted, one child allowed, /shared: a memfs the host mounted into its root, and
 *   /hostcg: the host's cgroup2 tree, mounted there before the jail was made), a
 *   zone, a vnet jail, or a cell made by cell_create with the parameters given (for mechanisms
 *   no personality exposes alone).
 * The background processes block on pipes they hold both ends of, so nothing outside the
 * attacker moves while it runs, whatever virtual time does.
 */
import {
  AF_INET, AF_UNIX, HostApi, IPC_CREAT, Kernel, O_CREAT, O_WRONLY, SOCK_DGRAM, SOCK_STREAM,
  type Sys,
} from '../../src/index.js';
import type { Cell } from '../../src/cells/cell.js';
import type { Mechanism } from '../../src/kernel/unsafe.js';

export type AttackerKind = 'jail' | 'zone' | 'vnet' | 'cell';

export interface WorldOptions {
  readonly attacker?: AttackerKind;
  /** Extra jail(8) parameters for a jail attacker, or cell_create parameters for a 'cell' one. */
  readonly params?: Record<string, unknown>;
  /** Mechanisms switched off (tests only). */
  readonly unsafe?: readonly Mechanism[];
}

export interface World {
  readonly k: Kernel;
  /** The attacker: its kernel cell, and the API to run programs in it. */
  readonly cell: Cell;
  readonly a: HostApi;
  readonly b: HostApi;
  readonly z: HostApi;
  /** Pids of the blocked background processes: the host's, b's, z's. */
  readonly pids: { readonly host: number; readonly b: number; readonly z: number };
}

export const ADDR = { host: '192.0.2.1', a: '192.0.2.10', b: '192.0.2.11' } as const;
export const KEY = 42;

const JAIL_A = {
  kind: 'jail', name: 'a', path: '/jails/a', rootfs: 'minimal', 'host.hostname': 'a.example', 'ip4.addr': [ADDR.a],
  'allow.sysvipc': true, 'mount.procfs': true, 'mount.devfs': true, 'children.max': 1, persist: true,
} as const;
const JAIL_B = {
  kind: 'jail', name: 'b', path: '/jails/b', rootfs: 'minimal', 'host.hostname': 'b.example', 'ip4.addr': [ADDR.b],
  'allow.sysvipc': true, 'mount.procfs': true, 'mount.devfs': true, persist: true,
} as const;
const ZONE_Z = { kind: 'zone', zonename: 'z', zonepath: '/zones/z', rootfs: 'minimal' } as const;

export async function buildWorld(options: WorldOptions = {}): Promise<World> {
  const k = await Kernel.boot({ seed: 7, unsafe: options.unsafe ?? [] });
  const host = await hostSetup(k);
  const b = await managed(k, JAIL_B);
  const z = await managed(k, ZONE_Z);
  const bPid = await holder(b, 'b', ADDR.b);
  const zPid = await holder(z, 'z', null);
  const a = await attacker(k, options.attacker ?? 'jail', options.params ?? {});
  return { k, cell: a.cell, a, b, z, pids: { host, b: bPid, z: zPid } };
}

/** Runs `body` in `api` and fails loudly if it does not exit 0 quietly. */
export async function must(api: HostApi, body: (sys: Sys) => Promise<void>): Promise<void> {
  const r = await api.run(async (sys) => {
    await body(sys);
    return 0;
  }, ['setup']);
  if (r.exitCode !== 0 || r.stderr !== '') throw new Error(`setup failed (${r.exitCode}): ${r.stderr}`);
}

async function hostSetup(k: Kernel): Promise<number> {
  await must(k.host, async (sys) => {
    await writeFile(sys, '/secret', 'host secret\n', 0o600);
    await sys.mkdir('/var/run').catch(() => undefined);
    await sys.mkdir('/shared', 0o755);
    await writeFile(sys, '/shared/host-file', 'shared by the host\n', 0o644);
  });
  return holder(k.host, 'host', ADDR.host, '/var/run/host.sock');
}

async function managed(k: Kernel, spec: Record<string, unknown>): Promise<HostApi> {
  const c = await k.createCell(spec);
  await c.bringUp();
  return apiOf(k, String(spec.name ?? spec.zonename));
}

function apiOf(k: Kernel, name: string): HostApi {
  const cell = [...k.cells.values()].find((c) => c.name === name);
  if (cell === undefined) throw new Error(`no cell ${name}`);
  return new HostApi(k, cell);
}

/**
 * Leaves a process (cat) in `api`'s cell blocked forever on a pipe it holds both ends of, and
 * holding its sockets, SysV objects (key 42), a secret file and a secret in its environment.
 * Returns its pid.
 */
async function holder(api: HostApi, name: string, address: string | null, unixPath?: string): Promise<number> {
  let pid = 0;
  await must(api, async (sys) => {
    if (name !== 'host') await writeFile(sys, `/secret-${name}`, `${name} secret\n`, 0o600);
    const fds: number[] = [];
    const [r, w] = await sys.pipe();
    fds.push(r, w, w);
    if (address !== null) {
      const tcp = await sys.socket(AF_INET, SOCK_STREAM);
      await sys.bind(tcp, { address, port: 80 });
      await sys.listen(tcp, 5);
      const udp = await sys.socket(AF_INET, SOCK_DGRAM);
      await sys.bind(udp, { address, port: 53 });
      fds.push(tcp, udp);
    }
    if (name === 'host') {
      // A service the host offers on loopback only (sendmail's, a database's admin port).
      const local = await sys.socket(AF_INET, SOCK_STREAM);
      await sys.bind(local, { address: '127.0.0.1', port: 25 });
      await sys.listen(local, 5);
      fds.push(local);
    }
    if (unixPath !== undefined) {
      const unix = await sys.socket(AF_UNIX, SOCK_STREAM);
      await sys.bind(unix, { path: unixPath });
      await sys.listen(unix, 5);
      fds.push(unix);
    }
    if (name !== 'z') {
      const q = await sys.msgget(KEY, IPC_CREAT | 0o600);
      await sys.msgsnd(q, 1, `${name} message`);
      const m = await sys.shmget(KEY, 64, IPC_CREAT | 0o600);
      await sys.shmwrite(m, name === 'host' ? 0 : 32, `${name} shared memory`);
    }
    pid = await sys.spawn('/bin/cat', ['cat'], { fds, env: { SECRET: `${name} env secret` } });
  });
  return pid;
}

async function attacker(k: Kernel, kind: AttackerKind, params: Record<string, unknown>): Promise<HostApi> {
  switch (kind) {
    case 'jail': {
      // The host's cgroup tree, mounted where the jail's root will be before the jail exists,
      // as a container started with the host's /sys/fs/cgroup bound in.
      await must(k.host, async (sys) => {
        for (const dir of ['/jails', '/jails/a', '/jails/a/hostcg']) await sys.mkdir(dir).catch(() => undefined);
        await sys.mount('cgroup2', '/jails/a/hostcg', 'cgroup2');
      });
      const api = await managed(k, defined({ ...JAIL_A, ...params }));
      // A filesystem the host shares into the jail (nullfs-like): mounted by the host at
      // /jails/a/shared, seen by both.
      await must(k.host, async (sys) => {
        await sys.mkdir('/jails/a/shared');
        await sys.mount('memfs', '/jails/a/shared', 'memfs');
        await writeFile(sys, '/jails/a/shared/note', 'shared note\n');
      });
      return api;
    }
    case 'zone':
      return managed(k, { kind: 'zone', zonename: 'a', zonepath: '/zones/a', rootfs: 'minimal', ...params });
    case 'vnet':
      return managed(k, {
        kind: 'jail', name: 'a', path: '/jails/a', rootfs: 'minimal', 'host.hostname': 'a.example', vnet: 'new', 'vnet.interface': ['epair0b'],
        'exec.start': `ifconfig epair0b inet ${ADDR.a}/24 up`, 'mount.procfs': true, persist: true, ...params,
      });
    case 'cell': {
      let id = 0;
      await must(k.host, async (sys) => {
        await sys.mkdir('/cells');
        await sys.mkdir('/cells/a');
        k.installRootfs('/cells/a', 'minimal');
        await sys.mount('devfs', '/cells/a/dev', 'devfs');
        await sys.mount('procfs', '/cells/a/proc', 'procfs');
        id = await sys.cell_create({ name: 'a', path: '/cells/a', persist: true, ...params });
      });
      return new HostApi(k, k.cells.get(id)!);
    }
  }
}

/** The spec without the keys a test set to undefined (to drop one of the defaults). */
function defined(spec: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(spec).filter(([, value]) => value !== undefined));
}

export async function writeFile(sys: Sys, path: string, text: string, mode = 0o644): Promise<void> {
  const fd = await sys.open(path, O_CREAT | O_WRONLY, mode);
  await sys.write(fd, text);
  await sys.close(fd);
}
