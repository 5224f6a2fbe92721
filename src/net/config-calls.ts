/**
 * Network configuration calls (ifconfig, route, netstat): answered from the caller's view. A
 * cell restricted to addresses sees its stack's interfaces with only its own addresses, the
 * routes of its own subnets, and its own sockets; it can change nothing of a stack it shares
 * (EPERM even with sys_ip_config: Solaris prohibits sys_ip_config in shared-IP zones, FreeBSD
 * denies non-vnet jails network configuration).
 */
import type { NetInterface, RouteInfo, SocketInfo } from '../kernel/abi.js';
import { str } from '../kernel/args.js';
import { fail } from '../kernel/errno.js';
import type { Handler } from '../kernel/syscall-table.js';
import type { Process } from '../proc/process.js';
import { broadcastOf, formatIp, formatMac, inSubnet, isLoopback, parseCidr, parseIp, type Cidr } from './ipv4.js';
import type { Route } from './stack.js';
import type { NetView } from './view.js';

export const net_interfaces: Handler<'net_interfaces'> = (_k, p) => {
  const view = p.ns.net;
  if (view === null) return [];
  const out: NetInterface[] = [];
  for (const iface of view.stack.ifaces.values()) {
    const addresses = iface.addresses
      .filter((a) => view.sees(a.address))
      .map((a) => {
        const shown = view.show(a.address);
        const prefix = shown !== a.address ? 8 : a.prefix;
        return { address: formatIp(shown), prefix, broadcast: iface.loopback || prefix >= 31 ? null : formatIp(broadcastOf({ address: shown, prefix })) };
      });
    const flags = [
      ...(iface.up ? ['UP'] : []),
      iface.loopback ? 'LOOPBACK' : 'BROADCAST',
      ...(iface.up && (iface.loopback || iface.port !== null) ? ['RUNNING'] : []),
      'MULTICAST',
    ];
    out.push({ name: iface.name, flags, mtu: iface.mtu, mac: iface.loopback ? null : formatMac(iface.mac), addresses, switch: iface.port?.sw.name ?? null });
  }
  return out;
};

/** The caller's own stack, which it may configure: EPERM when it shares its parent's. */
function ownStack(p: Process): NetView {
  const view = p.ns.net;
  if (view === null || view.restricted) throw fail('EPERM');
  return view;
}

export const net_ifconfig: Handler<'net_ifconfig'> = (_k, p, [name, change]) => {
  const view = ownStack(p);
  const iface = view.stack.ifaces.get(str(name));
  if (iface === undefined) throw fail('ENXIO');
  const { add, remove, up } = (change ?? {}) as { add?: unknown; remove?: unknown; up?: unknown };
  const adding = add === undefined ? undefined : cidrOf(str(add));
  const removing = remove === undefined ? undefined : cidrOf(str(remove));
  if (up !== undefined && typeof up !== 'boolean') throw fail('EINVAL');
  if (adding !== undefined && !iface.loopback && isLoopback(adding.address)) throw fail('EINVAL');
  if (removing !== undefined) view.stack.removeAddress(iface, removing.address);
  if (adding !== undefined) view.stack.addAddress(iface, adding);
  if (up !== undefined) view.stack.setUp(iface, up);
};

/** "a.b.c.d/n", or a bare address with its classful netmask, as ifconfig takes it. */
function cidrOf(text: string): Cidr {
  const cidr = parseCidr(text, -1);
  if (cidr === undefined) throw fail('EINVAL');
  if (cidr.prefix >= 0) return cidr;
  const first = cidr.address >>> 24;
  return { address: cidr.address, prefix: first < 128 ? 8 : first < 192 ? 16 : 24 };
}

export const net_routes: Handler<'net_routes'> = (_k, p) => {
  const view = p.ns.net;
  if (view === null) return [];
  const out: RouteInfo[] = [];
  for (const route of view.stack.routes()) {
    if (view.restricted && !routeServes(view, route)) continue;
    const flags = `U${route.gateway !== null ? 'G' : ''}${route.prefix === 32 ? 'H' : ''}${route.static ? 'S' : ''}`;
    out.push({
      destination: route.prefix === 0 ? 'default' : formatIp(route.address),
      prefix: route.prefix,
      gateway: route.gateway === null ? null : formatIp(route.gateway),
      iface: route.iface.name,
      flags,
    });
  }
  return out;
};

/**
 * Does a cell restricted to addresses see this route? The subnets holding its own addresses,
 * and static routes (the default) out of an interface carrying one of them; not other cells'
 * aliases, nor subnets it has no address in.
 */
function routeServes(view: NetView, route: Route): boolean {
  const own = [...view.allowed!].filter((address) => !isLoopback(address));
  if (route.static) return route.iface.addresses.some((a) => own.includes(a.address));
  return own.some((address) => inSubnet(address, route));
}

export const net_route: Handler<'net_route'> = (_k, p, [op, destination, gateway]) => {
  const view = ownStack(p);
  const dest = str(destination) === 'default' ? { address: 0, prefix: 0 } : parseCidr(str(destination), 32);
  if (dest === undefined) throw fail('EINVAL');
  if (op === 'add') {
    const via = parseIp(str(gateway));
    if (via === undefined) throw fail('EINVAL');
    view.stack.addRoute(dest, via);
  } else if (op === 'delete') {
    view.stack.deleteRoute(dest);
  } else throw fail('EINVAL');
};

export const net_sockets: Handler<'net_sockets'> = (k, p) => {
  const out: SocketInfo[] = [];
  const view = p.ns.net;
  if (view !== null) for (const socket of view.stack.sockets) {
    const info = socket.info(p);
    if (info !== null) out.push(info);
  }
  for (const socket of k.net.unixSockets) {
    const info = socket.info(p);
    if (info !== null) out.push(info);
  }
  return out;
};
