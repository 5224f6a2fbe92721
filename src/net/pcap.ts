/**
 * Packet capture: frames (src/net/packet.ts objects) encoded to real bytes, Ethernet II +
 * IPv4 + TCP/UDP/ICMP with correct checksums, and a writer of classic libpcap files stamped
 * with the virtual clock. The data path never encodes headers; only a captured switch does.
 *
 * State: each PcapWriter owns its buffer and byte count; nothing here is shared. Frames are
 * encoded as the sending host puts them on the wire: no Ethernet padding to 60 bytes, no FCS.
 */

import { KernelPanic } from '../kernel/errno.js';
import { checksumOf, internetChecksum, onesSum, pseudoHeaderSum } from './checksum.js';
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, TH_SYN, type Frame, type IpPacket, type TcpSegment, type Transport } from './packet.js';

const ETH_HEADER = 14;
const ETHERTYPE_IPV4 = 0x0800;
const IP_HEADER = 20;
const IP_DF = 0x4000;
const TCP_HEADER = 20;
const TCP_OPT_MSS = 2;
const UDP_HEADER = 8;
const IP_MAX = 0xffff;

/** Does this segment carry the MSS option? Only a SYN does (RFC 9293 3.7.1). */
function hasMss(tcp: TcpSegment): boolean {
  return tcp.mss !== undefined && (tcp.flags & TH_SYN) !== 0;
}

/** The transport header + payload length in bytes. */
function transportLength(body: Transport): number {
  switch (body.proto) {
    case IPPROTO_TCP: return TCP_HEADER + (hasMss(body) ? 4 : 0) + body.data.length;
    case IPPROTO_UDP: return UDP_HEADER + body.data.length;
    case IPPROTO_ICMP: return body.bytes.length;
  }
}

/** The encoded length of a frame: Ethernet header + IPv4 total length. */
export function frameLength(frame: Frame): number {
  return ETH_HEADER + IP_HEADER + transportLength(frame.packet.body);
}

function writeMac(view: DataView, at: number, mac: number): void {
  // 48 bits do not fit the 32-bit bitwise operators: split by division.
  view.setUint16(at, Math.floor(mac / 0x1_0000_0000) & 0xffff);
  view.setUint32(at + 2, mac % 0x1_0000_0000);
}

/**
 * Writes the frame's bytes into `out` at `offset` (which must have `frameLength(frame)` bytes
 * free) and returns the offset past them. Checksums are computed over the written bytes.
 */
export function writeFrame(frame: Frame, out: Uint8Array, offset: number): number {
  const { packet } = frame;
  const body = packet.body;
  const l4 = transportLength(body);
  const total = IP_HEADER + l4;
  // The stack never builds a packet IPv4 cannot carry; one here is a broken invariant.
  if (total > IP_MAX) throw new KernelPanic(`pcap: IPv4 packet of ${total} bytes exceeds ${IP_MAX}`);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);

  writeMac(view, offset, frame.dstMac);
  writeMac(view, offset + 6, frame.srcMac);
  view.setUint16(offset + 12, ETHERTYPE_IPV4);

  const ip = offset + ETH_HEADER;
  view.setUint8(ip, 0x45); // version 4, IHL 5 (no options)
  view.setUint8(ip + 1, 0); // DSCP 0, ECN 0
  view.setUint16(ip + 2, total);
  view.setUint16(ip + 4, packet.id & 0xffff);
  // DF on TCP, as real stacks set it with path MTU discovery; never fragmented here anyway.
  view.setUint16(ip + 6, body.proto === IPPROTO_TCP ? IP_DF : 0);
  view.setUint8(ip + 8, packet.ttl & 0xff);
  view.setUint8(ip + 9, body.proto);
  view.setUint16(ip + 10, 0);
  view.setUint32(ip + 12, packet.src >>> 0);
  view.setUint32(ip + 16, packet.dst >>> 0);
  view.setUint16(ip + 10, internetChecksum(out, ip, ip + IP_HEADER));

  const l4at = ip + IP_HEADER;
  const end = l4at + l4;
  switch (body.proto) {
    case IPPROTO_TCP: {
      const options = hasMss(body) ? 4 : 0;
      view.setUint16(l4at, body.sport);
      view.setUint16(l4at + 2, body.dport);
      view.setUint32(l4at + 4, body.seq >>> 0);
      view.setUint32(l4at + 8, body.ack >>> 0);
      view.setUint8(l4at + 12, ((TCP_HEADER + options) / 4) << 4);
      view.setUint8(l4at + 13, body.flags & 0xff);
      view.setUint16(l4at + 14, body.window);
      view.setUint16(l4at + 16, 0);
      view.setUint16(l4at + 18, 0); // urgent pointer
      if (options) {
        view.setUint8(l4at + 20, TCP_OPT_MSS);
        view.setUint8(l4at + 21, 4);
        view.setUint16(l4at + 22, body.mss!);
      }
      out.set(body.data, l4at + TCP_HEADER + options);
      view.setUint16(l4at + 16, checksumOf(onesSum(out, l4at, end, pseudoHeaderSum(packet.src, packet.dst, IPPROTO_TCP, l4))));
      break;
    }
    case IPPROTO_UDP: {
      view.setUint16(l4at, body.sport);
      view.setUint16(l4at + 2, body.dport);
      view.setUint16(l4at + 4, l4);
      view.setUint16(l4at + 6, 0);
      out.set(body.data, l4at + UDP_HEADER);
      const sum = checksumOf(onesSum(out, l4at, end, pseudoHeaderSum(packet.src, packet.dst, IPPROTO_UDP, l4)));
      // RFC 768: a computed 0 is sent as all ones, since 0 means "no checksum".
      view.setUint16(l4at + 6, sum === 0 ? 0xffff : sum);
      break;
    }
    case IPPROTO_ICMP:
      // The sender (ping, the echo responder) computed the ICMP checksum; bytes go as given.
      out.set(body.bytes, l4at);
      break;
  }
  return end;
}

