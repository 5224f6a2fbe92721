/**
 * ifconfig(8), FreeBSD's, over net_interfaces and net_ifconfig:
 *   ifconfig [-a] [-u | -d]           every interface of the caller's stack (a jail sees only its addresses)
 *   ifconfig -l [-u | -d]             their names
 *   ifconfig IF                       one interface
 *   ifconfig IF [inet] A[/N] [netmask M] [alias | -alias | delete] [up | down]
 * As on FreeBSD, an address without `alias` replaces the interface's first address
 * (SIOCDIFADDR, then SIOCAIFADDR); `alias` adds one; `-alias`/`delete` removes the one named.
 * up and down take effect first, as ifconfig sets flags while it parses. Failures are reported
 * as FreeBSD's Perror does (`ifconfig: ioctl (SIOCAIFADDR): permission denied` for EPERM, as in
 * a jail that shares its stack; `...: no such interface` for ENXIO), an unknown interface as
 * `ifconfig: interface X does not exist`; status 1.
 */
import type { InterfaceChange, NetInterface, Program, Sys } from '../../kernel/abi.js';
import { errnoOf, errorText, print, printErr } from '../lib.js';
import { formatInterface, isUp } from './ifconfig-format.js';
import { formatIp, parseCidr, parseIp, parseMask } from './inet.js';

const USAGE = [
  'usage: ifconfig [-n] interface [address_family [address [dest_address]] [parameters]]',
  '       ifconfig -a [-d] [-u] [address_family]',
  '       ifconfig -l [-d] [-u] [address_family]',
].join('\n');

/** What the words after the interface name ask for. */
interface Request {
  address?: { address: number; prefix: number | undefined };
  /** 1: alias (add), -1: -alias (remove), 0: replace the first address. */
  alias: number;
  up?: boolean;
}

export const ifconfig: Program = async (sys, argv) => {
  const args = argv.slice(1);
  let all = false;
  let names = false;
  let onlyUp = false;
  let onlyDown = false;
  while (args.length > 0 && args[0]!.startsWith('-') && args[0]!.length > 1) {
    for (const flag of args.shift()!.slice(1)) {
      if (flag === 'a') all = true;
      else if (flag === 'l') names = true;
      else if (flag === 'u') onlyUp = true;
      else if (flag === 'd') onlyDown = true;
      else if (flag !== 'n' && flag !== 'L' && flag !== 'm' && flag !== 'v') return usage(sys);
    }
  }
  const interfaces = await sys.net_interfaces();
  if (all || names || args.length === 0) {
    if (args.length > 1 || (args.length === 1 && args[0] !== 'inet')) return usage(sys);
    const shown = interfaces.filter((i) => (!onlyUp || isUp(i)) && (!onlyDown || !isUp(i)));
    await print(sys, names ? `${shown.map((i) => i.name).join(' ')}\n` : shown.map(formatInterface).join(''));
    return 0;
  }
  const [name, ...words] = args as [string, ...string[]];
  const iface = interfaces.find((i) => i.name === name);
  if (iface === undefined) return errx(sys, `interface ${name} does not exist`);
  if (words.length === 0) {
    await print(sys, formatInterface(iface));
    return 0;
  }
  const request = parseWords(words);
  if (typeof request === 'string') return errx(sys, request);
  return apply(sys, iface, request);
};

/** The words after the interface name; a string is the complaint. */
export function parseWords(words: readonly string[]): Request | string {
  const request: Request = { alias: 0 };
  let prefix: number | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === 'inet') continue;
    if (word === 'up' || word === 'down') request.up = word === 'up';
    else if (word === 'alias' || word === 'add') request.alias = 1;
    else if (word === '-alias' || word === 'delete' || word === 'remove') request.alias = -1;
    else if (word === 'netmask' || word === 'broadcast') {
      const value = words[++i];
      if (value === undefined) return `missing argument for ${word}`;
      if (word === 'netmask') {
        prefix = parseMask(value);
        if (prefix === undefined) return `${value}: bad value`;
      } else if (parseIp(value) === undefined) return `${value}: bad value`;
    } else if (request.address === undefined) {
      const cidr = parseCidr(word);
      if (cidr === undefined) return `${word}: bad value`;
      request.address = cidr;
    } else return `${word}: bad value`;
  }
  if (request.address !== undefined && prefix !== undefined) request.address = { ...request.address, prefix };
  return request;
}

/** Flags first, then the address removed, then added: ifconfig's order of ioctls. */
async function apply(sys: Sys, iface: NetInterface, request: Request): Promise<number> {
  if (request.up !== undefined) {
    const failed = await ioctl(sys, iface.name, { up: request.up }, request.up ? 'up' : 'down');
    if (failed !== 0) return failed;
  }
  const target = request.address;
  const text = target === undefined ? undefined : `${formatIp(target.address)}${target.prefix === undefined ? '' : `/${target.prefix}`}`;
  const first = iface.addresses[0]?.address;
  if (request.alias < 0) {
    // -alias removes the address named, or the first one when none is named.
    const failed = await ioctl(sys, iface.name, { remove: text ?? first ?? '0.0.0.0' }, 'ioctl (SIOCDIFADDR)');
    if (failed !== 0) return failed;
  } else if (request.alias === 0 && text !== undefined && first !== undefined) {
    // A plain address replaces the first one (clearaddr); if it is already gone, nothing to clear.
    const failed = await ioctl(sys, iface.name, { remove: first }, 'ioctl (SIOCDIFADDR)', true);
    if (failed !== 0) return failed;
  }
  if (request.alias >= 0 && text !== undefined) return ioctl(sys, iface.name, { add: text }, 'ioctl (SIOCAIFADDR)');
  return 0;
}

/** One change, its failure reported as Perror words it; `absentOk`: EADDRNOTAVAIL means there was nothing to clear. */
async function ioctl(sys: Sys, name: string, change: InterfaceChange, what: string, absentOk = false): Promise<number> {
  try {
    await sys.net_ifconfig(name, change);
    return 0;
  } catch (err) {
    const code = errnoOf(err);
    if (code === undefined) throw err;
    if (absentOk && code === 'EADDRNOTAVAIL') return 0;
    if (code === 'ENXIO') return errx(sys, `${what}: no such interface`);
    if (code === 'EPERM') return errx(sys, `${what}: permission denied`);
    return errx(sys, `${what}: ${errorText(err)}`);
  }
}

async function errx(sys: Sys, message: string): Promise<number> {
  await printErr(sys, `ifconfig: ${message}\n`);
  return 1;
}

async function usage(sys: Sys): Promise<number> {
  await printErr(sys, `${USAGE}\n`);
  return 1;
}
