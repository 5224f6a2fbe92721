/**
 * A cell's network at creation and removal: the mechanism behind FreeBSD's ip4/ip4.addr/vnet
 * and Solaris's ip-type (src/kernel/abi.ts CellNet). Everything is checked before anything
 * changes: planNet validates and returns the change, which the caller applies once every other
 * check of cell_create has passed too. Aliases a restricted cell added to its parent's stack,
 * and a vnet cell's stack and interfaces, go when the cell is removed.
 */
import type { CellNet, VnetInterface } from '../kernel/abi.js';
import { fail } from '../kernel/errno.js';
import type { Cell } from '../cells/cell.js';
import { INADDR_BROADCAST, formatIp, inSubnet, isLoopback, parseCidr, parseIp, type Cidr } from './ipv4.js';
import type { Iface } from './iface.js';
import type { Network } from './network.js';
import type { NetStack } from './stack.js';
import { NetView } from './view.js';

/** A planned network for a new cell: its view, made real by apply(). */
export interface NetPlan {
  apply(cellId: number): NetView | null;
}

interface Alias {
  readonly iface: Iface;
  readonly cidr: Cidr;
}

/** Checks a cell's network parameters against its parent's view; throws the errno, changes nothing. */
export function planNet(net: Network, parent: Cell, value: unknown): NetPlan {
  const spec = netOf(value);
  const above = parent.ns.net;
  const mode = spec?.mode ?? 'disable';
  if (mode === 'disable') return { apply: (cellId) => (above === null ? null : new NetView(above.stack, [], 0, cellId, false, false, false)) };
  if (mode === 'inherit') return { apply: () => above };
  if (above === null || !above.ipv4) throw fail('EPERM', undefined, 'the parent has no IPv4');
  if (spec!.mode === 'vnet') {
    if (above.restricted) throw fail('EPERM', undefined, 'vnet jails cannot be created inside an address-restricted jail');
    return planVnet(net, spec!.interfaces ?? []);
  }
  const { addresses, loopback } = spec as Extract<CellNet, { mode: 'restrict' }>;
  const stack = above.stack;
  const list: number[] = [];
  const aliases: Alias[] = [];
  for (const text of addresses) {
    const bar = text.indexOf('|');
    const cidr = parseCidr(bar < 0 ? text : text.slice(bar + 1), 32);
    if (cidr === undefined || cidr.address === 0 || cidr.address === INADDR_BROADCAST) throw fail('EINVAL', undefined, `bad IPv4 address ${text}`);
    if (list.includes(cidr.address)) throw fail('EINVAL', undefined, `duplicate IPv4 address ${formatIp(cidr.address)}`);
    list.push(cidr.address);
    if (above.restricted) {
      // A child's addresses are its parent's (FreeBSD prison_ip_parent_match).
      if (!above.allowed!.has(cidr.address)) throw fail('EPERM', undefined, `${formatIp(cidr.address)} is not an address of the parent`);
      continue;
    }
    if (stack.isLocal(cidr.address)) continue; // an address the stack already has (the host's own)
    const iface = bar < 0 ? aliasIface(net, stack.ifaces.values(), cidr) : stack.ifaces.get(text.slice(0, bar));
    if (iface === undefined) throw fail('ENXIO', undefined, `no interface ${text.slice(0, bar)}`);
    if (iface.port?.sw.holder(cidr.address) !== undefined) throw fail('EADDRINUSE', undefined, `${formatIp(cidr.address)} is in use on switch ${iface.port.sw.name}`);
    aliases.push({ iface, cidr });
  }
  if (!above.restricted) checkClash(stack, list); // a child shares its parent's addresses by rule
  return {
    apply(cellId: number): NetView {
      for (const { iface, cidr } of aliases) stack.addAddress(iface, cidr, cellId);
      let stand = list[0] ?? 0;
      if (loopback === 'own') {
        const lo = stack.ifaces.get('lo0')!;
        stand = loopbackAliasOf(cellId);
        stack.addAddress(lo, { address: stand, prefix: 32 }, cellId, true);
      }
      return new NetView(stack, list, stand, cellId, false, parent.unsafe.addressRestriction);
    },
  };
}

/**
 * Two cells may share an address only when neither has more than one (FreeBSD
 * prison_ip_conflict_check): "IPv4 addresses clash".
 */
function checkClash(stack: NetStack, list: readonly number[]): void {
  for (const address of list) {
    const entry = stack.entryOf(address);
    if (entry === undefined || entry.owner === 0 || entry.loopbackAlias) continue;
    const theirs = [...stack.ownedBy(entry.owner)].filter((a) => stack.entryOf(a)?.loopbackAlias === false);
    if (list.length > 1 || theirs.length > 1) throw fail('EADDRINUSE', undefined, 'IPv4 addresses clash');
  }
}

