/**
 * Port bindings of one protocol (TCP or UDP) on a stack. A socket is bound to an exact address
 * and port, or to the wildcard address with a filter: null for any local address (the host, a
 * vnet), or the set of addresses of a cell restricted to several (FreeBSD keeps the wildcard
 * and matches only the jail's addresses). Lookups go by map, never by scanning sockets.
 */
import { fail } from '../kernel/errno.js';

/** What a binding needs to know of its socket. */
export interface Bindable {
  /** The addresses a wildcard binding accepts (null: every address of the stack). */
  readonly filter: ReadonlySet<number> | null;
}

/** A 48-bit key for address and port: address × 65536 + port. */
export function endpointKey(address: number, port: number): number {
  return address * 65536 + port;
}

export class PortTable<S extends Bindable> {
  private readonly exact = new Map<number, S>();
  private readonly wild = new Map<number, S[]>();
  /** How many bindings and connections use each port (ephemeral ports skip them). */
  private readonly used = new Map<number, number>();
  private nextEphemeral = 49152;

  /** Binds `socket`; EADDRINUSE when the endpoint is taken. */
  bind(socket: S, address: number, port: number): void {
    if (address !== 0) {
      const key = endpointKey(address, port);
      if (this.exact.has(key)) throw fail('EADDRINUSE');
      this.exact.set(key, socket);
    } else {
      const list = this.wild.get(port) ?? [];
      for (const other of list) if (overlaps(other.filter, socket.filter)) throw fail('EADDRINUSE');
      list.push(socket);
      this.wild.set(port, list);
    }
    this.use(port);
  }

  unbind(socket: S, address: number, port: number): void {
    if (address !== 0) {
      const key = endpointKey(address, port);
      if (this.exact.get(key) !== socket) return;
      this.exact.delete(key);
    } else {
      const list = this.wild.get(port);
      const i = list?.indexOf(socket) ?? -1;
      if (i < 0) return;
      list!.splice(i, 1);
      if (list!.length === 0) this.wild.delete(port);
    }
    this.release(port);
  }

  /** The socket bound to receive at address:port: an exact binding first, then a wildcard whose filter takes it. */
  lookup(address: number, port: number): S | undefined {
    const exact = this.exact.get(endpointKey(address, port));
    if (exact !== undefined) return exact;
    const list = this.wild.get(port);
    if (list === undefined) return undefined;
    let open: S | undefined;
    for (const socket of list) {
      if (socket.filter === null) open ??= socket;
      else if (socket.filter.has(address)) return socket; // a restricted cell's wildcard wins over the host's
    }
    return open;
  }

  /** Marks a port in use by a connection that holds no binding of its own. */
  use(port: number): void {
    this.used.set(port, (this.used.get(port) ?? 0) + 1);
  }

  release(port: number): void {
    const n = (this.used.get(port) ?? 1) - 1;
    if (n === 0) this.used.delete(port);
    else this.used.set(port, n);
  }

  /** A free ephemeral port (49152..65535, FreeBSD's and IANA's range), or EADDRNOTAVAIL. */
  ephemeral(): number {
    for (let tries = 0; tries < 16384; tries++) {
      const port = this.nextEphemeral;
      this.nextEphemeral = port === 65535 ? 49152 : port + 1;
      if (!this.used.has(port)) return port;
    }
    throw fail('EADDRNOTAVAIL');
  }
}

/**
 * Do two wildcard bindings compete for the same addresses? Two unfiltered ones do; a cell's
 * filtered wildcard does not clash with the host's (the cell's wins for its addresses, as a
 * jail's bound port wins over a host daemon on INADDR_ANY); two cells' clash where they share an address.
 */
function overlaps(a: ReadonlySet<number> | null, b: ReadonlySet<number> | null): boolean {
  if (a === null || b === null) return a === null && b === null;
  for (const address of a) if (b.has(address)) return true;
  return false;
}
