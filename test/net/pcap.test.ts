// Packet capture: the Internet checksum against RFC vectors, the frame encoder and the libpcap
// writer checked byte by byte, and the files proved with the real parser (tshark): the packets,
// their fields, every checksum Good and no expert warning. Property tests round-trip random
// segments through the encoder and a small decoder written here, and a seeded batch through tshark.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelPanic } from '../../src/kernel/errno.js';
import { internetChecksum, onesSum, pseudoHeaderSum, transportChecksum, verifies } from '../../src/net/checksum.js';
import { formatIp, formatMac, parseIp } from '../../src/net/ipv4.js';
import {
  IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, TH_ACK, TH_FIN, TH_PUSH, TH_RST, TH_SYN, seqAdd,
  type Frame, type IcmpMessage, type TcpSegment, type Transport, type UdpDatagram,
} from '../../src/net/packet.js';
import { PCAP_SNAPLEN, PcapWriter, encodeFrame, frameLength } from '../../src/net/pcap.js';
import { ensureTshark } from './tshark.js';

const CLIENT = parseIp('192.0.2.10')!;
const SERVER = parseIp('192.0.2.20')!;
const CLIENT_MAC = 0x02_00_5e_00_00_0a;
const SERVER_MAC = 0x02_00_5e_00_00_14;
const EPOCH = 1_700_000_000;
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function frame(src: number, dst: number, id: number, body: Transport): Frame {
  const [srcMac, dstMac] = src === CLIENT ? [CLIENT_MAC, SERVER_MAC] : [SERVER_MAC, CLIENT_MAC];
  return { srcMac, dstMac, packet: { src, dst, ttl: 64, id, body } };
}

function tcp(sport: number, dport: number, seq: number, ack: number, flags: number, data: Uint8Array = new Uint8Array(0), mss?: number): TcpSegment {
  return { proto: IPPROTO_TCP, sport, dport, seq, ack, flags, window: 65535, data, ...(mss === undefined ? {} : { mss }) };
}

function udp(sport: number, dport: number, data: Uint8Array): UdpDatagram {
  return { proto: IPPROTO_UDP, sport, dport, data };
}

/** An ICMP echo message (type 8 request, 0 reply) with its checksum computed, as ping does. */
function icmpEcho(type: 0 | 8, ident: number, seq: number, payload: Uint8Array): IcmpMessage {
  const bytes = new Uint8Array(8 + payload.length);
  const v = new DataView(bytes.buffer);
  v.setUint8(0, type);
  v.setUint16(4, ident);
  v.setUint16(6, seq);
  bytes.set(payload, 8);
  v.setUint16(2, internetChecksum(bytes));
  return { proto: IPPROTO_ICMP, bytes };
}

// ---- a small decoder: the inverse of encodeFrame, checking every checksum on the way ----

interface Decoded {
  frame: Frame;
  ipChecksumOk: boolean;
  l4ChecksumOk: boolean;
  df: boolean;
  dataOffset?: number;
  udpChecksum?: number;
}

