/**
 * The IPv4 routing table as FreeBSD's `netstat -rn` prints it (and `route show` here):
 * "Routing tables", "Internet:", then Destination, Gateway, Flags and Netif columns (widths 18,
 * 18, 6 and 8, widened to fit, as netstat's size_cols does). A directly connected subnet's
 * gateway is `link#N`, N the interface's index (its place in net_interfaces, from 1). Routes
 * have no expiry here, so the Expire column stays empty. Pure; also the longest-prefix match
 * `route get` uses.
 */
import type { NetInterface, RouteInfo } from '../../kernel/abi.js';
import { maskOf, parseIp } from './inet.js';

/** `default`, `192.0.2.0/24`, or a host route's bare address. */
export function routeDestination(route: RouteInfo): string {
  if (route.destination === 'default' || route.prefix === 0) return 'default';
  return route.prefix === 32 ? route.destination : `${route.destination}/${route.prefix}`;
}

/** The next hop, or link#N for a directly connected route. */
export function routeGateway(route: RouteInfo, interfaces: readonly NetInterface[]): string {
  if (route.gateway !== null) return route.gateway;
  const index = interfaces.findIndex((i) => i.name === route.iface);
  return `link#${index + 1}`;
}

export function formatRouteTable(routes: readonly RouteInfo[], interfaces: readonly NetInterface[]): string {
  const rows = routes.map((r) => [routeDestination(r), routeGateway(r, interfaces), r.flags, r.iface] as const);
  const width = (i: number, min: number): number => Math.max(min, ...rows.map((r) => r[i]!.length));
  const [dst, gw, flags, netif] = [width(0, 18), width(1, 18), width(2, 6), width(3, 8)];
  const line = (cells: readonly string[]): string =>
    `${cells[0]!.padEnd(dst)} ${cells[1]!.padEnd(gw)} ${cells[2]!.padEnd(flags)} ${cells[3]!.padStart(netif)}`;
  let out = 'Routing tables\n\nInternet:\n';
  out += `${line(['Destination', 'Gateway', 'Flags', 'Netif'])} Expire\n`;
  for (const row of rows) out += `${line(row)}\n`;
  return out;
}

/** The route the stack would use for `address`: the longest prefix that holds it. */
export function lookupRoute(routes: readonly RouteInfo[], address: string): RouteInfo | undefined {
  const addr = parseIp(address);
  if (addr === undefined) return undefined;
  let best: RouteInfo | undefined;
  for (const route of routes) {
    const dest = route.destination === 'default' ? 0 : parseIp(route.destination);
    if (dest === undefined) continue;
    const mask = maskOf(route.prefix);
    if (((addr & mask) >>> 0) !== ((dest & mask) >>> 0)) continue;
    if (best === undefined || route.prefix > best.prefix) best = route;
  }
  return best;
}
