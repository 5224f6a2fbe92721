/** Helpers for cell tests: a kernel with a jail and a zone defined from the examples. */
import type { Kernel } from '../../src/index.js';
import type { ManagedCell } from '../../src/cells/managed.js';
import { boot } from '../kernel/helpers.js';

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
