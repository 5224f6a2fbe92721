/**
 * nc(1), the OpenBSD netcat FreeBSD ships, over sockets:
 *   nc [-46dDNnuvz] [-p port] [-s source] [-w timeout] host port[-port]
 *   nc -l [-46dDkNnuv] [-p port] [-s source] [-w timeout] [host] [port]
 * Connects (or listens and takes one connection; -k: one after another) and relays standard
 * input and output through it (nc-relay.ts). -u: UDP datagrams, each read of standard input one
 * datagram; a UDP listener's peer is its first sender. -z: only connect and close, each port of
 * a range. -w: seconds (of virtual time) for a connection to be set up and for the relay to sit
 * idle; a listener waits for its connection without limit, as OpenBSD's does. -N is accepted
 * and always in effect (see nc-relay.ts). -v reports to standard error in netcat's words:
 * `Connection to H P port [tcp/*] succeeded!` (no services database, so `*`), `Connection
 * from H P received!`; failures: `nc: connect to H port P (tcp) failed: Connection refused`,
 * status 1. Hosts: dotted quads and localhost (no resolver).
 */
import { AF_INET, INADDR_ANY, SOCK_DGRAM, SOCK_STREAM, type Program, type Sys } from '../../kernel/abi.js';
import { strerror } from '../../kernel/errno.js';
import { getopt, UsageError, type Options } from '../fileutils/getopt.js';
import { errnoOf, errorText, printErr } from '../lib.js';
import { parsePort, resolveHost } from './inet.js';
import { relay } from './nc-relay.js';

const USAGE = [
  'usage: nc [-46dDklNnuvz] [-p source_port] [-s source] [-w timeout]',
  '\t  [destination] [port]',
].join('\n');

const NONAME = 'hostname nor servname provided, or not known';

interface Settings {
  readonly udp: boolean;
  readonly verbose: boolean;
  readonly noStdin: boolean;
  readonly keep: boolean;
  /** -w in ticks. */
  readonly timeout: number | undefined;
  readonly sourcePort: number | undefined;
  readonly source: string | undefined;
}

/** A fatal complaint, printed as errx prints it. */
class Fatal extends Error {}

export const nc: Program = async (sys, argv) => {
  let opts: Options;
  try {
    opts = getopt(argv.slice(1), '46dDklNnp:s:uvw:z');
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    await printErr(sys, `nc: ${err.message}\n${USAGE}\n`);
    return 1;
  }
  try {
    return await main(sys, opts);
  } catch (err) {
    if (!(err instanceof Fatal)) throw err;
    await printErr(sys, `nc: ${err.message}\n`);
    return 1;
  }
};

async function main(sys: Sys, opts: Options): Promise<number> {
  const settings = settingsOf(opts);
  const listening = opts.has('l');
  if (listening && opts.has('z')) throw new Fatal('cannot use -z and -l');
  if (listening) {
    const [first, second, extra] = opts.operands;
    if (extra !== undefined) return usage(sys);
    const host = second === undefined ? settings.source : first;
    const portText = second ?? first;
    const port = portText === undefined ? settings.sourcePort : portNumber(portText);
    if (port === undefined) return usage(sys);
    const address = host === undefined ? INADDR_ANY : resolve(host);
    return listen(sys, address, port, settings);
  }
  const [host, portText, extra] = opts.operands;
  if (host === undefined || portText === undefined || extra !== undefined) return usage(sys);
  const address = resolve(host);
  const ports = portRange(portText);
  let status = 1;
  for (const port of ports) {
    const fd = await connect(sys, host, address, port, settings);
    if (fd === undefined) continue;
    status = 0;
    if (settings.verbose) await printErr(sys, `Connection to ${host} ${port} port [${settings.udp ? 'udp' : 'tcp'}/*] succeeded!\n`);
    if (!opts.has('z')) {
      await relay(sys, fd, { udp: settings.udp, listening: false, noStdin: settings.noStdin, idle: settings.timeout });
      await sys.close(fd);
      return 0;
    }
    await sys.close(fd);
  }
  return status;
}

