/**
 * route(8), FreeBSD's, over net_routes and net_route:
 *   route [-nqv] add [-net | -host] DEST GATEWAY [-netmask M]   DEST: default, A, A/N
 *   route [-nqv] delete [-net | -host] DEST [GATEWAY]
 *   route [-nqv] get | show DEST                                 the route DEST would take
 *   route show                                                   the table, as netstat -rn
 * A bare address is a host route unless -net is given (then its mask comes from its trailing
 * zero octets, as inet_makenetandmask does). Messages as route.c prints them: `add net
 * default: gateway 192.0.2.254` on success; EPERM is fatal, `route: writing to routing
 * socket: Operation not permitted` (a jail sharing its stack); a missing route is `route: route
 * has not been found` and `delete net X: not in table`; an existing one `...: route already in
 * table`. Status 1 on any failure.
 */
import type { NetInterface, Program, RouteInfo, Sys } from '../../kernel/abi.js';
import { strerror, isErrno } from '../../kernel/errno.js';
import { errnoOf, print, printErr } from '../lib.js';
import { formatIp, maskOf, parseCidr, parseIp, parseMask } from './inet.js';
import { formatRouteTable, lookupRoute, routeDestination } from './route-table.js';

const USAGE = 'usage: route [-dnqtv] command [[modifiers] args]';

/** What add or delete was asked: the kernel's destination ("default" or A/N) and how to print it. */
export interface RouteRequest {
  readonly destination: string;
  readonly gateway: string | undefined;
  readonly host: boolean;
  /** The destination as the user wrote it, as route prints it back. */
  readonly shown: string;
}

export const route: Program = async (sys, argv) => {
  const args = argv.slice(1);
  let quiet = false;
  while (args.length > 0 && /^-[dnqtv]+$/.test(args[0]!)) if (args.shift()!.includes('q')) quiet = true;
  const [command, ...rest] = args;
  if (command === undefined) return usage(sys);
  if (command === 'show' && rest.length === 0) {
    const routes = await sys.net_routes();
    const interfaces = await sys.net_interfaces();
    await print(sys, formatRouteTable(routes, interfaces));
    return 0;
  }
  if (command === 'get' || command === 'show') return get(sys, rest);
  if (command !== 'add' && command !== 'delete' && command !== 'del') return usage(sys);
  const request = parseRequest(rest, command === 'add');
  if (typeof request === 'string') {
    if (request === '') return usage(sys);
    await printErr(sys, `route: ${request}\n`);
    return 1;
  }
  return change(sys, command, request, quiet);
};

/** The modifiers and operands of add or delete; a string is the complaint ("" for usage). */
export function parseRequest(words: readonly string[], adding: boolean): RouteRequest | string {
  let net = false;
  let host = false;
  let netmask: number | undefined;
  const operands: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-net') net = true;
    else if (word === '-host') host = true;
    else if (word === '-inet' || word === '-static') continue;
    else if (word === '-netmask') {
      const value = words[++i];
      netmask = value === undefined ? undefined : parseMask(value);
      if (netmask === undefined) return `bad address: ${value ?? ''}`;
    } else if (word.startsWith('-')) return '';
    else operands.push(word);
  }
  const [dest, gateway, extra] = operands;
  if (dest === undefined || extra !== undefined || (adding && gateway === undefined)) return '';
  if (gateway !== undefined && parseIp(gateway) === undefined) return `bad address: ${gateway}`;
  if (dest === 'default') return { destination: 'default', gateway, host: false, shown: dest };
  const cidr = parseCidr(dest);
  if (cidr === undefined) return `bad address: ${dest}`;
  let prefix = netmask ?? cidr.prefix;
  if (prefix === undefined) prefix = host || !net ? 32 : naturalPrefix(cidr.address);
  const isHost = prefix === 32 && !net;
  return { destination: `${formatIp(cidr.address)}/${prefix}`, gateway, host: isHost, shown: dest };
}

