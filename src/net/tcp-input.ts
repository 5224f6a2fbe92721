/**
 * TCP's receiving half: a segment arrives at a stack. It goes to its connection (by local and
 * remote endpoint), or to a listener (a SYN opens a connection in SYN_RCVD), or is answered
 * with a reset (a closed port: the sender's connect fails with ECONNREFUSED). Within a
 * connection: the handshake, acknowledgements, in-order data into the receive buffer (out of
 * order segments are dropped and re-acknowledged: the sender goes back N), and the FIN.
 */
import { O_NONBLOCK } from '../kernel/abi.js';
import type { IpPacket, TcpSegment } from './packet.js';
import { IPPROTO_TCP, TH_ACK, TH_FIN, TH_RST, TH_SYN, seqAdd, seqDiff, seqLe, seqLt } from './packet.js';
import { endpointKey } from './ports.js';
import type { NetStack } from './stack.js';
import { DEFAULT_MSS, EMPTY, TCP_MSS, TIME_WAIT_TICKS, TcpSocket, output, sampleRtt } from './tcp.js';

export function tcpInput(stack: NetStack, packet: IpPacket, seg: TcpSegment, at: number): void {
  const conn = stack.connections.get(endpointKey(packet.dst, seg.dport))?.get(endpointKey(packet.src, seg.sport));
  if (conn !== undefined) {
    arrives(conn, seg, at);
    return;
  }
  if (seg.flags & TH_RST) return;
  const listener = stack.tcp.lookup(packet.dst, seg.dport);
  if (listener !== undefined && listener.state === 'LISTEN' && (seg.flags & (TH_SYN | TH_ACK)) === TH_SYN) {
    passiveOpen(listener, packet, seg, at);
    return;
  }
  reset(stack, packet, seg, at);
}

/** Answers a segment for no connection with RST (RFC 793 "reset generation"). */
function reset(stack: NetStack, packet: IpPacket, seg: TcpSegment, at: number): void {
  const length = seg.data.length + (seg.flags & TH_SYN ? 1 : 0) + (seg.flags & TH_FIN ? 1 : 0);
  const reply: TcpSegment =
    seg.flags & TH_ACK
      ? { proto: IPPROTO_TCP, sport: seg.dport, dport: seg.sport, seq: seg.ack, ack: 0, flags: TH_RST, window: 0, data: EMPTY }
      : { proto: IPPROTO_TCP, sport: seg.dport, dport: seg.sport, seq: 0, ack: seqAdd(seg.seq, length), flags: TH_RST | TH_ACK, window: 0, data: EMPTY };
  stack.output(stack.packet(packet.dst, packet.src, reply), at);
}

/** A SYN reached a listener: a new connection in SYN_RCVD, unless the backlog is full (the SYN is dropped). */
function passiveOpen(listener: TcpSocket, packet: IpPacket, seg: TcpSegment, at: number): void {
  if (listener.embryos + listener.acceptQueue.length >= listener.backlog) return;
  const stack = listener.stack;
  const child = new TcpSocket(listener.flags & ~O_NONBLOCK, listener.view);
  child.rcvBufMax = listener.rcvBufMax;
  child.sndBufMax = listener.sndBufMax;
  child.localAddr = packet.dst;
  child.localPort = seg.dport;
  child.remoteAddr = packet.src;
  child.remotePort = seg.sport;
  child.listener = listener;
  listener.embryos++;
  stack.tcp.use(seg.dport);
  child.register();
  child.irs = seg.seq;
  child.rcvNxt = seqAdd(seg.seq, 1);
  child.iss = stack.net.kernel.random();
  child.sndUna = child.iss;
  child.sndNxt = seqAdd(child.iss, 1);
  child.sndWnd = seg.window;
  child.mss = Math.min(TCP_MSS, seg.mss ?? DEFAULT_MSS);
  child.state = 'SYN_RCVD';
  child.sendSegment(TH_SYN | TH_ACK, child.iss, EMPTY, at, TCP_MSS);
  child.arm('rexmit', at + child.rto);
}

/** A segment for an existing connection. */
function arrives(s: TcpSocket, seg: TcpSegment, at: number): void {
  const flags = seg.flags;
  if (s.state === 'SYN_SENT') {
    synSent(s, seg, at);
    return;
  }
  if (flags & TH_RST) {
    if (s.state === 'SYN_RCVD') s.drop(null, at);
    else if (seqLe(s.rcvNxt, seg.seq) && seqLt(seg.seq, seqAdd(s.rcvNxt, Math.max(1, s.window())))) {
      s.drop(s.state === 'ESTABLISHED' || s.state === 'FIN_WAIT_1' || s.state === 'FIN_WAIT_2' || s.state === 'CLOSE_WAIT' ? 'ECONNRESET' : null, at);
    }
    return;
  }
  if (flags & TH_SYN) {
    // A retransmitted SYN (our SYN-ACK was lost) or SYN-ACK (our ACK was lost): answer again.
    if (s.state === 'SYN_RCVD') s.sendSegment(TH_SYN | TH_ACK, s.iss, EMPTY, at, TCP_MSS);
    else s.ack(at);
    return;
  }
  if (!(flags & TH_ACK)) return;
  if (s.state === 'SYN_RCVD') {
    if (seg.ack !== s.sndNxt) {
      s.sendSegment(TH_RST, seg.ack, EMPTY, at);
      return;
    }
    established(s, at);
    if (closed(s)) return;
  }
  acknowledge(s, seg, at);
  if (closed(s)) return;
  receive(s, seg, at);
  if (!closed(s)) output(s, at);
}

