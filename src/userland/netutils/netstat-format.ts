/**
 * How netstat(1) prints sockets, FreeBSD's layout (protopr and unixpr): "Active Internet
 * connections", then one row per socket, `%-5.5s %6u %6u %-22.22s %-22.22s %s`, addresses as
 * `a.b.c.d.port` (`*` for the wildcard, `*.*` for no peer), grouped tcp, udp, icmp as FreeBSD
 * walks its protocols; raw ICMP sockets show as icm4 (`%-3.3s%-2.2s` of "icmp" and "4").
 * Without -a, listening sockets and sockets with no peer are left out, as FreeBSD leaves them
 * out. Rows carry no trailing blanks. UNIX domain sockets get a simple table (Type, Recv-Q,
 * Send-Q, Addr: the path the socket is bound to), without FreeBSD's kernel-pointer columns.
 * Pure; the sockets come from net_sockets.
 */
import type { SocketInfo } from '../../kernel/abi.js';
import { netstatAddress } from './inet.js';

/** The protocols in the order netstat lists them, and the name each row shows. */
const INET_PROTOCOLS: readonly { readonly proto: string; readonly name: string; readonly key: string }[] = [
  { proto: 'tcp4', name: 'tcp4', key: 'tcp' },
  { proto: 'udp4', name: 'udp4', key: 'udp' },
  { proto: 'raw4', name: 'icm4', key: 'icmp' },
];

/** Protocol names -p takes. */
export const PROTOCOL_NAMES: readonly string[] = INET_PROTOCOLS.map((p) => p.key);

/** Is this a server (a listener) or a socket with no peer, which netstat shows only with -a? */
function serverLike(s: SocketInfo): boolean {
  return s.state === 'LISTEN' || s.remote === null;
}

function inetRow(name: string, s: SocketInfo): string {
  const row = `${name.padEnd(5)} ${String(s.recvQ).padStart(6)} ${String(s.sendQ).padStart(6)} ${netstatAddress(s.local).padEnd(22)} ${netstatAddress(s.remote).padEnd(22)} ${s.state}`;
  return `${row.trimEnd()}\n`;
}

/** The Internet sockets, or "" when there are none to show. `protocol` limits them to one (-p). */
export function formatInet(sockets: readonly SocketInfo[], all: boolean, protocol?: string): string {
  let rows = '';
  for (const p of INET_PROTOCOLS) {
    if (protocol !== undefined && p.key !== protocol) continue;
    for (const s of sockets) if (s.proto === p.proto && (all || !serverLike(s))) rows += inetRow(p.name, s);
  }
  if (rows === '') return '';
  const header = `${'Proto'.padEnd(5)} ${'Recv-Q'.padStart(6)} ${'Send-Q'.padStart(6)} ${'Local Address'.padEnd(22)} ${'Foreign Address'.padEnd(22)} (state)\n`;
  return `Active Internet connections${all ? ' (including servers)' : ''}\n${header}${rows}`;
}

/** The UNIX domain sockets, or "" when there are none to show. */
export function formatUnix(sockets: readonly SocketInfo[], all: boolean): string {
  let rows = '';
  for (const s of sockets) {
    if (s.proto !== 'unix' || (!all && s.state === 'LISTEN')) continue;
    const path = s.local !== null && 'path' in s.local ? s.local.path : '';
    rows += `${'stream'.padEnd(6)} ${String(s.recvQ).padStart(6)} ${String(s.sendQ).padStart(6)} ${path}`.trimEnd() + '\n';
  }
  if (rows === '') return '';
  return `Active UNIX domain sockets\n${'Type'.padEnd(6)} ${'Recv-Q'.padStart(6)} ${'Send-Q'.padStart(6)} Addr\n${rows}`;
}