function decodeFrame(b: Uint8Array): Decoded {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const mac = (at: number): number => v.getUint16(at) * 0x1_0000_0000 + v.getUint32(at + 2);
  expect(v.getUint16(12)).toBe(0x0800);
  const ip = 14;
  expect(v.getUint8(ip)).toBe(0x45);
  const total = v.getUint16(ip + 2);
  expect(14 + total).toBe(b.length);
  const proto = v.getUint8(ip + 9);
  const src = v.getUint32(ip + 12);
  const dst = v.getUint32(ip + 16);
  const l4 = ip + 20;
  const l4len = total - 20;
  const pseudo = pseudoHeaderSum(src, dst, proto, l4len);
  let body: Transport;
  let dataOffset: number | undefined;
  let udpChecksum: number | undefined;
  let l4ChecksumOk: boolean;
  if (proto === IPPROTO_TCP) {
    dataOffset = v.getUint8(l4 + 12) >> 4;
    const hasMss = dataOffset === 6;
    if (hasMss) expect([v.getUint8(l4 + 20), v.getUint8(l4 + 21)]).toEqual([2, 4]);
    body = {
      proto, sport: v.getUint16(l4), dport: v.getUint16(l4 + 2), seq: v.getUint32(l4 + 4), ack: v.getUint32(l4 + 8),
      flags: v.getUint8(l4 + 13), window: v.getUint16(l4 + 14),
      ...(hasMss ? { mss: v.getUint16(l4 + 22) } : {}),
      data: b.slice(l4 + dataOffset * 4),
    };
    expect(v.getUint16(l4 + 18)).toBe(0);
    l4ChecksumOk = verifies(b, l4, b.length, pseudo);
  } else if (proto === IPPROTO_UDP) {
    expect(v.getUint16(l4 + 4)).toBe(l4len);
    udpChecksum = v.getUint16(l4 + 6);
    body = { proto, sport: v.getUint16(l4), dport: v.getUint16(l4 + 2), data: b.slice(l4 + 8) };
    l4ChecksumOk = verifies(b, l4, b.length, pseudo);
  } else {
    expect(proto).toBe(IPPROTO_ICMP);
    body = { proto: IPPROTO_ICMP, bytes: b.slice(l4) };
    l4ChecksumOk = verifies(b, l4, b.length);
  }
  return {
    frame: { dstMac: mac(0), srcMac: mac(6), packet: { src, dst, ttl: v.getUint8(ip + 8), id: v.getUint16(ip + 4), body } },
    ipChecksumOk: verifies(b, ip, ip + 20),
    l4ChecksumOk,
    df: (v.getUint16(ip + 6) & 0x4000) !== 0,
    ...(dataOffset === undefined ? {} : { dataOffset }),
    ...(udpChecksum === undefined ? {} : { udpChecksum }),
  };
}

interface PcapRecord { tsSec: number; tsUsec: number; inclLen: number; origLen: number; data: Uint8Array }

function parsePcap(file: Uint8Array): { header: number[]; records: PcapRecord[] } {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const header = [v.getUint32(0, true), v.getUint16(4, true), v.getUint16(6, true), v.getInt32(8, true),
    v.getUint32(12, true), v.getUint32(16, true), v.getUint32(20, true)];
  const records: PcapRecord[] = [];
  for (let at = 24; at < file.length;) {
    const inclLen = v.getUint32(at + 8, true);
    records.push({ tsSec: v.getUint32(at, true), tsUsec: v.getUint32(at + 4, true), inclLen,
      origLen: v.getUint32(at + 12, true), data: file.slice(at + 16, at + 16 + inclLen) });
    at += 16 + inclLen;
  }
  return { header, records };
}

// ---- the checksum ----

