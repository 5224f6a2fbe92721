/**
 * A network stack: interfaces, routes, the local address index, and the protocol tables (TCP
 * and UDP bindings and connections, raw sockets). The host has one; each vnet cell has its own;
 * cells restricted to addresses share their parent's (src/net/view.ts). Delivery is plain L3
 * over L2 frames: a packet to one of the stack's own addresses loops back inside the stack; any
 * other goes out of the interface its route names, to the switch port holding the next hop.
 * The stack never forwards packets between interfaces. Owned by the net subsystem; interfaces
 * and routes change only through its methods.
 */
import { fail, type Errno } from '../kernel/errno.js';
import type { KernelEvent } from '../kernel/sched.js';
import { inSubnet, isLoopback, maskOf, type Cidr } from './ipv4.js';
import { Iface, type IfAddress } from './iface.js';
import type { IpPacket, Transport } from './packet.js';
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP } from './packet.js';
import { PortTable } from './ports.js';
import type { Network } from './network.js';
import type { TcpSocket } from './tcp.js';
import type { UdpSocket } from './udp.js';
import type { RawSocket } from './raw.js';
import { tcpInput } from './tcp-input.js';
import { udpInput } from './udp.js';
import { icmpInput } from './icmp.js';

export const DEFAULT_TTL = 64;
/** Destinations whose routes a stack remembers before starting over. */
const ROUTE_CACHE_MAX = 4096;
const NONE: ReadonlySet<number> = new Set();

export interface Route extends Cidr {
  readonly gateway: number | null;
  readonly iface: Iface;
  /** Added by hand (route add), not derived from an interface address. */
  readonly static: boolean;
}

/** A packet looped back inside the stack (to one of its own addresses). */
class Loopback implements KernelEvent {
  due = -1;
  constructor(
    readonly stack: NetStack,
    readonly packet: IpPacket,
  ) {}

  fire(at: number): void {
    this.stack.input(this.packet, at);
  }
}

export class NetStack {
  readonly ifaces = new Map<string, Iface>();
  /** Routes added by hand; routes to interfaces' own subnets are derived from their addresses. */
  readonly staticRoutes: Route[] = [];
  /** Every address of the stack's interfaces, and the interface holding it. */
  private readonly local = new Map<number, Iface>();
  /** Every address's entry (its owner cell), and the addresses each cell's aliases hold. */
  private readonly entries = new Map<number, IfAddress>();
  private readonly byOwner = new Map<number, Set<number>>();
  /**
   * Routes looked up so far, by destination: a packet's route costs a map lookup, however many
   * aliases the stack's interfaces carry (a host with ten thousand jails). Cleared on any change.
   */
  private readonly routeCache = new Map<number, Route | null>();
  readonly tcp = new PortTable<TcpSocket>();
  /** TCP connections by local endpoint key, then remote endpoint key. */
  readonly connections = new Map<number, Map<number, TcpSocket>>();
  readonly udp = new PortTable<UdpSocket>();
  readonly raw = new Set<RawSocket>();
  /** Every socket of the stack, for netstat (a set: adding and removing are O(1)). */
  readonly sockets = new Set<TcpSocket | UdpSocket | RawSocket>();
  private ipId = 0;

  constructor(
    readonly net: Network,
    readonly name: string,
  ) {}

  /** Adds an interface (named uniquely in this stack). */
  addIface(name: string, loopback: boolean): Iface {
    if (this.ifaces.has(name)) throw fail('EEXIST');
    const iface = new Iface(this, name, loopback ? 0 : this.net.nextMac(), loopback);
    this.ifaces.set(name, iface);
    return iface;
  }

  /** Removes an interface and its addresses (it leaves its switch). */
  removeIface(iface: Iface): void {
    for (const a of [...iface.addresses]) this.removeAddress(iface, a.address);
    if (iface.port !== null) iface.port.sw.detach(iface.port);
    this.ifaces.delete(iface.name);
  }

  isLocal(address: number): boolean {
    return this.local.has(address);
  }

  ifaceOf(address: number): Iface | undefined {
    return this.local.get(address);
  }

  /**
   * Adds an address to an interface. EADDRINUSE when this stack or the interface's switch already
   * has it (duplicate address detection stands in for ARP's).
   */
  addAddress(iface: Iface, cidr: Cidr, owner = 0, loopbackAlias = false): void {
    if (this.local.has(cidr.address) || iface.port?.sw.holder(cidr.address) !== undefined) throw fail('EADDRINUSE');
    const entry: IfAddress = { address: cidr.address, prefix: cidr.prefix, owner, loopbackAlias };
    iface.addresses.push(entry);
    if (owner === 0) iface.configured.push(entry);
    this.local.set(cidr.address, iface);
    this.entries.set(cidr.address, entry);
    if (owner !== 0) {
      let held = this.byOwner.get(owner);
      if (held === undefined) this.byOwner.set(owner, (held = new Set()));
      held.add(cidr.address);
    }
    if (iface.port !== null) iface.port.sw.addressAdded(iface.port, cidr.address);
    this.routeCache.clear();
  }

