/**
 * The zone personality: builds a cell from a zone spec (zonecfg names). The root is
 * `zonepath/root`, as Solaris lays a zone out (zonepath 0700, root 0755), populated from
 * `rootfs` by install; devfs and procfs are mounted inside when the zone is readied (and the
 * zone's cgroup2 view on /sys/fs/cgroup where its root has that directory); the
 * nodename defaults to the zone name; root holds the zone privilege set `limitpriv` gives for
 * its ip-type; zonecfg's resource controls (aliases, rctl, capped-memory) become limits, rules
 * and barriers; ip-type and net resources become the cell's network (zoneNet).
 */
import type { CellNet, CellParams, CellRule, SignalName, Sys, VnetInterface } from '../kernel/abi.js';
import { ZONE_LIFECYCLE, CellError } from './lifecycle-table.js';
import type { CellMount, Personality } from './managed.js';
import { parseMountOptions } from './fstab.js';
import { CGROUP2, CGROUP_MOUNTPOINT } from '../vfs/cgroupfs.js';
import { mkdirs } from './jail.js';
import { parseLimitpriv } from './zone-privileges.js';
import { kernelLimits } from './limits.js';
import type { CellLimits, ZoneFsSpec, ZoneRctlSpec, ZoneSpec } from '../spec/types.js';
import { parseAction, ZONE_RCTLS, zoneBytes, type ZoneRctl } from '../spec/zone-rctls.js';
import { splitSwitch } from '../spec/network.js';

/** What a zone's network needs of the global zone: its interfaces, and where zoneadm's warnings go. */
export interface ZoneHost {
  /** Does the global zone have this (non-loopback) interface plumbed? */
  hasInterface(name: string): boolean;
  /** A zoneadm warning line, without its newline. */
  warn(line: string): void;
}

const NO_HOST: ZoneHost = { hasInterface: () => true, warn: () => undefined };

/**
 * The zone's network, the same mechanisms a jail's uses: shared-IP is the global zone's stack
 * restricted to the net resources' addresses, each an alias on the interface `physical` names,
 * with a loopback address of its own (lo0:N, shown as 127.0.0.1); an interface the global zone
 * lacks is skipped with zoneadm's warning, as Solaris boots such a zone without it. Exclusive-IP
 * is a stack of its own with one interface per net resource (physical, on the switch its
 * "@SWITCH" names), allowed-address configured and defrouter as the default route.
 */
export function zoneNet(spec: ZoneSpec, host: ZoneHost = NO_HOST): CellNet {
  const nets = spec.net ?? [];
  if (spec['ip-type'] === 'exclusive') {
    const interfaces = nets.map((net): VnetInterface => {
      const { name, switch: sw } = splitSwitch(net.physical);
      return {
        name,
        ...(sw === undefined ? {} : { switch: sw }),
        ...(net['allowed-address'] === undefined ? {} : { address: net['allowed-address'] }),
        ...(net.defrouter === undefined ? {} : { gateway: net.defrouter }),
      };
    });
    return { mode: 'vnet', interfaces };
  }
  const addresses: string[] = [];
  for (const net of nets) {
    if (!host.hasInterface(net.physical)) {
      host.warn(`WARNING: skipping network interface '${net.physical}' which may not be present/plumbed in the global zone.`);
      continue;
    }
    if (net.address !== undefined) addresses.push(`${net.physical}|${net.address}`);
  }
  return { mode: 'restrict', addresses, loopback: 'own' };
}

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

/** A zonecfg fs resource as a mount (its options were checked with the spec). */
function zoneFsMount(fs: ZoneFsSpec, rootPath: string): CellMount {
  const options = parseMountOptions((fs.options ?? []).join(','));
  return {
    fstype: fs.type === 'tmpfs' ? 'tmpfs' : 'lofs',
    source: fs.special,
    at: `${rootPath}${fs.dir}`,
    readOnly: 'readOnly' in options && options.readOnly,
  };
}

export function zonePersonality(spec: ZoneSpec, host: ZoneHost = NO_HOST): Personality {
  const rootPath = `${spec.zonepath.replace(/\/+$/, '')}/root`;
  return {
    kind: 'zone',
    name: spec.zonename,
    lifecycle: ZONE_LIFECYCLE,
    rootPath,
    zonepath: spec.zonepath,
    rootfs: spec.rootfs,
    mounts: [
      ...(spec['inherit-pkg-dir'] ?? []).map(({ dir }) => ({ fstype: 'lofs', source: dir, at: `${rootPath}${dir}`, readOnly: true })),
      ...(spec.fs ?? []).map((fs) => zoneFsMount(fs, rootPath)),
      { fstype: 'devfs', source: 'devfs', at: `${rootPath}/dev` },
      { fstype: 'procfs', source: 'procfs', at: `${rootPath}/proc` },
      { fstype: CGROUP2, source: CGROUP2, at: `${rootPath}${CGROUP_MOUNTPOINT}`, ofCell: true },
    ],
    startCommand: undefined,
    stopCommand: undefined,
    ownStack: spec['ip-type'] === 'exclusive',
    params(): CellParams {
      const privileges = parseLimitpriv(spec.limitpriv, spec['ip-type']);
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
        net: zoneNet(spec, host),
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
