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
  /** Wildcard bindings of cells restricted to several addresses, keyed by each of their addresses. */
  private readonly scoped = new Map<number, S>();
  /** Unfiltered wildcard bindings (the host's, a vnet's), by port. */
  private readonly open = new Map<number, S>();
  /** How many bindings and connections use each port (ephemeral ports skip them). */
  private readonly used = new Map<number, number>();
  private nextEphemeral = 49152;

  /** Binds `socket`; EADDRINUSE when the endpoint is taken. */
  bind(socket: S, address: number, port: number): void {
    if (address !== 0) {
      const key = endpointKey(address, port);
      if (this.exact.has(key)) throw fail('EADDRINUSE');
      this.exact.set(key, socket);
    } else if (socket.filter === null) {
      if (this.open.has(port)) throw fail('EADDRINUSE');
      this.open.set(port, socket);
    } else {
      // A cell's wildcard does not clash with the host's (its own wins for its addresses, as a
      // jail's bound port wins over a host daemon on INADDR_ANY); two cells' clash where they share one.
      for (const a of socket.filter) if (this.scoped.has(endpointKey(a, port))) throw fail('EADDRINUSE');
      for (const a of socket.filter) this.scoped.set(endpointKey(a, port), socket);
    }
    this.use(port);
  }

  unbind(socket: S, address: number, port: number): void {
    if (address !== 0) {
      const key = endpointKey(address, port);
      if (this.exact.get(key) !== socket) return;
      this.exact.delete(key);
    } else if (socket.filter === null) {
      if (this.open.get(port) !== socket) return;
      this.open.delete(port);
    } else {
      let held = false;
      for (const a of socket.filter) {
        const key = endpointKey(a, port);
        if (this.scoped.get(key) === socket) {
          this.scoped.delete(key);
          held = true;
        }
      }
      if (!held) return;
    }
    this.release(port);
  }

  /** The socket bound to receive at address:port: an exact binding, then a cell's wildcard, then an open one. */
  lookup(address: number, port: number): S | undefined {
    const key = endpointKey(address, port);
    return this.exact.get(key) ?? this.scoped.get(key) ?? this.open.get(port);
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

