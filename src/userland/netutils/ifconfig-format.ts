/**
 * How ifconfig(8) prints an interface, FreeBSD's layout: the flags line (printb: the flag bits
 * in hex, then their names in bit order), the Ethernet address, one line per IPv4 address.
 * Pure; the interfaces come from net_interfaces.
 *
 * The kernel names UP, BROADCAST, LOOPBACK, RUNNING and MULTICAST. An Ethernet interface also
 * shows SIMPLEX (it cannot hear its own transmissions), as every FreeBSD Ethernet driver sets
 * IFF_SIMPLEX: a typical em0 reads flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST>, lo0
 * flags=8049<UP,LOOPBACK,RUNNING,MULTICAST>. media, status, groups and nd6 lines are not shown.
 */
import type { NetInterface } from '../../kernel/abi.js';
import { hexMask } from './inet.js';

/** FreeBSD's IFF_* bits (sys/net/if.h) of the flags the tools show. */
export const IFF_BITS: Readonly<Record<string, number>> = {
  UP: 0x1,
  BROADCAST: 0x2,
  DEBUG: 0x4,
  LOOPBACK: 0x8,
  POINTOPOINT: 0x10,
  RUNNING: 0x40,
  NOARP: 0x80,
  PROMISC: 0x100,
  ALLMULTI: 0x200,
  SIMPLEX: 0x800,
  MULTICAST: 0x8000,
};

/** The flags value and its names in bit order, as printb shows them: `8843<UP,...>`. */
export function formatFlags(names: readonly string[]): string {
  const value = names.reduce((v, name) => v | (IFF_BITS[name] ?? 0), 0);
  const shown = Object.entries(IFF_BITS)
    .filter(([, bit]) => (value & bit) !== 0)
    .map(([name]) => name);
  return `${value.toString(16)}<${shown.join(',')}>`;
}

/** The interface's flag names with SIMPLEX added for Ethernet. */
export function flagsOf(iface: NetInterface): readonly string[] {
  return iface.mac !== null && !iface.flags.includes('SIMPLEX') ? [...iface.flags, 'SIMPLEX'] : iface.flags;
}

export function isUp(iface: NetInterface): boolean {
  return iface.flags.includes('UP');
}

/** One interface as `ifconfig IF` prints it. */
export function formatInterface(iface: NetInterface): string {
  let out = `${iface.name}: flags=${formatFlags(flagsOf(iface))} metric 0 mtu ${iface.mtu}\n`;
  if (iface.mac !== null) out += `\tether ${iface.mac}\n`;
  for (const a of iface.addresses) {
    out += `\tinet ${a.address} netmask ${hexMask(a.prefix)}`;
    if (a.broadcast !== null) out += ` broadcast ${a.broadcast}`;
    out += '\n';
  }
  return out;
}