/** Our SYN is out: a SYN-ACK completes the handshake, a RST refuses it. */
function synSent(s: TcpSocket, seg: TcpSegment, at: number): void {
  const flags = seg.flags;
  const ackOk = (flags & TH_ACK) !== 0 && seg.ack === s.sndNxt;
  if (flags & TH_RST) {
    if (ackOk) s.drop('ECONNREFUSED', at);
    return;
  }
  if ((flags & TH_ACK) !== 0 && !ackOk) {
    s.sendSegment(TH_RST, seg.ack, EMPTY, at);
    return;
  }
  if (!(flags & TH_SYN) || !ackOk) return; // simultaneous open is not modelled
  s.irs = seg.seq;
  s.rcvNxt = seqAdd(seg.seq, 1);
  s.sndUna = seg.ack;
  s.sndWnd = seg.window;
  s.mss = Math.min(TCP_MSS, seg.mss ?? DEFAULT_MSS);
  s.state = 'ESTABLISHED';
  s.retries = 0;
  s.disarm();
  s.ack(at);
  s.stack.net.kernel.wakeAll(s.sndWait);
}

/** The handshake of a passively opened connection is done: it waits in its listener's queue. */
function established(s: TcpSocket, at: number): void {
  s.state = 'ESTABLISHED';
  s.sndUna = s.sndNxt; // our SYN is acknowledged
  s.retries = 0;
  s.disarm();
  const listener = s.listener;
  if (listener === null || listener.state !== 'LISTEN') {
    s.abort(at);
    return;
  }
  listener.embryos--;
  listener.acceptQueue.push(s);
  s.stack.net.kernel.wakeAll(listener.rcvWait);
}

/** Processes the acknowledgement and window of a segment. */
function acknowledge(s: TcpSocket, seg: TcpSegment, at: number): void {
  const ack = seg.ack;
  const sendMax = seqAdd(s.sndUna, s.snd.size + (s.finWanted ? 1 : 0));
  if (seqLt(s.sndUna, ack) && seqLe(ack, sendMax)) {
    const acked = seqDiff(ack, s.sndUna);
    const data = Math.min(acked, s.snd.size);
    s.snd.drop(data);
    if (acked > data) s.finAcked = true;
    if (s.timedSeq >= 0 && seqLt(s.timedSeq, ack)) {
      sampleRtt(s, at - s.timedAt);
      s.timedSeq = -1;
    }
    s.sndUna = ack;
    if (seqLt(s.sndNxt, ack)) s.sndNxt = ack;
    s.retries = 0;
    s.probes = 0;
    if (s.timerKind === 'rexmit') s.disarm();
    s.stack.net.kernel.wakeAll(s.sndWait);
  }
  if (seqLe(s.sndUna, ack)) {
    if (s.sndWnd === 0 && seg.window > 0) s.probes = 0;
    s.sndWnd = seg.window;
  }
  if (!s.finAcked) return;
  switch (s.state) {
    case 'FIN_WAIT_1':
      s.state = 'FIN_WAIT_2';
      if (s.orphan) s.arm('linger', at + TIME_WAIT_TICKS);
      break;
    case 'CLOSING':
      timeWait(s, at);
      break;
    case 'LAST_ACK':
      s.finish();
      break;
  }
}

/** Takes in-order data and the FIN; anything else is dropped and re-acknowledged. */
function receive(s: TcpSocket, seg: TcpSegment, at: number): void {
  let data = seg.data;
  let seq = seg.seq;
  const fin = (seg.flags & TH_FIN) !== 0;
  if (data.length === 0 && !fin) return;
  const receiving = s.state === 'ESTABLISHED' || s.state === 'FIN_WAIT_1' || s.state === 'FIN_WAIT_2';
  // Trim what was already received (a go-back-N retransmission overlapping our buffer).
  if (seqLt(seq, s.rcvNxt)) {
    const skip = Math.min(data.length, seqDiff(s.rcvNxt, seq));
    data = data.subarray(skip);
    seq = seqAdd(seq, skip);
  }
  if (seq !== s.rcvNxt || !receiving) {
    s.ack(at); // out of order, a duplicate, or after our side stopped receiving
    return;
  }
  let took = 0;
  if (data.length > 0) {
    took = s.rcvShut ? data.length : Math.min(data.length, s.window());
    if (took > 0 && !s.rcvShut) s.rcv.push(data.slice(0, took));
    s.rcvNxt = seqAdd(s.rcvNxt, took);
    if (took > 0) s.stack.net.kernel.wakeAll(s.rcvWait);
  }
  if (fin && took === data.length) {
    s.rcvNxt = seqAdd(s.rcvNxt, 1);
    s.finReceived = true;
    s.stack.net.kernel.wakeAll(s.rcvWait);
    if (s.state === 'ESTABLISHED') s.state = 'CLOSE_WAIT';
    else if (s.state === 'FIN_WAIT_1') s.state = 'CLOSING';
    else if (s.state === 'FIN_WAIT_2') {
      s.ack(at);
      timeWait(s, at);
      return;
    }
  }
  s.ack(at);
}

/** Has the connection ended (a check after calls that may end it)? */
function closed(s: TcpSocket): boolean {
  return s.state === 'CLOSED';
}

function timeWait(s: TcpSocket, at: number): void {
  s.state = 'TIME_WAIT';
  s.arm('linger', at + TIME_WAIT_TICKS);
}