/** inet_makenetandmask: a network number's mask ends where its trailing zero octets begin. */
function naturalPrefix(address: number): number {
  if (address === 0) return 0;
  for (const prefix of [8, 16, 24]) if (((address & ~maskOf(prefix)) >>> 0) === 0) return prefix;
  return 32;
}

async function change(sys: Sys, command: string, request: RouteRequest, quiet: boolean): Promise<number> {
  const op = command === 'add' ? 'add' : 'delete';
  const head = `${command} ${request.host ? 'host' : 'net'} ${request.shown}${request.gateway === undefined ? '' : `: gateway ${request.gateway}`}`;
  try {
    await sys.net_route(op, request.destination, request.gateway ?? '');
  } catch (err) {
    const code = errnoOf(err);
    if (code === undefined || !isErrno(code)) throw err;
    if (code === 'EPERM') {
      await printErr(sys, `route: writing to routing socket: ${strerror(code)}\n`);
      return 1;
    }
    if (code === 'ESRCH') await printErr(sys, 'route: route has not been found\n');
    else if (code !== 'EEXIST') await printErr(sys, `route: writing to routing socket: ${strerror(code)}\n`);
    const why = code === 'ESRCH' ? 'not in table' : code === 'EEXIST' ? 'route already in table' : strerror(code);
    if (!quiet) await print(sys, `${head}: ${why}\n`);
    return 1;
  }
  if (!quiet) await print(sys, `${head}\n`);
  return 0;
}

/** route get: the route a destination takes, as print_getmsg shows it. */
async function get(sys: Sys, words: readonly string[]): Promise<number> {
  const operands = words.filter((w) => w !== '-net' && w !== '-host' && w !== '-inet');
  if (operands.length !== 1) return usage(sys);
  const target = operands[0] === 'default' ? '0.0.0.0' : operands[0]!.split('/')[0]!;
  if (parseIp(target) === undefined) {
    await printErr(sys, `route: bad address: ${operands[0]}\n`);
    return 1;
  }
  const routes = await sys.net_routes();
  const interfaces = await sys.net_interfaces();
  const found = operands[0] === 'default' ? routes.find((r) => r.prefix === 0) : lookupRoute(routes, target);
  if (found === undefined) {
    await printErr(sys, 'route: route has not been found\n');
    return 1;
  }
  await print(sys, formatGet(operands[0]!, found, interfaces));
  return 0;
}

/** The flag names route get prints between < and >. */
const FLAG_NAMES: Readonly<Record<string, string>> = { U: 'UP', G: 'GATEWAY', H: 'HOST', S: 'STATIC' };

export function formatGet(asked: string, r: RouteInfo, interfaces: readonly NetInterface[]): string {
  const dest = routeDestination(r);
  const mtu = interfaces.find((i) => i.name === r.iface)?.mtu ?? 0;
  const flags = [...r.flags].map((f) => FLAG_NAMES[f]).filter((f) => f !== undefined);
  let out = `   route to: ${asked}\n`;
  out += `destination: ${dest === 'default' ? 'default' : r.destination}\n`;
  if (r.prefix !== 32) out += `       mask: ${dest === 'default' ? 'default' : formatIp(maskOf(r.prefix))}\n`;
  if (r.gateway !== null) out += `    gateway: ${r.gateway}\n`;
  out += `        fib: 0\n  interface: ${r.iface}\n      flags: <${[...flags, 'DONE'].join(',')}>\n`;
  out += ' recvpipe  sendpipe  ssthresh  rtt,msec    mtu        weight    expire\n';
  out += `${[0, 0, 0, 0, mtu, 1, 0].map((n) => String(n).padStart(8)).join('  ')}\n`;
  return out;
}

async function usage(sys: Sys): Promise<number> {
  await printErr(sys, `${USAGE}\n`);
  return 1;
}
