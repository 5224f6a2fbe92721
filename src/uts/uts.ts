/**
 * UTS namespaces: hostname and domain name. Owned by the uts subsystem; the hostname handlers
 * are the only writers.
 */
import type { Utsname } from '../kernel/abi.js';

export const MAXHOSTNAMELEN = 256;

export class UtsNamespace {
  constructor(
    public hostname: string,
    public domainname = '',
  ) {}
}

export const SYSNAME = 'cellblock';
export const RELEASE = '0.1.0';
export const MACHINE = 'sim64';

export function utsname(ns: UtsNamespace): Utsname {
  return { sysname: SYSNAME, nodename: ns.hostname, release: RELEASE, version: `${SYSNAME} ${RELEASE}`, machine: MACHINE };
}