/** The interface an alias goes on: the one whose subnet holds it, else the host's own. */
function aliasIface(net: Network, ifaces: Iterable<Iface>, cidr: Cidr): Iface {
  for (const iface of ifaces) {
    if (iface.loopback) continue;
    for (const a of iface.configured) if (inSubnet(cidr.address, a)) return iface;
  }
  return net.hostIface;
}

/** A cell's own loopback address: 127.x.y.z from its id (127.0.0.1 stays the host's). */
export function loopbackAliasOf(cellId: number): number {
  return (0x7f000000 + (cellId % 0xfffffe) + 2) >>> 0;
}

function planVnet(net: Network, interfaces: readonly VnetInterface[]): NetPlan {
  const names = new Set<string>(['lo0']);
  const plans = interfaces.map((spec) => {
    if (!/^[a-z][a-z0-9]*$/.test(spec.name) || names.has(spec.name)) throw fail('EINVAL', undefined, `bad interface name ${spec.name}`);
    names.add(spec.name);
    const sw = net.switchNamed(spec.switch ?? net.hostIface.port!.sw.name);
    const cidr = spec.address === undefined ? undefined : parseCidr(spec.address, 24);
    if (spec.address !== undefined && (cidr === undefined || isLoopback(cidr.address))) throw fail('EINVAL', undefined, `bad IPv4 address ${spec.address}`);
    if (cidr !== undefined && sw.holder(cidr.address) !== undefined) throw fail('EADDRINUSE', undefined, `${formatIp(cidr.address)} is in use on switch ${sw.name}`);
    const gateway = spec.gateway === undefined ? undefined : parseIp(spec.gateway);
    if (spec.gateway !== undefined && gateway === undefined) throw fail('EINVAL', undefined, `bad gateway ${spec.gateway}`);
    if (gateway !== undefined && (cidr === undefined || !inSubnet(gateway, cidr))) throw fail('ENETUNREACH', undefined, `gateway ${spec.gateway} is not on ${spec.name}'s subnet`);
    return { spec, sw, cidr, gateway };
  });
  return {
    apply(cellId: number): NetView {
      const stack = net.newStack(`cell${cellId}`);
      for (const { spec, sw, cidr, gateway } of plans) {
        const iface = stack.addIface(spec.name, false);
        sw.attach(iface);
        if (cidr !== undefined) stack.addAddress(iface, cidr);
        if (gateway !== undefined) stack.addRoute({ address: 0, prefix: 0 }, gateway);
      }
      return new NetView(stack, null, 0x7f000001, cellId, true);
    },
  };
}

/** A cell is going: the aliases it added to its parent's stack go, and its own stack with it. */
export function releaseNet(cell: Cell): void {
  const view = cell.ns.net;
  if (view === null || view.cellId !== cell.id) return; // none, or inherited
  const stack = view.stack;
  if (view.ownsStack) {
    for (const iface of [...stack.ifaces.values()]) stack.removeIface(iface);
    return;
  }
  for (const address of [...stack.ownedBy(cell.id)]) stack.removeAddress(stack.ifaceOf(address)!, address);
}

/** A view's addresses, primary first: a restricted cell's list, or a vnet's interface addresses. */
export function cellAddresses(view: NetView): string[] {
  if (view.addresses !== null) return view.addresses.map(formatIp);
  if (!view.ownsStack) return [];
  const out: string[] = [];
  for (const iface of view.stack.ifaces.values()) if (!iface.loopback) for (const a of iface.addresses) out.push(formatIp(a.address));
  return out;
}

/** Checks the shape of a CellNet a program passed (anything may come through the door): EINVAL. */
function netOf(value: unknown): CellNet | undefined {
  if (value === undefined) return undefined;
  const bad = (what: string): never => {
    throw fail('EINVAL', undefined, `net: ${what}`);
  };
  if (typeof value !== 'object' || value === null) return bad('not an object');
  const spec = value as Record<string, unknown>;
  const strings = (list: unknown, what: string): void => {
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) bad(`${what} must be a list of strings`);
  };
  switch (spec.mode) {
    case 'inherit':
    case 'disable':
      break;
    case 'restrict':
      strings(spec.addresses, 'addresses');
      if (spec.loopback !== undefined && spec.loopback !== 'primary' && spec.loopback !== 'own') bad('loopback must be primary or own');
      break;
    case 'vnet':
      if (spec.interfaces !== undefined) {
        if (!Array.isArray(spec.interfaces)) bad('interfaces must be a list');
        for (const iface of spec.interfaces as unknown[]) {
          const i = (iface ?? {}) as Record<string, unknown>;
          if (typeof i.name !== 'string') bad('an interface needs a name');
          for (const key of ['switch', 'address', 'gateway']) if (i[key] !== undefined && typeof i[key] !== 'string') bad(`interface ${key} must be a string`);
        }
      }
      break;
    default:
      bad('mode must be inherit, disable, restrict or vnet');
  }
  return spec as unknown as CellNet;
}
