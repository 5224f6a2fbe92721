/**
 * Socket addresses between programs and the stack: checking what a program passes
 * ({address, port} or {path}) and building what it gets back.
 */
import type { InetAddress, SockAddr, UnixAddress } from '../kernel/abi.js';
import { fail } from '../kernel/errno.js';
import { hasPrivilege } from '../proc/cred.js';
import type { Process } from '../proc/process.js';
import { formatIp, parseIp } from './ipv4.js';

/** Ports below this need net_privaddr (FreeBSD IPPORT_RESERVED). */
export const IPPORT_RESERVED = 1024;

/** An AF_INET address argument as numbers; EINVAL when malformed, EAFNOSUPPORT for a path. */
export function inetOf(address: unknown): { addr: number; port: number } {
  if (typeof address !== 'object' || address === null) throw fail('EINVAL');
  if ('path' in address) throw fail('EAFNOSUPPORT');
  const { address: text, port } = address as Partial<InetAddress>;
  const addr = typeof text === 'string' ? parseIp(text) : undefined;
  if (addr === undefined || typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) throw fail('EINVAL');
  return { addr, port };
}

/** An AF_UNIX address argument's path; EINVAL when malformed, EAFNOSUPPORT for an inet address. */
export function unixPathOf(address: unknown): string {
  if (typeof address !== 'object' || address === null) throw fail('EINVAL');
  if (!('path' in address)) throw fail('EAFNOSUPPORT');
  const path = (address as Partial<UnixAddress>).path;
  if (typeof path !== 'string' || path === '' || path.length > 104) throw fail('EINVAL'); // sun_path is 104 bytes on FreeBSD
  return path;
}

export function inetAddress(addr: number, port: number): InetAddress {
  return { address: formatIp(addr), port };
}

/** A port a bind asks for: one below 1024 needs net_privaddr (EACCES, as BSD and Linux say). */
export function checkPort(p: Process, port: number): number {
  if (port < IPPORT_RESERVED && !hasPrivilege(p, 'net_privaddr')) throw fail('EACCES');
  return port;
}

export type { SockAddr };
