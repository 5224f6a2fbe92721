/**
 * netstat(1), FreeBSD's, over net_sockets, net_routes and net_interfaces:
 *   netstat [-46anW] [-f inet | unix | -p tcp | udp | icmp]   the sockets the caller may see
 *   netstat -r [-46nW]                                         the routing table
 * Addresses are always numeric (there is no resolver, so -n changes nothing). A jail sees its
 * own sockets only; the host sees every socket on its stack, a jail's included.
 */
import type { Program } from '../../kernel/abi.js';
import { parseArgs } from '../fileutils/getopt.js';
import { print, printErr } from '../lib.js';
import { formatInet, formatUnix, PROTOCOL_NAMES } from './netstat-format.js';
import { formatRouteTable } from './route-table.js';

const USAGE = 'netstat [-46anW] [-f protocol_family | -p protocol]\n       netstat -r [-46nW] [-f address_family]';

export const netstat: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'netstat', argv, '46af:np:rW', USAGE);
  if (opts === undefined) return 1;
  if (opts.operands.length > 0) {
    await printErr(sys, `usage: ${USAGE}\n`);
    return 1;
  }
  const family = opts.has('4') ? 'inet' : opts.value('f');
  if (family !== undefined && family !== 'inet' && family !== 'unix' && family !== 'local') {
    await printErr(sys, `netstat: ${family}: unknown address family\n`);
    return 1;
  }
  const protocol = opts.value('p');
  if (protocol !== undefined && !PROTOCOL_NAMES.includes(protocol)) {
    await printErr(sys, `netstat: ${protocol}: unknown or uninstrumented protocol\n`);
    return 1;
  }
  if (opts.has('r')) {
    const routes = family === undefined || family === 'inet' ? await sys.net_routes() : [];
    await print(sys, formatRouteTable(routes, await sys.net_interfaces()));
    return 0;
  }
  const sockets = await sys.net_sockets();
  const all = opts.has('a');
  let out = '';
  if (family !== 'unix' && family !== 'local') out += formatInet(sockets, all, protocol);
  if ((family === undefined && protocol === undefined) || family === 'unix' || family === 'local') out += formatUnix(sockets, all);
  await print(sys, out);
  return 0;
};
