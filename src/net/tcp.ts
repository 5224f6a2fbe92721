/**
 * TCP sockets: the calls programs make (bind, listen, accept, connect, send, recv, shutdown,
 * close) and the sending half of the protocol (tcp-input.ts has the receiving half). A
 * connection is a reliable, in-order byte stream: a three-way handshake with seeded initial
 * sequence numbers; data in segments of at most the peer's MSS, within the peer's advertised
 * window (no congestion control); cumulative acknowledgements; go-back-N retransmission on a
 * timeout estimated from measured round trips (RFC 6298, Karn's rule), backing off to failure
 * (ETIMEDOUT); zero-window probes; FIN teardown through the RFC 793 states, TIME_WAIT included
 * (TIME_WAIT_TICKS). Send buffers are bounded (SO_SNDBUF): a writer blocks while its buffer
 * is full, so a slow reader slows the writer. Bytes in a send buffer are memory of the writer's
 * cell until the peer acknowledges them. Owned by the net subsystem.
 */
import { MSG_DONTWAIT, MSG_NOSIGNAL, MSG_PEEK, O_NONBLOCK, POLLERR, POLLHUP, POLLIN, POLLOUT, SHUT_RD, SHUT_WR, SOCK_STREAM, type InetAddress, type SockAddr, type SocketInfo } from '../kernel/abi.js';
import { fail, type Errno } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import { cancelEvent, type KernelEvent } from '../kernel/sched.js';
import { WaitQueue } from '../kernel/waitqueue.js';
import { claimAdmitted, rearm } from '../proc/memory.js';
import type { Process } from '../proc/process.js';
import type { IoResult } from '../vfs/file.js';
import { ByteQueue } from './byte-queue.js';
import { INADDR_ANY, INADDR_LOOPBACK } from './ipv4.js';
import { IPPROTO_TCP, TH_ACK, TH_FIN, TH_PUSH, TH_RST, TH_SYN, seqAdd, seqDiff, type TcpSegment } from './packet.js';
import { endpointKey, type Bindable } from './ports.js';
import { Socket } from './socket.js';
import { inetAddress, inetOf, checkPort } from './sockaddr.js';
import type { NetStack } from './stack.js';
import type { NetView } from './view.js';

export type TcpState =
  | 'CLOSED' | 'LISTEN' | 'SYN_SENT' | 'SYN_RCVD' | 'ESTABLISHED' | 'FIN_WAIT_1' | 'FIN_WAIT_2'
  | 'CLOSE_WAIT' | 'CLOSING' | 'LAST_ACK' | 'TIME_WAIT';

/** Ethernet MTU less the IPv4 and TCP headers; 536 when the peer announces none (RFC 879). */
export const TCP_MSS = 1460;
export const DEFAULT_MSS = 536;
/** Retransmission timeout bounds and first value, in ticks (RFC 6298 asks 1 s; this clock is fast). */
export const RTO_MIN = 20;
export const RTO_INITIAL = 100;
export const RTO_MAX = 8000;
/** Retransmissions before a connection is given up (FreeBSD TCP_MAXRXTSHIFT), SYNs before connect fails. */
export const MAX_RETRIES = 12;
export const SYN_RETRIES = 6;
/** How long TIME_WAIT (2×MSL) and an orphaned FIN_WAIT_2 last, in ticks. */
export const TIME_WAIT_TICKS = 1000;
/** Zero-window probes sent before the sender stops probing and waits for a window update. */
export const MAX_PROBES = 12;
/** The largest window a TCP header can carry without window scaling. */
const MAX_WINDOW = 65535;

/** A connection's timer (retransmission, persist, TIME_WAIT): one per socket, re-armed. */
class TcpTimer implements KernelEvent {
  due = -1;
  constructor(readonly socket: TcpSocket) {}
  fire(at: number): void {
    timeout(this.socket, at);
  }
}

export class TcpSocket extends Socket implements Bindable {
  readonly proto = 'tcp4';
  state: TcpState = 'CLOSED';
  localAddr = INADDR_ANY;
  localPort = 0;
  remoteAddr = 0;
  remotePort = 0;
  /** Holds a binding in the stack's port table (bind, listen), at bindAddr:localPort. */
  bound = false;
  bindAddr = INADDR_ANY;
  filter: ReadonlySet<number> | null = null;
  /** Registered in the stack's connection table. */
  connected = false;

