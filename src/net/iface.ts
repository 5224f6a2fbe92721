/**
 * Network interfaces: a name, an Ethernet address, IPv4 addresses with prefixes, up or down,
 * and the switch port it is linked to (loopback interfaces have none). Owned by the stack that
 * holds the interface; addresses change only through NetStack.addAddress/removeAddress, so the
 * stack's address index and the switch's neighbour table stay true.
 */
import type { Cidr } from './ipv4.js';
import type { NetStack } from './stack.js';
import type { Port } from './switch.js';

/** An address on an interface, and the cell it was added for (a jail's alias), if any. */
export interface IfAddress extends Cidr {
  /** Id of the cell whose restriction this alias serves (removed with it); 0 when configured directly. */
  readonly owner: number;
  /** Shown as 127.0.0.1 to its owner: a cell's own loopback address (a zone's lo0:N). */
  readonly loopbackAlias: boolean;
}

export class Iface {
  readonly addresses: IfAddress[] = [];
  /** The addresses configured on it directly (owner 0), not cells' aliases: few, however many cells. */
  readonly configured: IfAddress[] = [];
  up = true;
  /** The switch port this interface is linked to; null for loopback or an unlinked interface. */
  port: Port | null = null;

  constructor(
    readonly stack: NetStack,
    readonly name: string,
    /** 48-bit Ethernet address; 0 for loopback. */
    readonly mac: number,
    readonly loopback: boolean,
    readonly mtu = loopback ? 16384 : 1500,
  ) {}
}
