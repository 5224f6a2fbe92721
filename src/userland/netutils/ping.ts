/**
 * ping(8), FreeBSD's: `ping [-nq] [-c count] [-i wait] [-s packetsize] [-t timeout]
 * [-W waittime] host`. ICMP echo requests through a raw socket (socket(AF_INET, SOCK_RAW,
 * IPPROTO_ICMP), which needs net_rawaccess: in a jail without allow.raw_sockets it fails as
 * FreeBSD's does, `ping: socket: Operation not permitted`, status 71 (EX_OSERR, from err()).
 * The identifier is pid & 0xffff, sequence numbers count from 0, the data starts with the send
 * time; replies are read with recvfrom (IPv4 header first) and matched by identifier, since
 * every raw ICMP socket gets a copy of every ICMP packet.
 *
 * Times are virtual ticks (one tick is one millisecond). As on FreeBSD, without -c ping goes on
 * until it is killed or -t seconds have passed; after the last request of -c it waits twice the
 * longest round trip (at least a second) for stragglers, or -W when nothing came back. -W
 * defaults to FreeBSD's 10000 ms; a reply later than an explicit -W is counted, not printed.
 * Status 0 when any reply came, 2 when none, 68 for a host it cannot resolve (no resolver:
 * dotted quads and localhost only), 64 for bad usage, 77 for options only root may use.
 */
import { AF_INET, IPPROTO_ICMP, SOCK_RAW, type Program, type Sys } from '../../kernel/abi.js';
import { parseArgs } from '../fileutils/getopt.js';
import { errnoOf, errorText, print, printErr } from '../lib.js';
import { ICMP_ECHOREPLY, TIMEVAL_LEN, echoRequest, parseIcmp } from './icmp.js';
import { resolveHost } from './inet.js';
import { PingStats, replyLine, summary } from './ping-stats.js';

const USAGE = 'ping [-nq] [-c count] [-i wait] [-s packetsize] [-t timeout] [-W waittime] host';

const EX_USAGE = 64;
const EX_NOHOST = 68;
const EX_OSERR = 71;
const EX_NOPERM = 77;

const DEFDATALEN = 56;
/** IP_MAXPACKET less the IPv4 and ICMP headers. */
const MAXPAYLOAD = 65535 - 20 - 8;
/** FreeBSD's MAXWAIT: ms to wait for a reply when -W is not given. */
const MAXWAIT = 10000;

interface Settings {
  readonly count: number;
  readonly interval: number;
  readonly datalen: number;
  readonly waittime: number;
  /** -W was given: late replies are not printed. */
  readonly waitGiven: boolean;
  /** -t: stop after this many ticks; undefined for none. */
  readonly timeout: number | undefined;
  readonly quiet: boolean;
}

/** A usage error as errx(EX_USAGE) reports it, or a privilege refusal as err(EX_NOPERM). */
class Refusal {
  constructor(
    readonly message: string,
    readonly status: number,
  ) {}
}

export const ping: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'ping', argv, 'c:i:nqs:t:W:', USAGE);
  if (opts === undefined) return EX_USAGE;
  if (opts.operands.length !== 1) {
    await printErr(sys, `usage: ${USAGE}\n`);
    return EX_USAGE;
  }
  const settings = await settingsOf(sys, opts.list);
  if (settings instanceof Refusal) {
    await printErr(sys, `ping: ${settings.message}\n`);
    return settings.status;
  }
  const host = opts.operands[0]!;
  const address = resolveHost(host);
  if (address === undefined) {
    await printErr(sys, `ping: cannot resolve ${host}: Unknown host\n`);
    return EX_NOHOST;
  }
  let fd: number;
  try {
    fd = await sys.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    await printErr(sys, `ping: socket: ${errorText(err)}\n`);
    return EX_OSERR;
  }
  await print(sys, `PING ${host} (${address}): ${settings.datalen} data bytes\n`);
  const stats = await run(sys, fd, address, settings);
  await print(sys, summary(host, stats, settings.datalen >= TIMEVAL_LEN));
  return stats.received > 0 ? 0 : 2;
};