describe('Internet checksum (RFC 1071)', () => {
  it('sums the RFC 1071 section 3 example and folds its carries', () => {
    const bytes = Uint8Array.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
    expect(onesSum(bytes)).toBe(0x2ddf0);
    expect(internetChecksum(bytes)).toBe(0x220d);
  });

  it('gives a known IPv4 header its checksum, and the header then verifies', () => {
    const header = Uint8Array.from(Buffer.from('450000730000400040110000c0a80001c0a800c7', 'hex'));
    expect(internetChecksum(header)).toBe(0xb861);
    header[10] = 0xb8;
    header[11] = 0x61;
    expect(verifies(header)).toBe(true);
    header[19] = header[19]! ^ 1;
    expect(verifies(header)).toBe(false);
  });

  it('pads an odd last byte with zero, and sums a sub-range only', () => {
    expect(onesSum(Uint8Array.from([0x12, 0x34, 0x56]))).toBe(0x1234 + 0x5600);
    expect(onesSum(Uint8Array.from([0xff, 0x12, 0x34, 0x56, 0xff]), 1, 4)).toBe(0x1234 + 0x5600);
  });

  it('covers the pseudo-header in TCP and UDP checksums', () => {
    const seg = Uint8Array.from([0x30, 0x39, 0x00, 0x35, 0x00, 0x0a, 0x00, 0x00, 0x61, 0x62]);
    const plain = internetChecksum(seg);
    const withPseudo = transportChecksum(CLIENT, SERVER, IPPROTO_UDP, seg);
    expect(withPseudo).not.toBe(plain);
    expect(pseudoHeaderSum(CLIENT, SERVER, IPPROTO_UDP, seg.length))
      .toBe(0xc000 + 0x020a + 0xc000 + 0x0214 + 17 + 10);
    seg[6] = withPseudo >> 8;
    seg[7] = withPseudo & 0xff;
    expect(verifies(seg, 0, seg.length, pseudoHeaderSum(CLIENT, SERVER, IPPROTO_UDP, seg.length))).toBe(true);
    expect(verifies(seg, 0, seg.length, pseudoHeaderSum(CLIENT, SERVER + 1, IPPROTO_UDP, seg.length))).toBe(false);
  });
});

// ---- the encoder ----

describe('encodeFrame', () => {
  it('writes Ethernet II, IPv4 with DF for TCP, and a SYN with the MSS option in a 24-byte header', () => {
    const f = frame(CLIENT, SERVER, 7, tcp(49152, 80, 0xfffffff0, 0, TH_SYN, undefined, 1460));
    const bytes = encodeFrame(f);
    expect(bytes.length).toBe(14 + 20 + 24);
    expect(frameLength(f)).toBe(bytes.length);
    expect(hex(bytes.subarray(0, 14))).toBe('02005e00001402005e00000a0800');
    const d = decodeFrame(bytes);
    expect(d.frame).toEqual(f);
    expect(d).toMatchObject({ ipChecksumOk: true, l4ChecksumOk: true, df: true, dataOffset: 6 });
  });

  it('leaves the MSS option out of segments that are not SYNs', () => {
    const d = decodeFrame(encodeFrame(frame(CLIENT, SERVER, 8, tcp(49152, 80, 1, 1, TH_ACK, text('x'), 1460))));
    expect(d.dataOffset).toBe(5);
    expect((d.frame.packet.body as TcpSegment).mss).toBeUndefined();
    expect(d.l4ChecksumOk).toBe(true);
  });

  it('sends a UDP checksum that computes to 0 as 0xffff, and no DF', () => {
    // Choose the payload word that makes the sum all ones: the computed checksum is then 0.
    const probe = decodeFrame(encodeFrame(frame(CLIENT, SERVER, 9, udp(5000, 7, new Uint8Array(2)))));
    const c = probe.udpChecksum!;
    const f = frame(CLIENT, SERVER, 9, udp(5000, 7, Uint8Array.from([c >> 8, c & 0xff])));
    const d = decodeFrame(encodeFrame(f));
    expect(d.udpChecksum).toBe(0xffff);
    expect(d).toMatchObject({ l4ChecksumOk: true, ipChecksumOk: true, df: false });
    expect(d.frame).toEqual(f);
  });

  it('carries ICMP bytes as given', () => {
    const msg = icmpEcho(8, 0x1234, 1, text('abcdefgh'));
    const d = decodeFrame(encodeFrame(frame(CLIENT, SERVER, 10, msg)));
    expect(hex((d.frame.packet.body as IcmpMessage).bytes)).toBe(hex(msg.bytes));
    expect(d.l4ChecksumOk).toBe(true);
  });

  it('panics on a packet IPv4 cannot carry', () => {
    const f = frame(CLIENT, SERVER, 11, udp(1, 2, new Uint8Array(65535 - 28 + 1)));
    expect(() => encodeFrame(f)).toThrow(KernelPanic);
    expect(encodeFrame(frame(CLIENT, SERVER, 11, udp(1, 2, new Uint8Array(65535 - 28)))).length).toBe(14 + 65535);
  });
});

