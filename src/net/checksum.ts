/**
 * The Internet checksum (RFC 1071): the 16-bit ones' complement of the ones' complement sum
 * of 16-bit big-endian words. Pure functions over byte ranges, no state: the pcap encoder
 * uses them for IPv4, TCP and UDP headers, and the ICMP echo responder and ping for ICMP.
 *
 * Sums are kept unfolded (plain numbers, exact up to 2^53) so several ranges can be added
 * before one fold; `fold` then reduces to 16 bits. Every range but the last of a chained
 * sum must have an even length, as RFC 1071's incremental sum requires.
 */

/**
 * The unfolded sum of the 16-bit big-endian words of `bytes[start, end)` added to `initial`.
 * An odd last byte counts as the high byte of a word padded with zero.
 */
export function onesSum(bytes: Uint8Array, start = 0, end = bytes.length, initial = 0): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < end) sum += bytes[i]! << 8;
  return sum;
}

/** Folds the carries of an unfolded sum back in until it fits in 16 bits. */
export function fold(sum: number): number {
  let s = sum;
  // Division, not >>>: an unfolded sum may exceed 32 bits.
  while (s > 0xffff) s = (s % 0x10000) + Math.floor(s / 0x10000);
  return s;
}

/** The checksum field value for a sum: its folded ones' complement. */
export function checksumOf(sum: number): number {
  return ~fold(sum) & 0xffff;
}

/** RFC 1071 over `bytes[start, end)`: the value to store in the checksum field (zeroed first). */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return checksumOf(onesSum(bytes, start, end));
}

/**
 * The unfolded sum of the IPv4 pseudo-header TCP and UDP checksums cover (RFC 793, RFC 768):
 * source and destination addresses, zero, protocol, and the transport length (header + data).
 */
export function pseudoHeaderSum(src: number, dst: number, proto: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + length;
}

/**
 * The TCP or UDP checksum of the segment in `bytes[start, end)` (its checksum field zeroed),
 * pseudo-header included. UDP callers turn a result of 0 into 0xffff (RFC 768: 0 means none).
 */
export function transportChecksum(
  src: number, dst: number, proto: number, bytes: Uint8Array, start = 0, end = bytes.length,
): number {
  return checksumOf(onesSum(bytes, start, end, pseudoHeaderSum(src, dst, proto, end - start)));
}

/** Does the range, checksum field included, verify? (Its sum folds to 0xffff, i.e. complement 0.) */
export function verifies(bytes: Uint8Array, start = 0, end = bytes.length, initial = 0): boolean {
  return checksumOf(onesSum(bytes, start, end, initial)) === 0;
}