/** The options, checked as ping.c checks them. */
async function settingsOf(sys: Sys, list: readonly { flag: string; arg?: string }[]): Promise<Settings | Refusal> {
  const root = (await sys.getuid()) === 0;
  let count = 0;
  let interval = 1000;
  let datalen = DEFDATALEN;
  let waittime = MAXWAIT;
  let waitGiven = false;
  let timeout: number | undefined;
  let quiet = false;
  for (const { flag, arg = '' } of list) {
    if (flag === 'c') {
      if (!/^\d+$/.test(arg) || Number(arg) === 0) return new Refusal(`invalid count of packets to transmit: \`${arg}'`, EX_USAGE);
      count = Number(arg);
    } else if (flag === 'i') {
      const seconds = Number(arg);
      if (arg === '' || !Number.isFinite(seconds) || seconds < 0) return new Refusal(`invalid timing interval: \`${arg}'`, EX_USAGE);
      interval = Math.round(seconds * 1000);
      if (!root && interval < 1000) return new Refusal('-i interval too short: Operation not permitted', EX_NOPERM);
    } else if (flag === 's') {
      if (!/^\d+$/.test(arg)) return new Refusal(`invalid packet size: \`${arg}'`, EX_USAGE);
      datalen = Number(arg);
      if (!root && datalen > DEFDATALEN) return new Refusal(`packet size too large: ${datalen} > ${DEFDATALEN}: Operation not permitted`, EX_NOPERM);
      if (datalen > MAXPAYLOAD) return new Refusal(`packet size too large: ${datalen} > ${MAXPAYLOAD}`, EX_USAGE);
    } else if (flag === 'W') {
      const ms = Number(arg);
      if (arg === '' || !Number.isFinite(ms) || ms < 0) return new Refusal(`invalid timing interval: \`${arg}'`, EX_USAGE);
      waittime = Math.round(ms);
      waitGiven = true;
    } else if (flag === 't') {
      if (!/^\d+$/.test(arg) || Number(arg) < 1) return new Refusal(`invalid timeout: \`${arg}'`, EX_USAGE);
      timeout = Number(arg) * 1000;
    } else if (flag === 'q') {
      quiet = true;
    }
  }
  return { count, interval, datalen, waittime, waitGiven, timeout, quiet };
}

/** ping.c's main loop: send on each interval, read replies in between, stop at -c, -t or the last wait. */
async function run(sys: Sys, fd: number, address: string, settings: Settings): Promise<PingStats> {
  const stats = new PingStats();
  const ident = (await sys.getpid()) & 0xffff;
  const start = await sys.time();
  const stopAt = settings.timeout === undefined ? Infinity : start + settings.timeout;
  /** Sends the next request; returns its send time, from which the next interval counts. */
  const send = async (): Promise<number> => {
    const sentAt = await sys.time();
    const request = echoRequest(ident, stats.transmitted, settings.datalen, sentAt);
    try {
      await sys.sendto(fd, request, { address, port: 0 });
    } catch (err) {
      if (errnoOf(err) === undefined) throw err;
      await printErr(sys, `ping: sendto: ${errorText(err)}\n`);
    }
    stats.transmitted++;
    return sentAt;
  };
  let until = (await send()) + settings.interval;
  let almostDone = false;
  for (;;) {
    const now = await sys.time();
    if (now >= stopAt) break;
    const wait = Math.min(until, stopAt) - now;
    if (wait > 0) {
      await sys.setsockopt(fd, 'SO_RCVTIMEO', wait);
      const got = await receive(sys, fd);
      if (got !== undefined) {
        await handle(sys, got, ident, stats, settings);
        if (settings.count > 0 && stats.received >= settings.count) break;
        continue;
      }
      if (stopAt <= until) break; // the wait that ran out was -t's
    }
    if (settings.count === 0 || stats.transmitted < settings.count) {
      until = (await send()) + settings.interval;
    } else {
      if (almostDone) break;
      almostDone = true;
      const linger = stats.received > 0 ? Math.max(1, Math.floor((2 * stats.tmax) / 1000)) * 1000 : settings.waittime;
      until = Math.max(now, until) + linger;
    }
  }
  await sys.close(fd);
  return stats;
}

/** The next packet, or undefined when SO_RCVTIMEO passed first. */
async function receive(sys: Sys, fd: number): Promise<{ data: Uint8Array; from: string } | undefined> {
  try {
    const { data, from } = await sys.recvfrom(fd);
    return { data, from: 'address' in from ? from.address : '?' };
  } catch (err) {
    if (errnoOf(err) === 'EAGAIN') return undefined;
    throw err;
  }
}

/** pr_pack: an echo reply to us is counted and printed; anything else is someone else's. */
async function handle(sys: Sys, got: { data: Uint8Array; from: string }, ident: number, stats: PingStats, settings: Settings): Promise<void> {
  const icmp = parseIcmp(got.data);
  if (icmp === undefined || icmp.type !== ICMP_ECHOREPLY || icmp.id !== ident || !icmp.checksumOk) return;
  const now = await sys.time();
  const trip = settings.datalen >= TIMEVAL_LEN && icmp.sentAt !== undefined ? now - icmp.sentAt : undefined;
  const dup = stats.reply(icmp.seq, trip);
  if (settings.quiet) return;
  if (settings.waitGiven && trip !== undefined && trip > settings.waittime) {
    stats.outOfWaitTime++;
    return;
  }
  await print(sys, replyLine(icmp.length, got.from, icmp.seq, icmp.ttl, trip, dup));
}