// ---- the writer ----

describe('PcapWriter', () => {
  const small = frame(CLIENT, SERVER, 1, udp(5000, 7, text('ping')));

  it('starts with the libpcap 2.4 header, little-endian, snaplen 65535, Ethernet', () => {
    const w = new PcapWriter();
    expect(hex(w.bytes())).toBe('d4c3b2a1020004000000000000000000ffff000001000000');
    expect(parsePcap(w.bytes()).header).toEqual([0xa1b2c3d4, 2, 4, 0, 0, 65535, 1]);
  });

  it('stamps records with the virtual clock: 1 tick = 1 ms, after the epoch base', () => {
    const w = new PcapWriter({ epochSeconds: EPOCH });
    w.record(0, small);
    w.record(1999, small);
    w.record(12_345_678, small);
    const stamps = parsePcap(w.bytes()).records.map((r) => [r.tsSec, r.tsUsec]);
    expect(stamps).toEqual([[EPOCH, 0], [EPOCH + 1, 999_000], [EPOCH + 12_345, 678_000]]);
    expect(new PcapWriter().size).toBe(24);
    w.record(1, small);
    expect(parsePcap(w.bytes()).records[3]!.tsSec).toBe(EPOCH);
  });

  it('streams the same bytes to its sink, header first, and earlier views never change', () => {
    const chunks: Uint8Array[] = [];
    const w = new PcapWriter({ sink: (c) => chunks.push(c) });
    expect(chunks.map((c) => c.length)).toEqual([24]);
    const early = w.bytes();
    const earlyHex = hex(early);
    // Enough records to grow the buffer several times.
    for (let i = 0; i < 500; i++) w.record(i, frame(CLIENT, SERVER, i, udp(5000, 7, new Uint8Array(i % 97).fill(i & 0xff))));
    expect(chunks.length).toBe(501);
    expect(hex(Buffer.concat(chunks))).toBe(hex(w.bytes()));
    expect(hex(early)).toBe(earlyHex);
    const records = parsePcap(w.bytes()).records;
    expect(records.length).toBe(500);
    expect(records.every((r, i) => r.inclLen === r.origLen && r.inclLen === 14 + 28 + (i % 97))).toBe(true);
    expect(decodeFrame(records[499]!.data).frame.packet.id).toBe(499);
  });

  it('cuts a frame longer than the snaplen, keeping its wire length', () => {
    const w = new PcapWriter();
    w.record(5, frame(CLIENT, SERVER, 1, udp(1, 2, new Uint8Array(65535 - 28).fill(0xab))));
    w.record(6, small);
    const [big, next] = parsePcap(w.bytes()).records;
    expect([big!.inclLen, big!.origLen]).toEqual([PCAP_SNAPLEN, 14 + 65535]);
    expect(big!.data[PCAP_SNAPLEN - 1]).toBe(0xab);
    expect(decodeFrame(next!.data).frame).toEqual(small);
  });

  it('panics on a clock reading that is not a tick, and refuses a bad epoch', () => {
    const w = new PcapWriter();
    expect(() => w.record(-1, small)).toThrow(KernelPanic);
    expect(() => w.record(1.5, small)).toThrow(KernelPanic);
    expect(() => new PcapWriter({ epochSeconds: -1 })).toThrow(RangeError);
    expect(w.size).toBe(24);
  });
});

// ---- the real parser ----

let tshark = '';
let dir = '';

