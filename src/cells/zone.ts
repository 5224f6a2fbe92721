/**
 * The zone personality: builds a cell from a zone spec (zonecfg names). The root is
 * `zonepath/root`, as Solaris lays a zone out (zonepath 0700, root 0755), populated from
 * `rootfs` by install; devfs and procfs are mounted inside when the zone is readied (and the
 * zone's cgroup2 view on /sys/fs/cgroup where its root has that directory); the
 * nodename defaults to the zone name; root holds the zone privilege set `limitpriv` gives;
 * zonecfg's resource controls (aliases, rctl, capped-memory) become limits, rules and barriers.
 */
import type { CellParams, CellRule, SignalName, Sys } from '../kernel/abi.js';
import { ZONE_LIFECYCLE, CellError } from './lifecycle-table.js';
import type { Personality } from './managed.js';
import { CGROUP2, CGROUP_MOUNTPOINT } from '../vfs/cgroupfs.js';
import { mkdirs } from './jail.js';
import { parseLimitpriv } from './zone-privileges.js';
import { kernelLimits } from './limits.js';
import type { CellLimits, ZoneRctlSpec, ZoneSpec } from '../spec/types.js';
import { parseAction, ZONE_RCTLS, zoneBytes, type ZoneRctl } from '../spec/zone-rctls.js';

/**
 * The zone's limits: its generic `limits`, with zonecfg's names on top (zonecfg(1M) aliases:
 * max-processes, max-lwps standing in for processes when max-processes is not set, cpu-shares,
 * capped-cpu ncpus × 100 as the cap), then the CPU rctls (zone.cpu-shares' value, the lowest
 * zone.cpu-cap deny value).
 */
export function zoneLimits(spec: ZoneSpec): CellLimits {
  const limits: CellLimits = { ...spec.limits };
  const processes = spec['max-processes'] ?? spec['max-lwps'];
  if (processes !== undefined) limits.processes = processes;
  if (spec['cpu-shares'] !== undefined) limits.cpuShares = spec['cpu-shares'];
  if (spec['capped-cpu'] !== undefined) limits.cpuCap = Math.round(spec['capped-cpu'].ncpus * 100);
  for (const { rctl, value, action } of rctlValues(spec)) {
    if (!('setting' in rctl.target)) continue;
    if (rctl.target.setting === 'cpuShares') limits.cpuShares = value.limit;
    else if (action.kind === 'deny') limits.cpuCap = Math.min(limits.cpuCap ?? Infinity, value.limit);
  }
  return limits;
}

/**
 * The zone's resource rctls as kernel rules: deny values are hard limits (the kernel keeps the
 * lowest of them and `limits`), signal values signal the process whose call passed them, none
 * values do nothing (Solaris only monitors them). capped-memory swap is zone.max-swap's deny.
 * The ipc counter holds message queues and segments together, so the deny values of
 * zone.max-msg-ids and zone.max-shm-ids add up to one.
 */
export function zoneRules(spec: ZoneSpec): CellRule[] {
  const rules: CellRule[] = [];
  const ipcDeny = new Map<string, number>();
  const swap = zoneBytes(spec['capped-memory']?.swap);
  if (swap !== undefined) rules.push({ resource: 'memory', action: 'deny', amount: swap, text: 'zone.max-swap' });
  for (const { name, rctl, value, action } of rctlValues(spec)) {
    if (!('resource' in rctl.target) || action.kind === 'none') continue;
    const resource = rctl.target.resource;
    const text = `${name}:(priv=${value.priv},limit=${value.limit},action=${value.action})`;
    if (action.kind === 'signal') rules.push({ resource, action: action.signal as SignalName, amount: value.limit, text });
    else if (resource === 'ipc') ipcDeny.set(name, Math.min(ipcDeny.get(name) ?? Infinity, value.limit));
    else rules.push({ resource, action: 'deny', amount: value.limit, text });
  }
  if (ipcDeny.size > 0) rules.push({ resource: 'ipc', action: 'deny', amount: [...ipcDeny.values()].reduce((a, b) => a + b), text: [...ipcDeny.keys()].join('+') });
  return rules;
}

/** Soft limits: capped-memory physical is the memory barrier (rcapd's cap, never a refusal). */
export function zoneBarriers(spec: ZoneSpec): CellParams['barriers'] {
  const physical = zoneBytes(spec['capped-memory']?.physical);
  return physical === undefined ? undefined : { memory: physical };
}

/** Every value of the spec's known rctls (validation refused the rest), with its parsed action. */
function rctlValues(spec: ZoneSpec): { name: string; rctl: ZoneRctl; value: ZoneRctlSpec['value'][number]; action: NonNullable<ReturnType<typeof parseAction>> }[] {
  const out = [];
  for (const { name, value: values } of spec.rctl ?? []) {
    const rctl = ZONE_RCTLS[name];
    if (rctl === undefined) continue;
    for (const value of values) {
      const action = parseAction(value.action);
      if (action !== undefined) out.push({ name, rctl, value, action });
    }
  }
  return out;
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
      { fstype: CGROUP2, at: CGROUP_MOUNTPOINT, ofCell: true },
    ],
    startCommand: undefined,
    stopCommand: undefined,
    params(): CellParams {
      const privileges = parseLimitpriv(spec.limitpriv);
      if (!privileges.ok) throw new CellError(`zoneadm: zone '${spec.zonename}': ${privileges.message}`);
      const barriers = zoneBarriers(spec);
      return {
        name: spec.zonename,
        path: rootPath,
        hostname: spec.hostname ?? spec.zonename,
        privileges: privileges.privileges,
        enforceStatfs: 1,
        sysvipc: true,
        kind: 'zone',
        limits: kernelLimits(zoneLimits(spec)),
        rules: zoneRules(spec),
        ...(barriers === undefined ? {} : { barriers }),
      };
    },
    async prepare(sys: Sys): Promise<void> {
      await mkdirs(sys, spec.zonepath, 0o700);
      await sys.chmod(spec.zonepath, 0o700);
      await mkdirs(sys, rootPath, 0o755);
    },
  };
}
