/**
 * The jail personality: builds a cell from a jail spec (jail(8) parameter names). The root is
 * `path`, populated from `rootfs` when the jail is defined; devfs and procfs are mounted in it
 * when `mount.devfs` / `mount.procfs` say so; `exec.start` and `exec.stop` run inside.
 */
import type { CellParams, Sys } from '../kernel/abi.js';
import { jailCellParams, type JailValues } from './jail-params.js';
import { JAIL_LIFECYCLE } from './lifecycle-table.js';
import type { Personality } from './managed.js';

export interface JailSpecShape extends JailValues {
  readonly kind: 'jail';
  readonly name: string;
  readonly path?: string;
  readonly rootfs?: string;
  readonly 'exec.start'?: string;
  readonly 'exec.stop'?: string;
  readonly 'mount.devfs'?: boolean;
  readonly 'mount.procfs'?: boolean;
}

export function jailPersonality(spec: JailSpecShape): Personality {
  const rootPath = spec.path ?? `/jails/${spec.name}`;
  const mounts = [
    ...(spec['mount.devfs'] === true ? [{ fstype: 'devfs', at: '/dev' }] : []),
    ...(spec['mount.procfs'] === true ? [{ fstype: 'procfs', at: '/proc' }] : []),
  ];
  return {
    kind: 'jail',
    name: spec.name,
    lifecycle: JAIL_LIFECYCLE,
    rootPath,
    rootfs: spec.rootfs,
    mounts,
    startCommand: spec['exec.start'],
    stopCommand: spec['exec.stop'],
    params(): CellParams {
      // The jail's path as its parent sees it: a child jail's path lies in its parent's root.
      return jailCellParams({ ...spec, path: rootPath });
    },
    async prepare(sys: Sys): Promise<void> {
      await mkdirs(sys, rootPath, 0o755);
    },
  };
}

/** mkdir -p through the door. */
export async function mkdirs(sys: Sys, path: string, mode: number): Promise<void> {
  let at = '';
  for (const part of path.split('/').filter(Boolean)) {
    at += `/${part}`;
    await sys.mkdir(at, mode).catch((err: { code?: string }) => {
      if (err.code !== 'EEXIST') throw err;
    });
  }
}
