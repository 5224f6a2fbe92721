/**
 * The jail personality: builds a cell from a jail spec (jail(8) parameter names). The root is
 * `path`, populated from `rootfs` when the jail is defined; devfs and procfs are mounted in it
 * when `mount.devfs` / `mount.procfs` say so (with procfs, the jail's cgroup2 view on
 * /sys/fs/cgroup where its root has that directory: the kernel's views go together);
 * `exec.start` and `exec.stop` run inside.
 */
import type { CellParams, Sys } from '../kernel/abi.js';
import type { JailSpec } from '../spec/types.js';
import { jailCellParams, jailNet } from './jail-params.js';
import { kernelLimits } from './limits.js';
import { parseRctl, RctlError } from './rctl.js';
import { CellError } from './lifecycle-table.js';
import type { Privilege } from '../kernel/privileges.js';
import { JAIL_LIFECYCLE } from './lifecycle-table.js';
import type { CellMount, Personality } from './managed.js';
import { CGROUP2, CGROUP_MOUNTPOINT } from '../vfs/cgroupfs.js';
import { parseFstabLine } from './fstab.js';

/**
 * @param parentRoot the host path of the parent jail's root, for a hierarchical name
 *   ("www.sub" lives in "www", its path resolved in www's root); "" for a top-level jail
 */
export function jailPersonality(spec: JailSpec, parentRoot = '', heldByParent: (privilege: Privilege) => boolean = () => true): Personality {
  const rootPath = `${parentRoot}${spec.path}`;
  const mounts: CellMount[] = [
    ...fstabMounts(spec.mount ?? [], 'mount'),
    ...(spec['mount.devfs'] === true ? [{ fstype: 'devfs', source: 'devfs', at: `${rootPath}/dev` }] : []),
    ...(spec['mount.procfs'] === true
      ? [
          { fstype: 'procfs', source: 'procfs', at: `${rootPath}/proc` },
          { fstype: CGROUP2, source: CGROUP2, at: `${rootPath}${CGROUP_MOUNTPOINT}`, ofCell: true },
        ]
      : []),
  ];
  return {
    kind: 'jail',
    name: spec.name,
    lifecycle: JAIL_LIFECYCLE,
    rootPath,
    rootfs: spec.rootfs,
    mounts,
    ...(spec['mount.fstab'] === undefined ? {} : { fstabFile: spec['mount.fstab'] }),
    ownStack: jailNet(spec)?.mode === 'vnet',
    startCommand: spec['exec.start'],
    stopCommand: spec['exec.stop'],
    params(): CellParams {
      // The kernel resolves a child's path inside its parent's root, as jail(8) does.
      const limits = kernelLimits(spec.limits);
      let rules;
      try {
        rules = spec.rctl?.map((rule) => parseRctl(rule, spec.name));
      } catch (err) {
        throw err instanceof RctlError ? new CellError(err.message) : err;
      }
      return { ...jailCellParams(spec, heldByParent), ...(limits === undefined ? {} : { limits }), ...(rules === undefined ? {} : { rules }) };
    },
    async prepare(sys: Sys): Promise<void> {
      await mkdirs(sys, rootPath, 0o755);
    },
  };
}

/**
 * fstab(5) lines as mounts; a bad line is refused in jail(8)'s words, `jail: PARAM: error`
 * (`mount` lines are checked with the spec first, a `mount.fstab` file's when it is read).
 */
export function fstabMounts(lines: readonly string[], param: string): CellMount[] {
  return lines.map((line) => {
    const entry = parseFstabLine(line);
    if ('error' in entry) throw new CellError(`jail: ${param}: ${entry.error}`);
    return { fstype: entry.fstype, source: entry.source, at: entry.at, readOnly: entry.readOnly };
  });
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