  removeAddress(iface: Iface, address: number): void {
    const entry = this.entries.get(address);
    if (entry === undefined || this.local.get(address) !== iface) throw fail('EADDRNOTAVAIL');
    iface.addresses.splice(iface.addresses.indexOf(entry), 1);
    if (entry.owner === 0) iface.configured.splice(iface.configured.indexOf(entry), 1);
    this.local.delete(address);
    this.entries.delete(address);
    const held = this.byOwner.get(entry.owner);
    held?.delete(address);
    if (held?.size === 0) this.byOwner.delete(entry.owner);
    if (iface.port !== null) iface.port.sw.addressRemoved(iface.port, address);
    this.routeCache.clear();
  }

  /** The entry of one of the stack's addresses (its prefix, its owner). */
  entryOf(address: number): IfAddress | undefined {
    return this.entries.get(address);
  }

  /** The addresses a cell's aliases hold on this stack. */
  ownedBy(cellId: number): ReadonlySet<number> {
    return this.byOwner.get(cellId) ?? NONE;
  }

  /** Brings an interface up or down. */
  setUp(iface: Iface, up: boolean): void {
    iface.up = up;
    this.routeCache.clear();
  }

  addRoute(cidr: Cidr, gateway: number): void {
    const through = this.route(gateway);
    if (through === undefined || through.gateway !== null) throw fail('ENETUNREACH');
    const dest = (cidr.address & maskOf(cidr.prefix)) >>> 0;
    if (this.staticRoutes.some((r) => r.address === dest && r.prefix === cidr.prefix)) throw fail('EEXIST');
    this.staticRoutes.push({ address: dest, prefix: cidr.prefix, gateway, iface: through.iface, static: true });
    this.routeCache.clear();
  }

  deleteRoute(cidr: Cidr): void {
    const dest = (cidr.address & maskOf(cidr.prefix)) >>> 0;
    const i = this.staticRoutes.findIndex((r) => r.address === dest && r.prefix === cidr.prefix);
    if (i < 0) throw fail('ESRCH');
    this.staticRoutes.splice(i, 1);
    this.routeCache.clear();
  }

  /** Every route: each interface's subnets, then the static ones. */
  routes(): Route[] {
    const out: Route[] = [];
    for (const iface of this.ifaces.values()) {
      const seen = new Set<number>();
      for (const a of iface.addresses) {
        const address = (a.address & maskOf(a.prefix)) >>> 0;
        const key = address * 64 + a.prefix;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ address, prefix: a.prefix, gateway: null, iface, static: false });
      }
    }
    return out.concat(this.staticRoutes);
  }

  /** The longest-prefix route to `dst` over an interface that is up. */
  route(dst: number): Route | undefined {
    const cached = this.routeCache.get(dst);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.lookupRoute(dst);
    if (this.routeCache.size >= ROUTE_CACHE_MAX) this.routeCache.clear();
    this.routeCache.set(dst, found ?? null);
    return found;
  }

  private lookupRoute(dst: number): Route | undefined {
    let best: Route | undefined;
    for (const iface of this.ifaces.values()) {
      if (!iface.up) continue;
      for (const a of iface.addresses) {
        if ((best === undefined || a.prefix > best.prefix) && inSubnet(dst, a)) {
          best = { address: a.address, prefix: a.prefix, gateway: null, iface, static: false };
        }
      }
    }
    for (const r of this.staticRoutes) {
      if (r.iface.up && (best === undefined || r.prefix > best.prefix) && inSubnet(dst, r)) best = r;
    }
    return best;
  }

  /** Builds a packet from this stack. */
  packet(src: number, dst: number, body: Transport): IpPacket {
    this.ipId = (this.ipId + 1) & 0xffff;
    return { src, dst, ttl: DEFAULT_TTL, id: this.ipId, body };
  }

  /**
   * Sends a packet at virtual time `now`: looped back when its destination is local, else out
   * of its route's interface. Returns the errno of a packet that cannot leave (no route, no
   * neighbour), or null; a frame lost on the way is not an error.
   */
  output(packet: IpPacket, now: number): Errno | null {
    const dst = packet.dst;
    if (this.local.has(dst)) {
      const lo = this.local.get(dst)!;
      if (!lo.up) return 'ENETDOWN';
      this.net.kernel.addEvent(new Loopback(this, packet), now);
      return null;
    }
    if (isLoopback(dst)) return 'ENETUNREACH';
    const route = this.route(dst);
    if (route === undefined) return 'ENETUNREACH';
    const port = route.iface.port;
    if (port === null) return 'EHOSTUNREACH';
    const neighbour = port.sw.holder(route.gateway ?? dst);
    if (neighbour === undefined || !neighbour.iface.up) return 'EHOSTUNREACH';
    port.sw.transmit({ srcMac: route.iface.mac, dstMac: neighbour.iface.mac, packet }, port, neighbour, now);
    return null;
  }

  /** A packet arrived at one of this stack's interfaces, at virtual time `at`. */
  input(packet: IpPacket, at: number): void {
    if (!this.local.has(packet.dst)) return; // not ours: the stack does not forward
    switch (packet.body.proto) {
      case IPPROTO_TCP:
        tcpInput(this, packet, packet.body, at);
        break;
      case IPPROTO_UDP:
        udpInput(this, packet, packet.body, at);
        break;
      case IPPROTO_ICMP:
        icmpInput(this, packet, packet.body, at);
        break;
    }
  }
}
