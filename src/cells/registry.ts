/**
 * Defining cells from specs: picks the personality for the spec's kind (the one place that
 * looks at a kind) and registers the managed cell by name. A spec is checked whole, then
 * against the running kernel's network (its addresses in a subnet of the host's, held by no
 * other defined cell, the switches it names present) before anything is defined.
 */
import type { Kernel } from '../kernel/kernel.js';
import type { Privilege } from '../kernel/privileges.js';
import { validateSpec, type CellSpec } from '../spec/index.js';
import { AddressHolders, checkAgainstHost, type HostNetwork, type Holder } from '../spec/network.js';
import { SpecError } from './spec-error.js';
export { SpecError };
import { jailPersonality } from './jail.js';
import { CellError } from './lifecycle-table.js';
import { ManagedCell, type Personality } from './managed.js';
import { zonePersonality, type ZoneHost } from './zone.js';

export function personalityOf(k: Kernel, spec: CellSpec): Personality {
  switch (spec.kind) {
    case 'jail': {
      const dot = spec.name.lastIndexOf('.');
      if (dot < 0) return jailPersonality(spec);
      const parentName = spec.name.slice(0, dot);
      const parent = k.managed.get(parentName);
      if (parent === undefined || parent.kind !== 'jail') throw new CellError(`jail: "${parentName}" not found`);
      // The parent's privileges are read when the child enters the kernel (the parent is up by then).
      const held = (privilege: Privilege): boolean => parent.id === undefined || k.cells.get(parent.id)?.policy.has(privilege) === true;
      return jailPersonality(spec, parent.personality.rootPath, held);
    }
    case 'zone':
      return zonePersonality(spec, zoneHost(k));
  }
}

/** The global zone as a shared-IP zone sees it: the host stack's interfaces; warnings on the console. */
function zoneHost(k: Kernel): ZoneHost {
  return {
    hasInterface: (name) => k.net.host.ifaces.get(name)?.loopback === false,
    warn: (line) => k.console.output(new TextEncoder().encode(`${line}\n`)),
  };
}

/**
 * The host's network as the spec checks see it: the subnets of its stack's own interfaces, its
 * switches, its own addresses and those every defined cell's spec claims (k.managed's index).
 */
export function hostNetwork(k: Kernel): HostNetwork {
  const subnets = [];
  const own = new AddressHolders();
  const hostSwitch = k.net.hostIface.port?.sw.name ?? '';
  for (const iface of k.net.host.ifaces.values()) {
    if (iface.loopback) continue;
    for (const a of iface.configured) {
      subnets.push({ address: a.address, prefix: a.prefix });
      own.add({ cell: 'the host', name: '', claim: { at: [], address: a.address, restricted: false, switch: iface.port?.sw.name ?? hostSwitch }, host: true });
    }
  }
  const holdersOf = (address: number): readonly Holder[] => [...own.of(address), ...k.managed.holdersOf(address)];
  return { subnets, switches: new Set(k.net.switches.keys()), holdersOf };
}

/**
 * Defines a cell from a spec, validated whole first: nothing is created when any error is found.
 * With `restore`, the cell comes back as saved state left it (its files are already there):
 * a cell that was in the kernel is brought up again (a jail's exec.start runs again).
 */
export async function defineCell(k: Kernel, value: unknown, restore?: { readonly state: string }): Promise<ManagedCell> {
  const checked = validateSpec(value);
  if (!checked.ok) throw new SpecError(checked.errors);
  const spec = checked.spec;
  const personality = personalityOf(k, spec);
  if (k.managed.has(personality.name)) throw new CellError(`cellblock: cell "${personality.name}" already exists`);
  const findings = checkAgainstHost(spec, personality.name, hostNetwork(k));
  if (findings.length > 0) throw new SpecError(findings.map((f) => `${personality.name}: ${f.text}`));
  const cell = new ManagedCell(k, personality, spec);
  k.managed.set(personality.name, cell);
  try {
    if (restore === undefined) await cell.define();
    else await cell.restore(restore.state);
  } catch (err) {
    k.managed.delete(personality.name);
    throw err;
  }
  return cell;
}
