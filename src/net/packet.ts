/**
 * What travels between stacks: IPv4 packets carrying TCP segments, UDP datagrams or ICMP
 * messages, in Ethernet frames on a switch. Kept as objects (the data path never encodes
 * headers); src/net/pcap.ts encodes them to real bytes, with checksums, when a switch is
 * captured. Values are as on the wire: ports 16 bits, sequence numbers 32 bits unsigned.
 */

import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP } from '../kernel/abi.js';

export { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP };

// TCP header flags.
export const TH_FIN = 0x01;
export const TH_SYN = 0x02;
export const TH_RST = 0x04;
export const TH_PUSH = 0x08;
export const TH_ACK = 0x10;

export interface TcpSegment {
  readonly proto: typeof IPPROTO_TCP;
  readonly sport: number;
  readonly dport: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  /** Advertised receive window, in bytes (no window scaling: at most 65535). */
  readonly window: number;
  /** Maximum segment size option, sent on SYN segments only. */
  readonly mss?: number;
  readonly data: Uint8Array;
}

export interface UdpDatagram {
  readonly proto: typeof IPPROTO_UDP;
  readonly sport: number;
  readonly dport: number;
  readonly data: Uint8Array;
}

/** An ICMP message as raw sockets see it: type, code, checksum, then the rest, as bytes. */
export interface IcmpMessage {
  readonly proto: typeof IPPROTO_ICMP;
  readonly bytes: Uint8Array;
}

export type Transport = TcpSegment | UdpDatagram | IcmpMessage;

export interface IpPacket {
  readonly src: number;
  readonly dst: number;
  readonly ttl: number;
  /** The IP identification field (per stack counter). */
  readonly id: number;
  readonly body: Transport;
}

/** An Ethernet II frame carrying IPv4 (MACs are 48-bit numbers). */
export interface Frame {
  readonly srcMac: number;
  readonly dstMac: number;
  readonly packet: IpPacket;
}

/** TCP flags as tcpdump prints them ("S.", "F.", "R"...), for traces and tests. */
export function tcpFlags(flags: number): string {
  let out = '';
  if (flags & TH_SYN) out += 'S';
  if (flags & TH_FIN) out += 'F';
  if (flags & TH_RST) out += 'R';
  if (flags & TH_PUSH) out += 'P';
  if (flags & TH_ACK) out += '.';
  return out;
}

/** 32-bit sequence arithmetic (RFC 793): a < b, modulo 2^32. */
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

export function seqLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}
