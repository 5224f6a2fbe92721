/**
 * The zone personality: builds a cell from a zone spec (zonecfg names). The root is
 * `zonepath/root`, as Solaris lays a zone out (zonepath 0700, root 0755), populated from
 * `rootfs` by install; devfs and procfs are mounted inside when the zone is readied; the
 * nodename defaults to the zone name; root holds the zone privilege set `limitpriv` gives.
 */
import type { CellParams, Sys } from '../kernel/abi.js';
import { ZONE_LIFECYCLE, CellError } from './lifecycle-table.js';
import type { Personality } from './managed.js';
import { mkdirs } from './jail.js';
import { parseLimitpriv } from './zone-privileges.js';
import { kernelLimits } from './limits.js';
import type { CellLimits, ZoneSpec } from '../spec/types.js';

/**
 * The zone's limits: its generic `limits`, with zonecfg's names on top (zonecfg(1M) aliases:
 * max-processes, max-lwps standing in for processes when max-processes is not set, cpu-shares,
 * capped-cpu ncpus × 100 as the cap).
 */
export function zoneLimits(spec: ZoneSpec): CellLimits {
  const limits: CellLimits = { ...spec.limits };
  const processes = spec['max-processes'] ?? spec['max-lwps'];
  if (processes !== undefined) limits.processes = processes;
  if (spec['cpu-shares'] !== undefined) limits.cpuShares = spec['cpu-shares'];
  if (spec['capped-cpu'] !== undefined) limits.cpuCap = Math.round(spec['capped-cpu'].ncpus * 100);
  return limits;
}

export function zonePersonality(spec: ZoneSpec): Personality {
  const rootPath = `${spec.zonepath.replace(/\/+$/, '')}/root`;
  return {
    kind: 'zone',
    name: spec.zonename,
    lifecycle: ZONE_LIFECYCLE,
    rootPath,
    zonepath: spec.zonepath,
    rootfs: spec.rootfs,
    mounts: [
      { fstype: 'devfs', at: '/dev' },
      { fstype: 'procfs', at: '/proc' },
    ],
    startCommand: undefined,
    stopCommand: undefined,
    params(): CellParams {
      const privileges = parseLimitpriv(spec.limitpriv);
      if (!privileges.ok) throw new CellError(`zoneadm: zone '${spec.zonename}': ${privileges.message}`);
      return {
        name: spec.zonename,
        path: rootPath,
        hostname: spec.hostname ?? spec.zonename,
        privileges: privileges.privileges,
        enforceStatfs: 1,
        sysvipc: true,
        kind: 'zone',
        limits: kernelLimits(zoneLimits(spec)),
      };
    },
    async prepare(sys: Sys): Promise<void> {
      await mkdirs(sys, spec.zonepath, 0o700);
      await sys.chmod(spec.zonepath, 0o700);
      await mkdirs(sys, rootPath, 0o755);
    },
  };
}