  // listening
  backlog = 0;
  readonly acceptQueue: TcpSocket[] = [];
  /** Connections in SYN_RCVD for this listener. */
  embryos = 0;
  /** The listener a passively opened connection came from, until it is accepted. */
  listener: TcpSocket | null = null;

  // sending
  readonly snd = new ByteQueue();
  iss = 0;
  sndUna = 0;
  sndNxt = 0;
  sndWnd = 0;
  mss = DEFAULT_MSS;
  /** A FIN is to follow the data (shutdown for writing, or close). */
  finWanted = false;
  finAcked = false;

  // receiving
  readonly rcv = new ByteQueue();
  irs = 0;
  rcvNxt = 0;
  finReceived = false;
  rcvShut = false;
  /** The window last advertised (a reader opening it from below an MSS sends an update). */
  advertised = 0;

  // timers
  readonly timer = new TcpTimer(this);
  timerKind: 'rexmit' | 'persist' | 'linger' | null = null;
  retries = 0;
  probes = 0;
  rto = RTO_INITIAL;
  srtt = 0;
  rttvar = 0;
  /** The segment being timed for a round-trip sample (Karn: never a retransmitted one). */
  timedSeq = -1;
  timedAt = 0;
  /** Closed by every descriptor; the protocol goes on until the connection is done. */
  orphan = false;

  readonly rcvWait = new WaitQueue('tcp recv');
  readonly sndWait = new WaitQueue('tcp send');

  constructor(
    flags: number,
    readonly view: NetView,
  ) {
    super(flags, SOCK_STREAM);
    view.stack.sockets.add(this);
  }

  get stack(): NetStack {
    return this.view.stack;
  }

  /** The receive window to advertise: free receive buffer space. */
  window(): number {
    return Math.max(0, Math.min(MAX_WINDOW, this.rcvBufMax - this.rcv.size));
  }

  get synchronized(): boolean {
    return this.state !== 'CLOSED' && this.state !== 'LISTEN' && this.state !== 'SYN_SENT' && this.state !== 'SYN_RCVD';
  }

  // ---- calls ------------------------------------------------------------------------------

  override bind(_k: Kernel, p: Process, address: SockAddr): void {
    if (this.bound || this.state !== 'CLOSED') throw fail('EINVAL');
    const { addr, port } = inetOf(address);
    const local = this.view.bindAddress(addr);
    const lport = port === 0 ? this.stack.tcp.ephemeral() : checkPort(p, port);
    this.bindTo(local, lport);
  }

  /** Takes the binding local:port in the port table. */
  bindTo(local: number, port: number): void {
    this.filter = local === INADDR_ANY ? this.view.allowed : null;
    this.stack.tcp.bind(this, local, port);
    this.bound = true;
    this.bindAddr = local;
    this.localAddr = local;
    this.localPort = port;
  }

  override listen(_k: Kernel, _p: Process, backlog: number): void {
    if (this.state === 'LISTEN') {
      this.backlog = backlog;
      return;
    }
    if (this.state !== 'CLOSED') throw fail('EINVAL');
    if (!this.bound) this.bindTo(this.view.bindAddress(INADDR_ANY), this.stack.tcp.ephemeral());
    this.backlog = backlog;
    this.state = 'LISTEN';
  }

  override accept(k: Kernel, p: Process): IoResult<Socket> {
    if (this.state !== 'LISTEN') throw fail('EINVAL');
    const child = this.acceptQueue.shift();
    if (child === undefined) return this.wait(k, p, this.rcvWait, this.rcvTimeo, false);
    child.listener = null;
    return child;
  }