function settingsOf(opts: Options): Settings {
  const w = opts.value('w');
  if (w !== undefined && (!/^\d+$/.test(w) || Number(w) === 0)) throw new Fatal(`timeout ${/^\d+$/.test(w) ? 'too small' : 'invalid'}: ${w}`);
  const p = opts.value('p');
  const s = opts.value('s');
  return {
    udp: opts.has('u'),
    verbose: opts.has('v'),
    noStdin: opts.has('d'),
    keep: opts.has('k'),
    timeout: w === undefined ? undefined : Number(w) * 1000,
    sourcePort: p === undefined ? undefined : portNumber(p),
    source: s === undefined ? undefined : resolve(s),
  };
}

function resolve(host: string): string {
  const address = resolveHost(host);
  if (address === undefined) throw new Fatal(`getaddrinfo: ${NONAME}`);
  return address;
}

/** strtonum's complaints, as netcat words them. */
function portNumber(text: string): number {
  const port = parsePort(text);
  if (port !== undefined && port > 0) return port;
  const why = !/^\d+$/.test(text) ? 'invalid' : Number(text) === 0 ? 'too small' : 'too large';
  throw new Fatal(`port number ${why}: ${text}`);
}

/** `80` or `20-30`. */
export function portRange(text: string): number[] {
  const dash = text.indexOf('-');
  if (dash < 0) return [portNumber(text)];
  const lo = portNumber(text.slice(0, dash));
  const hi = portNumber(text.slice(dash + 1));
  if (lo > hi) throw new Fatal('port range not valid');
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/** A connected socket, or undefined after reporting why not (netcat's warn, not fatal). */
async function connect(sys: Sys, host: string, address: string, port: number, settings: Settings): Promise<number | undefined> {
  const proto = settings.udp ? 'udp' : 'tcp';
  let fd: number | undefined;
  try {
    fd = await sys.socket(AF_INET, settings.udp ? SOCK_DGRAM : SOCK_STREAM);
    if (settings.source !== undefined || settings.sourcePort !== undefined) {
      await sys.bind(fd, { address: settings.source ?? INADDR_ANY, port: settings.sourcePort ?? 0 });
    }
    if (settings.timeout !== undefined) await sys.setsockopt(fd, 'SO_SNDTIMEO', settings.timeout);
    await sys.connect(fd, { address, port });
    if (settings.timeout !== undefined) await sys.setsockopt(fd, 'SO_SNDTIMEO', 0);
    return fd;
  } catch (err) {
    const code = errnoOf(err);
    if (code === undefined) throw err;
    if (fd !== undefined) await sys.close(fd);
    // A connect that ran out of -w fails with EAGAIN; netcat reports its timeout as ETIMEDOUT.
    const why = code === 'EAGAIN' ? strerror('ETIMEDOUT') : errorText(err);
    await printErr(sys, `nc: connect to ${host} port ${port} (${proto}) failed: ${why}\n`);
    return undefined;
  }
}

/** -l: bind, then take one connection (or, with -k, one after another) and relay it. */
async function listen(sys: Sys, address: string, port: number, settings: Settings): Promise<number> {
  let fd: number;
  try {
    fd = await sys.socket(AF_INET, settings.udp ? SOCK_DGRAM : SOCK_STREAM);
    await sys.setsockopt(fd, 'SO_REUSEADDR', 1);
    await sys.bind(fd, { address, port });
    if (!settings.udp) await sys.listen(fd, 1);
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    throw new Fatal(errorText(err));
  }
  if (settings.udp) {
    await relay(sys, fd, {
      udp: true, listening: true, noStdin: settings.noStdin, idle: settings.timeout, keep: settings.keep,
      onPeer: async (peer) => {
        if (settings.verbose) await printErr(sys, `Connection from ${peer.address} ${peer.port} received!\n`);
      },
    });
    await sys.close(fd);
    return 0;
  }
  do {
    const { fd: conn, peer } = await sys.accept(fd);
    if (settings.verbose && 'address' in peer) await printErr(sys, `Connection from ${peer.address} ${peer.port} received!\n`);
    if (!settings.keep) await sys.close(fd);
    await relay(sys, conn, { udp: false, listening: true, noStdin: settings.noStdin, idle: settings.timeout });
    await sys.close(conn);
  } while (settings.keep);
  return 0;
}

async function usage(sys: Sys): Promise<number> {
  await printErr(sys, `${USAGE}\n`);
  return 1;
}
