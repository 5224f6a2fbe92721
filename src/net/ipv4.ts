/**
 * IPv4 addresses as unsigned 32-bit numbers: parsing, printing, prefixes. Pure functions,
 * shared by the stack, the specs and the tools.
 */

export const INADDR_ANY = 0;
export const INADDR_LOOPBACK = 0x7f000001;
export const INADDR_BROADCAST = 0xffffffff;

/** An address with its prefix length, as an interface carries it (192.0.2.1/24). */
export interface Cidr {
  readonly address: number;
  readonly prefix: number;
}

/** Parses dotted-quad notation ("192.0.2.1"); undefined when it is not one. */
export function parseIp(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIp(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}

/** Parses "a.b.c.d/n" (or a bare address, taking `defaultPrefix`); undefined when malformed. */
export function parseCidr(text: string, defaultPrefix = 32): Cidr | undefined {
  const slash = text.indexOf('/');
  const address = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (address === undefined) return undefined;
  if (slash < 0) return { address, prefix: defaultPrefix };
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,2}$/.test(prefixText) || Number(prefixText) > 32) return undefined;
  return { address, prefix: Number(prefixText) };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr.address)}/${cidr.prefix}`;
}

/** The netmask of a prefix length, as a number (24 → 0xffffff00). */
export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Is `address` inside the subnet of `cidr`? */
export function inSubnet(address: number, cidr: Cidr): boolean {
  const mask = maskOf(cidr.prefix);
  return ((address & mask) >>> 0) === ((cidr.address & mask) >>> 0);
}

export function isLoopback(address: number): boolean {
  return address >>> 24 === 127;
}

/** The subnet's broadcast address. */
export function broadcastOf(cidr: Cidr): number {
  return (cidr.address | ~maskOf(cidr.prefix)) >>> 0;
}

/** A 48-bit MAC address as the usual colon-separated hex. */
export function formatMac(mac: number): string {
  const out: string[] = [];
  for (let i = 5; i >= 0; i--) out.push((Math.floor(mac / 2 ** (8 * i)) % 256).toString(16).padStart(2, '0'));
  return out.join(':');
}