  /**
   * Connects, blocking until the handshake is done. The call that sends the SYN marks itself
   * (p.progress = 1) so that its retries, woken by the outcome, report that outcome.
   */
  override connect(k: Kernel, p: Process, address: SockAddr): IoResult<void> {
    const nonblocking = (this.flags & O_NONBLOCK) !== 0;
    const ours = p.progress === 1;
    if (this.state === 'SYN_SENT') {
      if (!ours && nonblocking) throw fail('EALREADY');
      return this.wait(k, p, this.sndWait, this.sndTimeo, false);
    }
    if (this.state === 'LISTEN') throw fail('EOPNOTSUPP');
    if (this.state !== 'CLOSED') {
      if (ours) return undefined;
      throw fail('EISCONN');
    }
    if (ours) {
      this.raisePending();
      throw fail('ECONNREFUSED');
    }
    const { addr, port } = inetOf(address);
    if (port === 0) throw fail('ECONNREFUSED');
    const remote = this.view.translate(addr === INADDR_ANY ? INADDR_LOOPBACK : addr);
    const local = this.bound && this.bindAddr !== INADDR_ANY ? this.bindAddr : this.view.source(remote);
    const stack = this.stack;
    if (!this.bound) {
      this.localPort = stack.tcp.ephemeral();
      stack.tcp.use(this.localPort);
    }
    if (stack.connections.get(endpointKey(local, this.localPort))?.has(endpointKey(remote, port))) throw fail('EADDRINUSE');
    this.localAddr = local;
    this.remoteAddr = remote;
    this.remotePort = port;
    this.error = null;
    this.register();
    this.iss = stack.net.kernel.random();
    this.sndUna = this.iss;
    this.sndNxt = seqAdd(this.iss, 1);
    this.state = 'SYN_SENT';
    this.mss = DEFAULT_MSS;
    this.retries = 0;
    p.progress = 1;
    const error = this.sendSegment(TH_SYN, this.iss, EMPTY, k.now, TCP_MSS);
    if (error !== null) {
      this.drop(error, k.now);
      this.raisePending();
    }
    this.arm('rexmit', k.now + this.rto);
    if (nonblocking) throw fail('EINPROGRESS');
    return this.wait(k, p, this.sndWait, this.sndTimeo, false);
  }

  override read(k: Kernel, p: Process, length: number): IoResult<Uint8Array> {
    return this.recv(k, p, length, 0);
  }

  override recv(k: Kernel, p: Process, length: number, flags: number): IoResult<Uint8Array> {
    if (this.rcv.size > 0 && length > 0) {
      if (flags & MSG_PEEK) return this.rcv.peek(0, length);
      const data = this.rcv.take(length);
      this.windowOpened(k.now);
      return data;
    }
    if (this.error !== null) this.raisePending();
    if (this.finReceived || this.rcvShut || length === 0) return EMPTY;
    if (this.state === 'CLOSED' || this.state === 'LISTEN') {
      if (this.orphan || this.remotePort !== 0) return EMPTY; // reset or closed after use
      throw fail('ENOTCONN');
    }
    return this.wait(k, p, this.rcvWait, this.rcvTimeo, (flags & MSG_DONTWAIT) !== 0);
  }

  override write(k: Kernel, p: Process, data: Uint8Array): IoResult<number> {
    return this.send(k, p, data, 0);
  }

  /** Writes all of `data`, blocking while the send buffer is full; p.progress counts bytes queued. */
  override send(k: Kernel, p: Process, data: Uint8Array, flags: number): IoResult<number> {
    for (;;) {
      if (this.error !== null) this.raisePending();
      if (this.state === 'SYN_SENT' || this.state === 'SYN_RCVD') {
        rearm(p);
        return this.wait(k, p, this.sndWait, this.sndTimeo, (flags & MSG_DONTWAIT) !== 0);
      }
      if (this.finWanted || (this.state !== 'ESTABLISHED' && this.state !== 'CLOSE_WAIT')) {
        if (this.state === 'LISTEN' || (this.state === 'CLOSED' && this.remotePort === 0)) throw fail('ENOTCONN');
        if (!(flags & MSG_NOSIGNAL)) k.signalProcess(p, 'SIGPIPE');
        throw fail('EPIPE');
      }
      if (p.progress >= data.length) return data.length;
      const n = this.buffering(data.length - p.progress);
      if (n === 0) {
        rearm(p);
        if (p.progress > 0 && (flags & MSG_DONTWAIT) !== 0) return p.progress;
        return this.wait(k, p, this.sndWait, this.sndTimeo, (flags & MSG_DONTWAIT) !== 0);
      }
      this.snd.push(data.slice(p.progress, p.progress + n), claimAdmitted(p, 'memory', n));
      p.progress += n;
      output(this, k.now);
    }
  }

