/**
 * IPv4 addresses for the network tools: parsing and printing dotted quads, prefixes and
 * netmasks, host names (there is no resolver: dotted quads and `localhost` only), ports, and
 * socket addresses as netstat prints them. Pure functions, no state. Userland keeps its own
 * copy rather than importing src/net: programs reach the kernel only through Sys.
 */
import type { SockAddr } from '../../kernel/abi.js';

/** A dotted quad as an unsigned 32-bit number; undefined when it is not one. */
export function parseIp(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

export function formatIp(address: number): string {
  return [24, 16, 8, 0].map((shift) => (Math.floor(address / 2 ** shift) % 256).toString()).join('.');
}

/** The netmask of a prefix length, as an unsigned 32-bit number. */
export function maskOf(prefix: number): number {
  return prefix <= 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The prefix length of a contiguous netmask; undefined for a mask with holes. */
export function prefixOf(mask: number): number | undefined {
  for (let prefix = 0; prefix <= 32; prefix++) if (maskOf(prefix) === mask >>> 0) return prefix;
  return undefined;
}

/** `0xffffff00`, as ifconfig prints a netmask. */
export function hexMask(prefix: number): string {
  return `0x${maskOf(prefix).toString(16).padStart(8, '0')}`;
}

/** A netmask as ifconfig and route take it: `0xffffff00`, `255.255.255.0`; undefined if neither. */
export function parseMask(text: string): number | undefined {
  const mask = /^0x[0-9a-f]{1,8}$/i.test(text) ? Number.parseInt(text.slice(2), 16) : parseIp(text);
  return mask === undefined ? undefined : prefixOf(mask);
}

/** `a.b.c.d/n` or `a.b.c.d`; undefined when malformed. prefix is undefined when none is given. */
export function parseCidr(text: string): { address: number; prefix: number | undefined } | undefined {
  const [addr, bits, extra] = text.split('/');
  if (extra !== undefined) return undefined;
  const address = parseIp(addr ?? '');
  if (address === undefined) return undefined;
  if (bits === undefined) return { address, prefix: undefined };
  if (!/^\d{1,2}$/.test(bits) || Number(bits) > 32) return undefined;
  return { address, prefix: Number(bits) };
}

/** The host a tool was given, as getaddrinfo would find it with no resolver: a dotted quad or localhost. */
export function resolveHost(name: string): string | undefined {
  if (name === 'localhost') return '127.0.0.1';
  return parseIp(name) === undefined ? undefined : name;
}

/** A port number 0..65535 written in decimal; undefined otherwise. */
export function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

/** netstat's inetprint: `a.b.c.d.port`, `*` for the wildcard address or port; `*.*` for none. */
export function netstatAddress(address: SockAddr | null): string {
  if (address === null || !('address' in address)) return '*.*';
  const host = address.address === '0.0.0.0' ? '*' : address.address;
  return `${host}.${address.port === 0 ? '*' : String(address.port)}`;
}
