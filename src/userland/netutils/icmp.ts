/**
 * ICMP echo messages as ping builds and reads them: the Internet checksum (RFC 1071), echo
 * requests carrying a timestamp, and replies read back from a raw socket (IPv4 header first).
 * Pure functions over bytes, no state. ping owns its identifier and sequence numbers.
 */

export const ICMP_ECHOREPLY = 0;
export const ICMP_ECHO = 8;
/** The ICMP echo header: type, code, checksum, identifier, sequence number. */
export const ICMP_MINLEN = 8;
/** The timestamp at the start of the data: seconds and microseconds, 32 bits each (struct tv32). */
export const TIMEVAL_LEN = 8;

/** The Internet checksum of `bytes`: ones' complement of the ones' complement sum of 16-bit words. */
export function internetChecksum(bytes: Uint8Array): number {
  let sum = 0;
  let i = 0;
  for (; i + 1 < bytes.length; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < bytes.length) sum += bytes[i]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/**
 * An echo request with `datalen` data bytes: the send time in ticks (milliseconds) as a tv32
 * when there is room for it, then bytes counting up from 8, as FreeBSD's ping fills them.
 */
export function echoRequest(id: number, seq: number, datalen: number, sentAt: number): Uint8Array {
  const bytes = new Uint8Array(ICMP_MINLEN + datalen);
  const view = new DataView(bytes.buffer);
  bytes[0] = ICMP_ECHO;
  view.setUint16(4, id & 0xffff);
  view.setUint16(6, seq & 0xffff);
  for (let i = TIMEVAL_LEN; i < datalen; i++) bytes[ICMP_MINLEN + i] = i & 0xff;
  if (datalen >= TIMEVAL_LEN) {
    view.setUint32(ICMP_MINLEN, Math.floor(sentAt / 1000));
    view.setUint32(ICMP_MINLEN + 4, (sentAt % 1000) * 1000);
  }
  view.setUint16(2, internetChecksum(bytes));
  return bytes;
}

/** An ICMP message read from a raw socket, its IPv4 header taken off. */
export interface IcmpPacket {
  readonly type: number;
  readonly id: number;
  readonly seq: number;
  readonly ttl: number;
  /** Bytes of the ICMP message (header and data), as ping reports them. */
  readonly length: number;
  /** The send time carried in the data, in ticks; undefined when the data is too short. */
  readonly sentAt: number | undefined;
  /** Does the ICMP checksum hold? */
  readonly checksumOk: boolean;
}

/** Reads an IPv4 packet carrying ICMP; undefined when it is too short to be one. */
export function parseIcmp(packet: Uint8Array): IcmpPacket | undefined {
  if (packet.length < 20) return undefined;
  const hlen = (packet[0]! & 0x0f) * 4;
  if (hlen < 20 || packet.length < hlen + ICMP_MINLEN) return undefined;
  const icmp = packet.subarray(hlen);
  const view = new DataView(icmp.buffer, icmp.byteOffset, icmp.byteLength);
  const hasTime = icmp.length >= ICMP_MINLEN + TIMEVAL_LEN;
  return {
    type: icmp[0]!,
    id: view.getUint16(4),
    seq: view.getUint16(6),
    ttl: packet[8]!,
    length: icmp.length,
    sentAt: hasTime ? view.getUint32(ICMP_MINLEN) * 1000 + Math.floor(view.getUint32(ICMP_MINLEN + 4) / 1000) : undefined,
    checksumOk: internetChecksum(icmp) === 0,
  };
}