beforeAll(() => {
  tshark = ensureTshark();
  dir = mkdtempSync(join(tmpdir(), 'cellblock-pcap-'));
}, 15 * 60 * 1000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const CHECK_CHECKSUMS = ['-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE'];
/** Wireshark's checksum status values (proto.h PROTO_CHECKSUM_E_*) and expert severities (PI_*). */
const GOOD = '1';
const PI_WARN = 0x00600000;

function writePcap(name: string, w: PcapWriter): string {
  const file = join(dir, name);
  writeFileSync(file, w.bytes());
  return file;
}

function runTshark(args: readonly string[]): string {
  const r = spawnSync(tshark, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error !== undefined) throw r.error;
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** One row per frame, one column per field; several occurrences of a field join with ','. */
function fields(file: string, names: readonly string[], extra: readonly string[] = []): Record<string, string>[] {
  const out = runTshark(['-r', file, ...CHECK_CHECKSUMS, ...extra, '-T', 'fields', '-E', 'separator=/t',
    ...names.flatMap((n) => ['-e', n])]);
  return out.split('\n').filter((line) => line !== '').map((line) => {
    const cols = line.split('\t');
    return Object.fromEntries(names.map((n, i) => [n, cols[i] ?? '']));
  });
}

describe('pcap files read by tshark', () => {
  // A client fetches a page over TCP (handshake, request, response, FIN both ways), sends a
  // UDP datagram (two: one whose checksum computes to 0), and pings the server.
  const c0 = 0xfffffff0; // the client's ISN: its sequence numbers wrap past 2^32
  const s0 = 0x12345678;
  const req = text('GET / HTTP/1.0\r\nHost: server\r\n\r\n');
  const resp = text('HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello');
  const cseq = (n: number): number => seqAdd(c0, n);
  const sseq = (n: number): number => seqAdd(s0, n);
  const R = req.length;
  const P = resp.length;
  const C = 49152;
  const exchange: [number, Frame][] = [
    [1000, frame(CLIENT, SERVER, 1, tcp(C, 80, c0, 0, TH_SYN, undefined, 1460))],
    [1001, frame(SERVER, CLIENT, 1, tcp(80, C, s0, cseq(1), TH_SYN | TH_ACK, undefined, 1460))],
    [1002, frame(CLIENT, SERVER, 2, tcp(C, 80, cseq(1), sseq(1), TH_ACK))],
    [1002, frame(CLIENT, SERVER, 3, tcp(C, 80, cseq(1), sseq(1), TH_PUSH | TH_ACK, req))],
    [1003, frame(SERVER, CLIENT, 2, tcp(80, C, sseq(1), cseq(1 + R), TH_ACK))],
    [1010, frame(SERVER, CLIENT, 3, tcp(80, C, sseq(1), cseq(1 + R), TH_PUSH | TH_ACK, resp))],
    [1010, frame(SERVER, CLIENT, 4, tcp(80, C, sseq(1 + P), cseq(1 + R), TH_FIN | TH_ACK))],
    [1011, frame(CLIENT, SERVER, 4, tcp(C, 80, cseq(1 + R), sseq(2 + P), TH_ACK))],
    [1012, frame(CLIENT, SERVER, 5, tcp(C, 80, cseq(1 + R), sseq(2 + P), TH_FIN | TH_ACK))],
    [1013, frame(SERVER, CLIENT, 5, tcp(80, C, sseq(2 + P), cseq(2 + R), TH_ACK))],
    [2000, frame(CLIENT, SERVER, 6, udp(40000, 7, text('datagram')))],
    [2001, frame(CLIENT, SERVER, 7, udp(5000, 7, Uint8Array.from([0x68, 0x2c])))],
    [3000, frame(CLIENT, SERVER, 8, icmpEcho(8, 0x4242, 1, text('0123456789abcdef')))],
    [3001, frame(SERVER, CLIENT, 6, icmpEcho(0, 0x4242, 1, text('0123456789abcdef')))],
  ];

  it('lists the exchange with its fields, every checksum Good and no expert warning', () => {
    // Frame 12's payload makes its UDP checksum compute to 0 (sent as 0xffff): check it does.
    expect(decodeFrame(encodeFrame(exchange[11]![1])).udpChecksum).toBe(0xffff);
    const w = new PcapWriter({ epochSeconds: EPOCH });
    for (const [tick, f] of exchange) w.record(tick, f);
    const file = writePcap('exchange.pcap', w);

    const rows = fields(file, ['frame.number', 'frame.time_epoch', 'eth.src', 'eth.dst', 'ip.src', 'ip.dst', 'ip.id',
      'ip.ttl', 'ip.flags.df', 'ip.len', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.flags',
      'tcp.flags.str', 'tcp.len', 'tcp.options.mss_val', 'tcp.payload', 'udp.srcport', 'udp.dstport', 'udp.length',
      'udp.payload', 'icmp.type', 'icmp.ident', 'icmp.seq', 'icmp.resp_to', 'ip.checksum.status',
      'tcp.checksum.status', 'udp.checksum.status', 'icmp.checksum.status', '_ws.expert.severity', 'frame.protocols']);
    expect(rows.length).toBe(exchange.length);

    rows.forEach((row, i) => {
      const [tick, f] = exchange[i]!;
      const { packet } = f;
      const body = packet.body;
      const ctx = `frame ${i + 1}: ${JSON.stringify(row)}`;
      expect(row['frame.number'], ctx).toBe(String(i + 1));
      expect(row['frame.time_epoch'], ctx).toBe(`${EPOCH + Math.floor(tick / 1000)}.${String((tick % 1000) * 1000).padStart(6, '0')}000`);
      expect([row['eth.src'], row['eth.dst']], ctx).toEqual([formatMac(f.srcMac), formatMac(f.dstMac)]);
      expect([row['ip.src'], row['ip.dst']], ctx).toEqual([formatIp(packet.src), formatIp(packet.dst)]);
      expect([Number(row['ip.id']), Number(row['ip.ttl'])], ctx).toEqual([packet.id, 64]);
      expect(row['ip.flags.df'], ctx).toBe(body.proto === IPPROTO_TCP ? '1' : '0');
      expect(row['ip.checksum.status'], ctx).toBe(GOOD);
      // Nothing at warning level or above (chats and notes, e.g. "SYN", "GET", are fine).
      const severities = row['_ws.expert.severity']!.split(',').filter((s) => s !== '').map(Number);
      expect(severities.every((s) => s < PI_WARN), ctx).toBe(true);
      if (body.proto === IPPROTO_TCP) {
        expect([row['tcp.srcport'], row['tcp.dstport']].map(Number), ctx).toEqual([body.sport, body.dport]);
        expect([row['tcp.seq_raw'], row['tcp.ack_raw']].map(Number), ctx).toEqual([body.seq, body.flags & TH_ACK ? body.ack : 0]);
        expect(Number(row['tcp.flags']), ctx).toBe(body.flags);
        expect(Number(row['tcp.len']), ctx).toBe(body.data.length);
        expect(row['tcp.options.mss_val'], ctx).toBe(body.mss === undefined ? '' : String(body.mss));
        expect(row['tcp.payload'], ctx).toBe(hex(body.data));
        expect(row['tcp.checksum.status'], ctx).toBe(GOOD);
      } else if (body.proto === IPPROTO_UDP) {
        expect([row['udp.srcport'], row['udp.dstport'], row['udp.length']].map(Number), ctx)
          .toEqual([body.sport, body.dport, 8 + body.data.length]);
        expect(row['udp.payload'], ctx).toBe(hex(body.data));
        expect(row['udp.checksum.status'], ctx).toBe(GOOD);
      } else {
        expect([row['icmp.type'], row['icmp.ident'], row['icmp.seq']].map(Number), ctx).toEqual([body.bytes[0], 0x4242, 1]);
        expect(row['icmp.checksum.status'], ctx).toBe(GOOD);
      }
    });
    // tshark's own reading of the exchange: flags as it prints them, HTTP on top, the reply matched.
    expect(rows.slice(0, 10).map((r) => r['tcp.flags.str']!.replace(/·/g, ''))).toEqual(
      ['S', 'AS', 'A', 'AP', 'A', 'AP', 'AF', 'A', 'AF', 'A']);
    expect(rows[3]!['frame.protocols']).toBe('eth:ethertype:ip:tcp:http');
    expect(rows[13]!['icmp.resp_to']).toBe('13');
    // Relative sequence numbers as tshark tracks them across the wrap: the stream is consistent.
    const rel = fields(file, ['tcp.seq', 'tcp.ack', 'tcp.nxtseq'], ['-Y', 'tcp']);
    expect(rel.map((r) => r['tcp.seq'])).toEqual(['0', '0', '1', '1', '1', '1', String(1 + P), String(1 + R), String(1 + R), String(2 + P)]);

    // The summary of expert infos has no Warns or Errors section at all.
    const expert = runTshark(['-r', file, ...CHECK_CHECKSUMS, '-q', '-z', 'expert']);
    expect(expert).not.toMatch(/Warns|Errors/);
    expect(expert).toMatch(/Connection establish request \(SYN\)/);
  });

  it('marks a wrong checksum Bad (the check above can fail)', () => {
    const bad = icmpEcho(8, 1, 1, text('x'));
    bad.bytes[2]! ^= 0xff;
    const w = new PcapWriter();
    w.record(0, frame(CLIENT, SERVER, 1, bad));
    const [row] = fields(writePcap('bad.pcap', w), ['icmp.checksum.status', '_ws.expert.severity']);
    expect(row!['icmp.checksum.status']).not.toBe(GOOD);
    expect(Number(row!['_ws.expert.severity'])).toBeGreaterThanOrEqual(PI_WARN);
  });

  it('reads a seeded batch of random segments back with their fields and Good checksums', () => {
    const batch = fc.sample(arbFrame, { seed: 5, numRuns: 300 });
    const w = new PcapWriter();
    batch.forEach((f, i) => w.record(i, f));
    const file = writePcap('batch.pcap', w);
    // No sequence analysis or reassembly: the segments are unrelated. Higher layers may
    // dissect random payloads as anything; only the IP and transport layers are checked.
    const rows = fields(file, ['ip.src', 'ip.dst', 'ip.id', 'ip.proto', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw',
      'tcp.flags', 'tcp.window_size_value', 'tcp.options.mss_val', 'tcp.len', 'tcp.payload', 'udp.srcport', 'udp.dstport', 'udp.payload',
      'icmp.ident', 'ip.checksum.status', 'tcp.checksum.status', 'udp.checksum.status', 'icmp.checksum.status'],
    ['-o', 'tcp.analyze_sequence_numbers:FALSE', '-o', 'tcp.desegment_tcp_streams:FALSE']);
    expect(rows.length).toBe(batch.length);
    rows.forEach((row, i) => {
      const { packet } = batch[i]!;
      const body = packet.body;
      const ctx = `batch frame ${i + 1}: ${JSON.stringify(row)}`;
      expect([row['ip.src'], row['ip.dst'], Number(row['ip.id']), Number(row['ip.proto'])], ctx)
        .toEqual([formatIp(packet.src), formatIp(packet.dst), packet.id, body.proto]);
      expect(row['ip.checksum.status'], ctx).toBe(GOOD);
      if (body.proto === IPPROTO_TCP) {
        expect([row['tcp.srcport'], row['tcp.dstport'], row['tcp.seq_raw'], row['tcp.flags'], row['tcp.window_size_value']].map(Number), ctx)
          .toEqual([body.sport, body.dport, body.seq, body.flags, body.window]);
        if (body.flags & TH_ACK) expect(Number(row['tcp.ack_raw']), ctx).toBe(body.ack);
        expect(row['tcp.options.mss_val'], ctx).toBe(body.mss !== undefined && body.flags & TH_SYN ? String(body.mss) : '');
        expect(Number(row['tcp.len']), ctx).toBe(body.data.length);
        // tshark shows the data of a RST as its "reset cause" text, not as payload.
        if (!(body.flags & TH_RST)) expect(row['tcp.payload'], ctx).toBe(hex(body.data));
        expect(row['tcp.checksum.status'], ctx).toBe(GOOD);
      } else if (body.proto === IPPROTO_UDP) {
        expect([row['udp.srcport'], row['udp.dstport']].map(Number), ctx).toEqual([body.sport, body.dport]);
        expect(row['udp.payload'], ctx).toBe(hex(body.data));
        expect(row['udp.checksum.status'], ctx).toBe(GOOD);
      } else {
        expect(Number(row['icmp.ident']), ctx).toBe(new DataView(body.bytes.buffer).getUint16(4));
        expect(row['icmp.checksum.status'], ctx).toBe(GOOD);
      }
    });
  });
});

// ---- properties ----

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const port = fc.integer({ min: 1, max: 0xffff });
const payload = fc.uint8Array({ maxLength: 1500 });

const arbTcp: fc.Arbitrary<TcpSegment> = fc.record({
  sport: port, dport: port, seq: u32, ack: u32,
  flags: fc.integer({ min: 0, max: 0x1f }), window: u16, mss: fc.option(fc.integer({ min: 536, max: 65535 }), { nil: undefined }),
  data: payload,
}).map((t) => ({ proto: IPPROTO_TCP, ...t, ...(t.mss === undefined ? {} : { mss: t.mss }) }));

const arbUdp: fc.Arbitrary<UdpDatagram> = fc.record({ sport: port, dport: port, data: payload })
  .map((u) => ({ proto: IPPROTO_UDP, ...u }));

const arbIcmp: fc.Arbitrary<IcmpMessage> = fc.tuple(fc.constantFrom<0 | 8>(0, 8), u16, u16, fc.uint8Array({ maxLength: 1000 }))
  .map(([type, ident, seq, data]) => icmpEcho(type, ident, seq, data));

const mac = fc.integer({ min: 0, max: 2 ** 48 - 1 });
const arbFrame: fc.Arbitrary<Frame> = fc.record({
  srcMac: mac, dstMac: mac,
  packet: fc.record({
    src: u32, dst: u32, ttl: fc.integer({ min: 1, max: 255 }), id: u16,
    body: fc.oneof(arbTcp, arbUdp, arbIcmp) as fc.Arbitrary<Transport>,
  }),
});

/** What the wire keeps of a frame: the MSS option only on a SYN. */
function onWire(f: Frame): Frame {
  const body = f.packet.body;
  if (body.proto !== IPPROTO_TCP || body.mss === undefined || body.flags & TH_SYN) return f;
  const { mss: _mss, ...rest } = body;
  return { ...f, packet: { ...f.packet, body: rest } };
}

describe('properties', () => {
  it('random frames round-trip through encodeFrame, and every checksum verifies', () => {
    fc.assert(fc.property(arbFrame, (f) => {
      const bytes = encodeFrame(f);
      expect(bytes.length).toBe(frameLength(f));
      const d = decodeFrame(bytes);
      expect(d.frame).toEqual(onWire(f));
      expect(d.ipChecksumOk).toBe(true);
      expect(d.l4ChecksumOk).toBe(true);
      expect(d.df).toBe(f.packet.body.proto === IPPROTO_TCP);
      if (d.udpChecksum !== undefined) expect(d.udpChecksum).not.toBe(0);
    }), { numRuns: 300 });
  });

  it('the checksum of a range with its checksum appended verifies, for any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }).filter((b) => b.length % 2 === 0), (b) => {
      const c = internetChecksum(b);
      const withSum = Uint8Array.from([...b, c >> 8, c & 0xff]);
      expect(verifies(withSum)).toBe(true);
    }));
  });
});
