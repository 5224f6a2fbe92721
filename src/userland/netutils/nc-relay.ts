/**
 * nc's data loop (readwrite in netcat.c): standard input to the socket and the socket to
 * standard output, both watched with one poll, until the peer's end of stream. Input waiting
 * for room in the send buffer is held and sent without blocking (MSG_DONTWAIT), so a peer that
 * writes while we write never deadlocks us. State: the loop's own, for one connection.
 *
 * Choices where OpenBSD's nc and a script without ^C disagree: end of standard input always
 * shuts the TCP connection down for writing (as -N asks; OpenBSD's default leaves it open and
 * waits for the peer, which leaves `echo x | nc host port` hanging forever). A UDP client
 * without -w stops at end of input, since a UDP "connection" never ends; a UDP listener runs
 * until -w seconds pass idle. `-w` is the idle timeout, in seconds of virtual time.
 */
import { MSG_DONTWAIT, POLLERR, POLLHUP, POLLIN, POLLOUT, SHUT_WR, type InetAddress, type Sys } from '../../kernel/abi.js';
import { errnoOf } from '../lib.js';

const STDIN = 0;
const STDOUT = 1;
const READY = POLLIN | POLLHUP | POLLERR;
/** What sendSome returns when the peer can take nothing more (ECONNRESET; EPIPE also kills us with SIGPIPE). */
const GONE = Symbol('gone');

export interface RelayOptions {
  readonly udp: boolean;
  readonly listening: boolean;
  /** -d: never read standard input. */
  readonly noStdin: boolean;
  /** -w in ticks; undefined: no idle timeout. */
  readonly idle: number | undefined;
  /**
   * A UDP listener's peer: the first sender, unless already known. `keep` (-k) prints
   * datagrams from anyone; otherwise only the peer's are taken, as a connected socket would.
   */
  peer?: InetAddress;
  readonly keep?: boolean;
  /** Called once when a UDP listener learns its peer (for -v). */
  readonly onPeer?: (peer: InetAddress) => Promise<void>;
}

/**
 * Relays until both directions are done: standard input at its end (and what it gave sent) and
 * the socket at its end. A listener stops once the socket has ended and nothing waits to be
 * sent, as netcat's does; so does anyone whose peer can no longer take data. Resolves when done.
 */
export async function relay(sys: Sys, fd: number, options: RelayOptions): Promise<void> {
  let stdinOpen = !options.noStdin;
  let netIn = true;
  let pending: Uint8Array | null = null;
  if (!stdinOpen && !(await endOfInput(sys, fd, options))) return;
  for (;;) {
    if (!netIn && pending === null && (!stdinOpen || options.listening)) return;
    // A socket that has ended is watched only while data waits for it, or poll would keep
    // reporting its hangup.
    const netEvents = (netIn ? POLLIN : 0) | (pending !== null ? POLLOUT : 0);
    const watch = [
      { fd: stdinOpen && pending === null ? STDIN : -1, events: POLLIN },
      { fd: netEvents !== 0 ? fd : -1, events: netEvents },
    ];
    const [inReady = 0, netReady = 0] = await sys.poll(watch, options.idle ?? -1);
    if (inReady === 0 && netReady === 0) return; // idle past -w
    if (pending !== null && netReady & (POLLOUT | POLLHUP | POLLERR)) {
      const left = await sendSome(sys, fd, pending);
      if (left === GONE) {
        pending = null;
        stdinOpen = false; // nowhere to send the rest
      } else pending = left;
    }
    if (netIn && netReady & READY) netIn = await fromNet(sys, fd, options);
    if (inReady & READY) {
      const data = await sys.read(STDIN, 65536);
      if (data.length === 0) {
        stdinOpen = false;
        if (!(await endOfInput(sys, fd, options))) return;
      } else if (options.udp) await sendDatagram(sys, fd, data, options);
      else {
        const left = await sendSome(sys, fd, data);
        if (left === GONE) stdinOpen = false;
        else pending = left;
      }
    }
  }
}

/** End of standard input: TCP half-closes; a UDP client without -w is done (false). */
async function endOfInput(sys: Sys, fd: number, options: RelayOptions): Promise<boolean> {
  if (options.udp) return options.listening || options.idle !== undefined;
  try {
    await sys.shutdown(fd, SHUT_WR);
  } catch (err) {
    if (errnoOf(err) === undefined) throw err; // a connection reset already: nothing to shut
  }
  return true;
}

/** Sends what the buffer takes now; returns what is left (null when all went), or GONE. */
async function sendSome(sys: Sys, fd: number, data: Uint8Array): Promise<Uint8Array | null | typeof GONE> {
  try {
    const n = await sys.send(fd, data, MSG_DONTWAIT);
    return n >= data.length ? null : data.subarray(n);
  } catch (err) {
    const code = errnoOf(err);
    if (code === 'EAGAIN') return data;
    if (code === undefined) throw err;
    return GONE;
  }
}

async function sendDatagram(sys: Sys, fd: number, data: Uint8Array, options: RelayOptions): Promise<void> {
  try {
    if (options.listening) {
      if (options.peer !== undefined) await sys.sendto(fd, data, options.peer);
    } else await sys.send(fd, data);
  } catch (err) {
    if (errnoOf(err) === undefined) throw err; // ECONNREFUSED from an earlier datagram: UDP goes on
  }
}

/** Takes what the socket has; false at the end of the stream (or a failed read, as readwrite returns). */
async function fromNet(sys: Sys, fd: number, options: RelayOptions): Promise<boolean> {
  try {
    if (!options.udp) {
      const data = await sys.recv(fd, 65536);
      if (data.length === 0) return false;
      await sys.write(STDOUT, data);
      return true;
    }
    const { data, from } = await sys.recvfrom(fd, 65536);
    if (!options.listening || !('address' in from)) {
      await sys.write(STDOUT, data);
      return true;
    }
    if (options.peer === undefined) {
      options.peer = from;
      await options.onPeer?.(from);
    } else if (!options.keep && (from.address !== options.peer.address || from.port !== options.peer.port)) return true;
    await sys.write(STDOUT, data);
    return true;
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    return false; // ECONNRESET, or a UDP peer's port unreachable (ECONNREFUSED): readwrite returns
  }
}
