/**
 * The demo scenario's capture read by the real parser: specs/examples/web.scenario.json runs
 * with a capture of the host's switch, and tshark lists its TCP (an HTTP exchange from the vnet
 * jail to the zone), UDP and ICMP traffic with every checksum Good and no expert warning.
 * Traffic between cells on the host's own stack (the shared-IP jail's fetch from the shared-IP
 * zone) never reaches the switch, as on a real host.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenario/run.js';
import { loadScenarioFile } from '../../src/spec/index.js';
import { ensureTshark } from './tshark.js';

const WEB = fileURLToPath(new URL('../../specs/examples/web.scenario.json', import.meta.url));
const CHECK_CHECKSUMS = ['-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE'];
/** Wireshark's "Good" checksum status, and its warning severity (PI_WARN). */
const GOOD = '1';
const PI_WARN = 0x00600000;
const hex = (s: string): string => Buffer.from(s).toString('hex');
const unhex = (h: string): string => Buffer.from(h.replace(/:/g, ''), 'hex').toString();

let tshark = '';
let dir = '';
let file = '';
let ticks = 0;

beforeAll(async () => {
  tshark = ensureTshark();
  dir = mkdtempSync(join(tmpdir(), 'cellblock-web-pcap-'));
  const loaded = await loadScenarioFile(WEB);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const chunks: Uint8Array[] = [];
  const r = await runScenario(loaded.scenario, { out: () => undefined, pcap: (chunk) => chunks.push(chunk) });
  expect(r.failed).toBe(0);
  ticks = r.ticks;
  file = join(dir, 'web.pcap');
  writeFileSync(file, Buffer.concat(chunks));
}, 15 * 60 * 1000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

function runTshark(args: readonly string[]): string {
  const r = spawnSync(tshark, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error !== undefined) throw r.error;
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

const FIELDS = [
  'frame.number', 'frame.time_epoch', 'ip.src', 'ip.dst', 'ip.proto', 'tcp.srcport', 'tcp.dstport', 'tcp.flags.str', 'tcp.payload',
  'udp.srcport', 'udp.dstport', 'udp.payload', 'icmp.type', 'icmp.seq', 'icmp.resp_to', 'http.request.method', 'http.response.code',
  'ip.checksum.status', 'tcp.checksum.status', 'udp.checksum.status', 'icmp.checksum.status', '_ws.expert.severity',
] as const;
type Row = Record<(typeof FIELDS)[number], string>;

function rows(): Row[] {
  const out = runTshark(['-r', file, ...CHECK_CHECKSUMS, '-T', 'fields', '-E', 'separator=/t', ...FIELDS.flatMap((f) => ['-e', f])]);
  return out.split('\n').filter((l) => l !== '').map((line) => {
    const cols = line.split('\t');
    return Object.fromEntries(FIELDS.map((f, i) => [f, cols[i] ?? ''])) as Row;
  });
}

describe('the web scenario\'s capture, read by tshark', () => {
  it('lists the HTTP exchange over TCP, the UDP datagram and the pings, nothing else', () => {
    const all = rows();
    const tcp = all.filter((r) => r['ip.proto'] === '6');
    const udp = all.filter((r) => r['ip.proto'] === '17');
    const icmp = all.filter((r) => r['ip.proto'] === '1');
    expect(tcp.length + udp.length + icmp.length).toBe(all.length);

    // TCP: the vnet jail (192.0.2.12) to the zone's port 80 and back, one connection.
    const client = tcp[0]!['tcp.srcport'];
    for (const r of tcp) {
      const out = r['ip.src'] === '192.0.2.12';
      expect([r['ip.src'], r['ip.dst'], out ? r['tcp.dstport'] : r['tcp.srcport'], out ? r['tcp.srcport'] : r['tcp.dstport']])
        .toEqual(out ? ['192.0.2.12', '192.0.2.10', '80', client] : ['192.0.2.10', '192.0.2.12', '80', client]);
    }
    const flags = tcp.map((r) => r['tcp.flags.str'].replace(/·/g, ''));
    expect(flags.slice(0, 3)).toEqual(['S', 'AS', 'A']);
    expect(flags.filter((f) => f.includes('F'))).toHaveLength(2);
    const sent = (from: string): string => tcp.filter((r) => r['ip.src'] === from).map((r) => unhex(r['tcp.payload'])).join('');
    expect(sent('192.0.2.12')).toBe('GET / HTTP/1.0\n\n');
    expect(sent('192.0.2.10')).toMatch(/^HTTP\/1\.0 200 OK\r\n[^]*\r\n\r\n<h1>hello from the web zone<\/h1>\n$/);
    expect(all.map((r) => r['http.request.method']).filter((m) => m !== '')).toEqual(['GET']);
    expect(all.map((r) => r['http.response.code']).filter((c) => c !== '')).toEqual(['200']);

    // UDP: one datagram from the vnet jail to the shared-IP jail's listener.
    expect(udp.map((r) => [r['ip.src'], r['ip.dst'], r['udp.dstport'], r['udp.payload']])).toEqual([['192.0.2.12', '192.0.2.11', '40000', hex('a datagram\n')]]);

    // ICMP: two echo requests to the zone's address, each answered (tshark pairs them).
    expect(icmp.map((r) => [r['ip.src'], r['icmp.type'], r['icmp.seq']])).toEqual([
      ['192.0.2.12', '8', '0'], ['192.0.2.10', '0', '0'], ['192.0.2.12', '8', '1'], ['192.0.2.10', '0', '1'],
    ]);
    expect(icmp[1]!['icmp.resp_to']).toBe(icmp[0]!['frame.number']);
    expect(icmp[3]!['icmp.resp_to']).toBe(icmp[2]!['frame.number']);

    // Timestamps come from the virtual clock: 1 tick = 1 ms after the epoch, within the run.
    for (const r of all) expect(Number(r['frame.time_epoch'])).toBeLessThanOrEqual(ticks / 1000);
    // ...and in order: a frame is recorded when it enters the switch, and kernel events (a
    // frame's arrival, its ACK) happen at their time, before anything a process does later.
    const times = all.map((r) => Number(r['frame.time_epoch']));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('has every checksum Good and nothing at warning level or above', () => {
    for (const r of rows()) {
      const ctx = JSON.stringify(r);
      expect(r['ip.checksum.status'], ctx).toBe(GOOD);
      const l4 = r['ip.proto'] === '6' ? 'tcp' : r['ip.proto'] === '17' ? 'udp' : 'icmp';
      expect(r[`${l4}.checksum.status`], ctx).toBe(GOOD);
      const severities = r['_ws.expert.severity'].split(',').filter((s) => s !== '').map(Number);
      expect(severities.every((s) => s < PI_WARN), ctx).toBe(true);
    }
    const expert = runTshark(['-r', file, ...CHECK_CHECKSUMS, '-q', '-z', 'expert']);
    expect(expert).not.toMatch(/Warns|Errors/);
    expect(expert).toMatch(/Connection establish request \(SYN\): server port 80/);
  });
});