  override buffering(length: number): number {
    if (!(this.state === 'ESTABLISHED' || this.state === 'CLOSE_WAIT') || this.finWanted) return 0;
    return Math.max(0, Math.min(length, this.sndBufMax - this.snd.size));
  }

  override shutdown(k: Kernel, _p: Process, how: number): void {
    if (!this.synchronized && this.state !== 'SYN_SENT') throw fail('ENOTCONN');
    if (how !== SHUT_WR) {
      this.rcvShut = true;
      this.rcv.clear();
      k.wakeAll(this.rcvWait);
    }
    if (how !== SHUT_RD) this.closeSending(k.now);
  }

  override sockname(): SockAddr {
    return inetAddress(this.view.show(this.localAddr), this.localPort);
  }

  override peername(): SockAddr {
    if (this.remotePort === 0 || !this.synchronized) throw fail('ENOTCONN');
    return inetAddress(this.view.show(this.remoteAddr), this.remotePort);
  }

  override acceptedPeer(): InetAddress {
    return inetAddress(this.view.show(this.remoteAddr), this.remotePort);
  }

  override info(p: Process): SocketInfo | null {
    const view = p.ns.net;
    if (view === null || view.stack !== this.stack) return null;
    const local = this.state === 'LISTEN' || this.bound ? this.bindAddr : this.localAddr;
    if (!view.seesBinding(local, this.filter)) return null;
    return {
      proto: this.proto,
      local: inetAddress(view.show(local === INADDR_ANY && this.connected ? this.localAddr : local), this.localPort),
      remote: this.connected ? inetAddress(view.show(this.remoteAddr), this.remotePort) : null,
      state: this.state,
      recvQ: this.rcv.size,
      sendQ: this.snd.size,
    };
  }

  override poll(): number {
    if (this.state === 'LISTEN') return this.acceptQueue.length > 0 ? POLLIN : 0;
    let events = 0;
    if (this.rcv.size > 0 || this.finReceived || this.rcvShut) events |= POLLIN;
    if (this.buffering(1) > 0) events |= POLLOUT;
    if (this.error !== null) events |= POLLERR;
    if (this.state === 'CLOSED' && this.remotePort !== 0) events |= POLLHUP | POLLIN;
    return events;
  }

  override pollQueues(): readonly WaitQueue[] {
    return [this.rcvWait, this.sndWait];
  }

  override release(k: Kernel): void {
    super.release(k);
    this.orphan = true;
    const now = k.now;
    switch (this.state) {
      case 'LISTEN':
        for (const child of this.acceptQueue.splice(0)) child.abort(now);
        this.unbind();
        this.finish();
        return;
      case 'CLOSED':
        this.unbind();
        this.finish();
        return;
      case 'SYN_SENT':
        this.finish();
        return;
      default:
        if (this.rcv.size > 0 || this.rcvShut) {
          this.abort(now); // unread data: reset, as BSD does
          return;
        }
        this.unbind();
        this.closeSending(now);
        if (this.state === 'FIN_WAIT_2') this.arm('linger', now + TIME_WAIT_TICKS);
    }
  }

  // ---- protocol ---------------------------------------------------------------------------

  /** Enters the stack's connection table. */
  register(): void {
    const local = endpointKey(this.localAddr, this.localPort);
    let peers = this.stack.connections.get(local);
    if (peers === undefined) this.stack.connections.set(local, (peers = new Map()));
    peers.set(endpointKey(this.remoteAddr, this.remotePort), this);
    this.connected = true;
  }

  /** Queues a FIN after the data (shutdown for writing, close). */
  closeSending(now: number): void {
    if (this.finWanted) return;
    this.finWanted = true;
    output(this, now);
  }