/** The frame as a fresh byte array. */
export function encodeFrame(frame: Frame): Uint8Array {
  const out = new Uint8Array(frameLength(frame));
  writeFrame(frame, out, 0);
  return out;
}

const PCAP_MAGIC = 0xa1b2c3d4;
const PCAP_FILE_HEADER = 24;
const PCAP_RECORD_HEADER = 16;
export const PCAP_SNAPLEN = 65535;
export const LINKTYPE_ETHERNET = 1;

export interface PcapWriterOptions {
  /**
   * Receives the file as it grows: the header at construction, then one chunk per record.
   * Chunks are views of bytes the writer never changes again, so a sink may keep them.
   */
  readonly sink?: (chunk: Uint8Array) => void;
  /** Seconds since the Unix epoch that tick 0 stands for (default 0: 1970-01-01). */
  readonly epochSeconds?: number;
}

/**
 * A classic libpcap file (version 2.4, little-endian, microsecond timestamps, Ethernet).
 * One tick of the virtual clock is one millisecond. Records go into one growing buffer,
 * doubled when full, so recording a frame allocates nothing in the common case.
 */
export class PcapWriter {
  private buf: Uint8Array;
  private view: DataView;
  private length = 0;
  private readonly sink: ((chunk: Uint8Array) => void) | undefined;
  private readonly epochSeconds: number;

  constructor(options: PcapWriterOptions = {}) {
    this.sink = options.sink;
    this.epochSeconds = options.epochSeconds ?? 0;
    if (!Number.isInteger(this.epochSeconds) || this.epochSeconds < 0) {
      throw new RangeError(`pcap: epochSeconds must be a non-negative integer, not ${this.epochSeconds}`);
    }
    this.buf = new Uint8Array(4096);
    this.view = new DataView(this.buf.buffer);
    const v = this.view;
    v.setUint32(0, PCAP_MAGIC, true);
    v.setUint16(4, 2, true); // version 2.4
    v.setUint16(6, 4, true);
    v.setInt32(8, 0, true); // thiszone: timestamps are UTC
    v.setUint32(12, 0, true); // sigfigs
    v.setUint32(16, PCAP_SNAPLEN, true);
    v.setUint32(20, LINKTYPE_ETHERNET, true);
    this.length = PCAP_FILE_HEADER;
    this.sink?.(this.buf.subarray(0, PCAP_FILE_HEADER));
  }

  /** Appends `frame` as seen at virtual time `atTick` (ms); a frame past the snaplen is cut. */
  record(atTick: number, frame: Frame): void {
    if (!Number.isInteger(atTick) || atTick < 0) {
      throw new KernelPanic(`pcap: the virtual clock reads ${atTick}, not a tick`);
    }
    const wire = frameLength(frame);
    const kept = Math.min(wire, PCAP_SNAPLEN);
    const start = this.length;
    this.reserve(PCAP_RECORD_HEADER + wire);
    const v = this.view;
    v.setUint32(start, Math.floor(atTick / 1000) + this.epochSeconds, true);
    v.setUint32(start + 4, (atTick % 1000) * 1000, true);
    v.setUint32(start + 8, kept, true);
    v.setUint32(start + 12, wire, true);
    // Encoded in place; a cut frame's tail is written past `kept` and then left out.
    writeFrame(frame, this.buf, start + PCAP_RECORD_HEADER);
    this.length = start + PCAP_RECORD_HEADER + kept;
    this.sink?.(this.buf.subarray(start, this.length));
  }

  /** The whole file so far: a view the writer never changes (later records go past it). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** The file's size so far, in bytes. */
  get size(): number {
    return this.length;
  }

  /** Makes room for `n` more bytes; old views keep their (final) bytes, as growth copies. */
  private reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    let capacity = this.buf.length * 2;
    while (capacity < need) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }
}

/** An IPv4 packet's bytes (header and all), as raw sockets and ICMP errors quote it. */
export function encodePacket(packet: IpPacket): Uint8Array {
  return encodeFrame({ srcMac: 0, dstMac: 0, packet }).subarray(ETH_HEADER);
}
