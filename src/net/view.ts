/**
 * A cell's view of a network stack: which stack it uses, and which of its addresses. The host
 * and a vnet cell see their whole stack. A cell restricted to addresses (a FreeBSD jail with
 * ip4.addr, a Solaris shared-IP zone) shares its parent's stack but may use only its own
 * addresses, and "127.0.0.1" means an address of its own: its primary address (FreeBSD's
 * loopback rewrite) or a loopback alias kept for it alone (a zone's lo0:N), shown to it as
 * 127.0.0.1. The same mechanism serves both; the personality picks which address stands in.
 */
import { fail } from '../kernel/errno.js';
import { INADDR_ANY, INADDR_LOOPBACK, inSubnet, isLoopback } from './ipv4.js';
import type { IfAddress } from './iface.js';
import type { NetStack } from './stack.js';

export class NetView {
  /** The addresses it may use, primary first, loopback alias included; null: any of the stack's. */
  readonly allowed: ReadonlySet<number> | null;

  constructor(
    readonly stack: NetStack,
    /** Its addresses, primary first; null when unrestricted. */
    readonly addresses: readonly number[] | null,
    /** The address 127.0.0.1 stands for (INADDR_LOOPBACK when unrestricted); 0: none. */
    readonly loopback: number,
    /** The cell this view was made for (0: the host), which owns its aliases. */
    readonly cellId: number,
    /** The stack was made for this view (a vnet cell's), and goes with it. */
    readonly ownsStack = false,
    /** Tests only (src/kernel/unsafe.ts addressRestriction): behave as unrestricted despite `addresses`. */
    unrestricted = false,
    /**
     * false: the cell has no IPv4 (ip4=disable): it sees the stack's interfaces, none of its
     * addresses, and may open no AF_INET socket (EPROTONOSUPPORT).
     */
    readonly ipv4 = true,
  ) {
    if (addresses === null || unrestricted) this.allowed = null;
    else this.allowed = new Set(loopback !== 0 && !addresses.includes(loopback) ? [...addresses, loopback] : addresses);
  }

  get restricted(): boolean {
    return this.allowed !== null;
  }

  get primary(): number {
    return this.addresses?.[0] ?? 0;
  }

  /** May the cell use `address` as a local address? */
  mayUse(address: number): boolean {
    return this.allowed === null ? this.stack.isLocal(address) : this.allowed.has(address) && this.stack.isLocal(address);
  }

  /**
   * The local address a bind to `address` takes (FreeBSD prison_local_ip4): the wildcard becomes
   * the cell's only address when it has one; 127.0.0.1 its stand-in; anything not its own is
   * EADDRNOTAVAIL. 0 means the wildcard (filtered by `allowed`).
   */
  bindAddress(address: number): number {
    if (address === INADDR_ANY) return this.allowed !== null && this.allowed.size === 1 ? [...this.allowed][0]! : INADDR_ANY;
    const local = this.translate(address);
    if (!this.mayUse(local)) throw fail('EADDRNOTAVAIL');
    return local;
  }

  /** A destination as the stack knows it: 127.0.0.1 becomes the cell's stand-in. */
  translate(address: number): number {
    if (this.allowed === null || !isLoopback(address)) return address;
    if (address !== INADDR_LOOPBACK || this.loopback === 0) throw fail('EADDRNOTAVAIL');
    return this.loopback;
  }

  /** An address as the cell is shown it: its loopback alias appears as 127.0.0.1. */
  show(address: number): number {
    return this.allowed !== null && address === this.loopback && isLoopback(address) ? INADDR_LOOPBACK : address;
  }

  /**
   * The source address for a packet to `dst` (FreeBSD prison_saddrsel_ip4): the destination
   * itself when it is local, else an address of the cell on the outgoing interface's subnet, else
   * its primary. EADDRNOTAVAIL when the cell has none; ENETUNREACH when no route leads there.
   */
  source(dst: number): number {
    if (this.mayUse(dst)) return dst;
    const stack = this.stack;
    if (isLoopback(dst) && this.allowed === null) return INADDR_LOOPBACK;
    const route = stack.route(dst);
    if (route === undefined) throw fail('ENETUNREACH');
    const hop = route.gateway ?? dst;
    let fallback = 0;
    // The candidates: the cell's own addresses (a few), or the interface's configured ones (not
    // cells' aliases); either way, never a scan of every alias on a busy host interface.
    for (const a of this.allowed === null ? route.iface.configured : this.ownEntries()) {
      if (stack.ifaceOf(a.address) !== route.iface) continue;
      if (inSubnet(hop, a)) return a.address;
      fallback ||= a.address;
    }
    const chosen = this.allowed === null ? fallback : this.primary || fallback;
    if (chosen === 0) throw fail('EADDRNOTAVAIL');
    return chosen;
  }

  /** The stack's entries of the cell's own addresses. */
  private *ownEntries(): Generator<IfAddress> {
    for (const address of this.allowed!) {
      const entry = this.stack.entryOf(address);
      if (entry !== undefined) yield entry;
    }
  }

  /**
   * Does the cell see a socket bound to `local` (netstat)? An address it sees; a wildcard when it
   * is unrestricted, or when the wildcard is its own (filtered by its addresses).
   */
  seesBinding(local: number, filter: ReadonlySet<number> | null): boolean {
    return local !== INADDR_ANY ? this.sees(local) : !this.restricted || filter === this.allowed;
  }

  /** Does the cell see this local address (ifconfig, netstat)? */
  sees(address: number): boolean {
    return this.allowed === null || this.allowed.has(address);
  }
}
