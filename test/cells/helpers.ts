/** Helpers for cell tests: a kernel with a jail and a zone defined from the examples. */
import { HostApi, type Kernel } from '../../src/index.js';
import type { Partition } from '../../src/cells/partition.js';
import type { ManagedCell } from '../../src/cells/managed.js';
import { boot, probe } from '../kernel/helpers.js';

export const WWW = {
  kind: 'jail', name: 'www', path: '/jails/www', rootfs: 'minimal', 'host.hostname': 'www.example.org',
  'allow.set_hostname': false, 'children.max': 1, securelevel: 2, enforce_statfs: 2, 'exec.start': 'sh /etc/rc',
  'mount.procfs': true,
} as const;

export const DB = { kind: 'zone', zonename: 'db', zonepath: '/zones/db', rootfs: 'minimal', autoboot: true, limitpriv: 'default' } as const;

export interface World {
  readonly k: Kernel;
  readonly www: ManagedCell;
  readonly db: ManagedCell;
}

/** Boots a kernel with www (a running jail) and db (a running zone). */
export async function world(): Promise<World> {
  const k = await boot();
  const www = await k.createCell(WWW);
  await www.start();
  const db = await k.createCell(DB);
  await db.install();
  await db.start();
  return { k, www, db };
}

export interface CellOptions {
  /** More cell_create parameters (childrenMax, privileges, sysvipc, ...). */
  readonly params?: Record<string, unknown>;
  /** Mount procfs on its /proc too (devfs is always on /dev). */
  readonly procfs?: boolean;
}

/**
 * Creates, through the door, a persistent cell `name` rooted at /c/NAME (minimal rootfs, devfs on
 * /dev) with these resource limits; returns the host API for running in it.
 */
export async function cellWith(k: Kernel, name: string, limits: Record<string, number>, options: CellOptions = {}): Promise<HostApi> {
  let id = 0;
  await probe(k, async (sys) => {
    await sys.mkdir('/c').catch(() => undefined);
    await sys.mkdir(`/c/${name}`);
    k.installRootfs(`/c/${name}`, 'minimal');
    await sys.mount('devfs', `/c/${name}/dev`, 'devfs');
    if (options.procfs === true) await sys.mount('procfs', `/c/${name}/proc`, 'procfs');
    id = await sys.cell_create({ name, path: `/c/${name}`, persist: true, limits, ...options.params });
  });
  return new HostApi(k, k.cells.get(id)!);
}

/** The partition of the kernel cell named `name`. */
export function partitionOf(k: Kernel, name: string): Partition {
  return [...k.cells.values()].find((c) => c.name === name)!.partition;
}