  /** Sends a segment from this connection; returns the errno when it cannot leave the host. */
  sendSegment(flags: number, seq: number, data: Uint8Array, now: number, mss?: number): Errno | null {
    const window = this.window();
    this.advertised = window;
    const segment: TcpSegment = {
      proto: IPPROTO_TCP, sport: this.localPort, dport: this.remotePort, seq, ack: flags & TH_ACK ? this.rcvNxt : 0,
      flags, window, data, ...(mss === undefined ? {} : { mss }),
    };
    return this.stack.output(this.stack.packet(this.localAddr, this.remoteAddr, segment), now);
  }

  /** Sends a bare acknowledgement (with the current window). */
  ack(now: number): void {
    this.sendSegment(TH_ACK, this.sndNxt, EMPTY, now);
  }

  /** A reader took bytes: if the window had shrunk below a segment, tell the peer it is open. */
  windowOpened(now: number): void {
    if (!this.synchronized || this.finReceived) return;
    if (this.advertised < this.mss && this.window() >= Math.min(this.mss, this.rcvBufMax / 2)) this.ack(now);
  }

  arm(kind: 'rexmit' | 'persist' | 'linger', at: number): void {
    this.timerKind = kind;
    cancelEvent(this.timer);
    this.stack.net.kernel.addEvent(this.timer, at);
  }

  disarm(): void {
    this.timerKind = null;
    cancelEvent(this.timer);
  }

  /** Ends the connection with an error for its user (reset, timeout): no more segments. */
  drop(error: Errno | null, _now: number): void {
    if (error !== null && !this.orphan) this.error = error;
    this.state = 'CLOSED';
    this.snd.clear();
    this.finish();
  }

  /** Resets the connection (RST to the peer) and ends it. */
  abort(now: number): void {
    if (this.synchronized || this.state === 'SYN_RCVD') this.sendSegment(TH_RST | TH_ACK, this.sndNxt, EMPTY, now);
    this.drop(null, now);
  }

  /** The connection is over: leave the tables, stop the timer, wake everyone. */
  finish(): void {
    this.state = 'CLOSED';
    this.disarm();
    if (this.connected) {
      const local = endpointKey(this.localAddr, this.localPort);
      const peers = this.stack.connections.get(local);
      peers?.delete(endpointKey(this.remoteAddr, this.remotePort));
      if (peers?.size === 0) this.stack.connections.delete(local);
      this.connected = false;
      if (!this.bound) this.stack.tcp.release(this.localPort);
    }
    if (this.listener !== null) {
      const queue = this.listener.acceptQueue;
      const i = queue.indexOf(this);
      if (i >= 0) queue.splice(i, 1);
      else this.listener.embryos--;
      this.listener = null;
    }
    if (this.orphan) {
      this.unbind();
      this.rcv.clear();
      this.snd.clear();
      this.stack.sockets.delete(this);
    }
    const kernel = this.stack.net.kernel;
    kernel.wakeAll(this.rcvWait);
    kernel.wakeAll(this.sndWait);
  }

  unbind(): void {
    if (!this.bound) return;
    this.stack.tcp.unbind(this, this.bindAddr, this.localPort);
    this.bound = false;
    if (this.connected) this.stack.tcp.use(this.localPort); // the connection still holds the port
  }
}

/** The data of a segment that carries none. */
export const EMPTY = new Uint8Array(0);

/**
 * Sends what the peer's window allows: new data in segments of at most an MSS, then the FIN once
 * every byte has gone. Arms the retransmission timer for what is in flight, or the persist timer
 * when a zero window holds data back.
 */
