/**
 * ICMP in the stack: echo requests to one of the stack's addresses are answered (as every
 * host's kernel does), port unreachable messages go back for UDP datagrams nobody takes and
 * reach the socket that sent them, and every ICMP message is copied to the raw ICMP sockets
 * that may see its destination (ping reads its replies there).
 */
import { internetChecksum } from './checksum.js';
import { IPPROTO_ICMP, IPPROTO_UDP, type IcmpMessage, type IpPacket } from './packet.js';
import { encodePacket } from './pcap.js';
import type { NetStack } from './stack.js';

export const ICMP_ECHOREPLY = 0;
export const ICMP_UNREACH = 3;
export const ICMP_UNREACH_PORT = 3;
export const ICMP_ECHO = 8;

/** An ICMP message with its checksum filled in. */
export function icmpMessage(type: number, code: number, rest: Uint8Array): IcmpMessage {
  const bytes = new Uint8Array(4 + rest.length);
  bytes[0] = type;
  bytes[1] = code;
  bytes.set(rest, 4);
  const sum = internetChecksum(bytes);
  bytes[2] = sum >> 8;
  bytes[3] = sum & 0xff;
  return { proto: IPPROTO_ICMP, bytes };
}

export function icmpInput(stack: NetStack, packet: IpPacket, message: IcmpMessage, at: number): void {
  const bytes = message.bytes;
  if (bytes.length < 8) return;
  for (const raw of stack.raw) raw.deliver(packet);
  const type = bytes[0];
  if (type === ICMP_ECHO) {
    const reply = icmpMessage(ICMP_ECHOREPLY, 0, bytes.subarray(4));
    stack.output(stack.packet(packet.dst, packet.src, reply), at);
  } else if (type === ICMP_UNREACH && bytes[1] === ICMP_UNREACH_PORT && bytes.length >= 36 && bytes[17] === IPPROTO_UDP) {
    // The quoted datagram: its IP header from byte 8, its UDP header from byte 28.
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const src = view.getUint32(8 + 12);
    const sport = view.getUint16(28);
    stack.udp.lookup(src, sport)?.refused();
  }
}

/** Tells the sender of an unwanted UDP datagram: port unreachable, quoting its header and 8 bytes. */
export function portUnreachable(stack: NetStack, packet: IpPacket, at: number): void {
  const quoted = encodePacket(packet).subarray(0, 28);
  const rest = new Uint8Array(4 + quoted.length);
  rest.set(quoted, 4);
  stack.output(stack.packet(packet.dst, packet.src, icmpMessage(ICMP_UNREACH, ICMP_UNREACH_PORT, rest)), at);
}