export function output(s: TcpSocket, now: number): void {
  if (!s.synchronized || s.state === 'TIME_WAIT') return;
  for (;;) {
    const offset = seqDiff(s.sndNxt, s.sndUna);
    const size = s.snd.size;
    if (offset < size) {
      const room = s.sndWnd - offset;
      if (room <= 0) break;
      const n = Math.min(s.mss, size - offset, room);
      const last = offset + n === size;
      if (s.timedSeq < 0) {
        s.timedSeq = s.sndNxt;
        s.timedAt = now;
      }
      s.sendSegment(TH_ACK | (last ? TH_PUSH : 0), s.sndNxt, s.snd.peek(offset, n), now);
      s.sndNxt = seqAdd(s.sndNxt, n);
    } else if (s.finWanted && offset === size && (s.state === 'ESTABLISHED' || s.state === 'CLOSE_WAIT')) {
      s.sendSegment(TH_FIN | TH_ACK, s.sndNxt, EMPTY, now);
      s.sndNxt = seqAdd(s.sndNxt, 1);
      s.state = s.state === 'ESTABLISHED' ? 'FIN_WAIT_1' : 'LAST_ACK';
      break;
    } else break;
  }
  if (s.sndNxt !== s.sndUna) {
    if (s.timerKind !== 'rexmit') s.arm('rexmit', now + s.rto);
  } else if (s.snd.size > 0 && s.sndWnd === 0) {
    if (s.timerKind !== 'persist' && s.probes < MAX_PROBES) s.arm('persist', now + s.rto);
  } else if (s.timerKind === 'rexmit' || s.timerKind === 'persist') s.disarm();
}

/** The socket's timer went off. */
function timeout(s: TcpSocket, now: number): void {
  const kind = s.timerKind;
  s.timerKind = null;
  if (kind === 'linger') {
    s.finish();
    return;
  }
  if (kind === 'persist') {
    // A probe: one byte past the closed window; the peer answers with its window.
    s.probes++;
    s.sendSegment(TH_ACK, s.sndNxt, s.snd.peek(seqDiff(s.sndNxt, s.sndUna), 1), now);
    if (s.probes < MAX_PROBES) s.arm('persist', now + Math.min(RTO_MAX, s.rto * 2 ** s.probes));
    return;
  }
  if (kind !== 'rexmit') return;
  s.retries++;
  const limit = s.state === 'SYN_SENT' || s.state === 'SYN_RCVD' ? SYN_RETRIES : MAX_RETRIES;
  if (s.retries > limit) {
    if (s.state === 'SYN_RCVD') s.abort(now);
    else s.drop('ETIMEDOUT', now);
    return;
  }
  s.rto = Math.min(RTO_MAX, s.rto * 2);
  s.timedSeq = -1; // Karn: no sample from a retransmitted segment
  if (s.state === 'SYN_SENT') {
    s.sendSegment(TH_SYN, s.iss, EMPTY, now, TCP_MSS);
  } else if (s.state === 'SYN_RCVD') {
    s.sendSegment(TH_SYN | TH_ACK, s.iss, EMPTY, now, TCP_MSS);
  } else {
    // Go back N: everything from the oldest unacknowledged byte goes again.
    const finSent = seqDiff(s.sndNxt, s.sndUna) > s.snd.size;
    s.sndNxt = s.sndUna;
    if (finSent) {
      if (s.state === 'FIN_WAIT_1') s.state = 'ESTABLISHED';
      else if (s.state === 'LAST_ACK') s.state = 'CLOSE_WAIT';
      else if (s.state === 'CLOSING') {
        // Our FIN crossed theirs: resend it without leaving CLOSING.
        s.sendSegment(TH_FIN | TH_ACK, seqAdd(s.sndUna, s.snd.size), EMPTY, now);
        s.sndNxt = seqAdd(s.sndUna, s.snd.size + 1);
        s.arm('rexmit', now + s.rto);
        return;
      }
    }
    s.disarm();
    output(s, now);
    return;
  }
  s.arm('rexmit', now + s.rto);
}

/** Folds a round-trip sample into the retransmission timeout (RFC 6298). */
export function sampleRtt(s: TcpSocket, rtt: number): void {
  if (s.srtt === 0) {
    s.srtt = rtt;
    s.rttvar = rtt / 2;
  } else {
    s.rttvar = 0.75 * s.rttvar + 0.25 * Math.abs(s.srtt - rtt);
    s.srtt = 0.875 * s.srtt + 0.125 * rtt;
  }
  s.rto = Math.min(RTO_MAX, Math.max(RTO_MIN, Math.ceil(s.srtt + Math.max(1, 4 * s.rttvar))));
}

