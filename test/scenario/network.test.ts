/**
 * A scenario's network: the host's address, extra switches, per-link latency and loss set when
 * a cell starts, the capture of a switch, and console lines (zoneadm's warnings) in the
 * transcript.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenario/run.js';
import { validateScenario } from '../../src/spec/index.js';

async function run(value: unknown, pcap?: (chunk: Uint8Array) => void): Promise<{ lines: string[]; failed: number }> {
  const checked = validateScenario(value);
  if (!checked.ok) throw new Error(checked.errors.join('\n'));
  const lines: string[] = [];
  const r = await runScenario(checked.scenario, { out: (line) => lines.push(line), ...(pcap === undefined ? {} : { pcap }) });
  return { lines, failed: r.failed };
}

/** A vnet jail on `sw` with `address`, configured by exec.start. */
const vnet = (name: string, address: string, sw = 'lab'): Record<string, unknown> => ({
  kind: 'jail', name, path: `/jails/${name}`, rootfs: 'minimal', persist: true, vnet: 'new',
  'vnet.interface': [`epair0b@${sw}`], 'exec.start': `ifconfig epair0b inet ${address}/24 up`,
});

describe('scenario networks', () => {
  it('links vnet jails by a switch of their own, with its latency and a link\'s own', async () => {
    const r = await run({
      switches: [{ name: 'lab', latency: 2 }],
      links: [{ cell: 'c', latency: 5 }],
      cells: [vnet('a', '10.0.0.1'), vnet('b', '10.0.0.2'), vnet('c', '10.0.0.3')],
      steps: [
        { start: 'a' }, { start: 'b' }, { start: 'c' },
        // Four traversals of 2-tick links, 8 ms, and 2 of ping's own; c's link takes 5 ticks each way: 6 more.
        { cell: 'a', run: 'ping -c 1 10.0.0.2', expect: { stdoutContains: 'time=10.000 ms' } },
        { cell: 'a', run: 'ping -c 1 10.0.0.3', expect: { stdoutContains: 'time=16.000 ms' } },
        // The host has no interface on lab: the jails are not reachable from it.
        { cell: 'host', run: 'ping -c 1 10.0.0.1', expect: { exitCode: 2 } },
      ],
    });
    expect(r.lines.slice(0, 2)).toEqual(['# scenario (seed 1)', '- switch lab (latency 2)']);
    expect(r.failed).toBe(0);
  });

  it('gives the host the scenario\'s address, and a link that loses every frame loses the ping', async () => {
    const r = await run({
      network: { address: '198.51.100.1/24', latency: 1 },
      links: [{ cell: 'v', interface: 'epair0b', loss: 1 }],
      cells: [
        { kind: 'jail', name: 'j', path: '/jails/j', rootfs: 'minimal', persist: true, 'ip4.addr': ['198.51.100.10'] },
        { ...vnet('v', '198.51.100.20', 'default'), 'vnet.interface': ['epair0b'] },
      ],
      steps: [
        { start: 'j' }, { start: 'v' },
        { cell: 'host', run: 'ifconfig em0', expect: { stdoutContains: 'inet 198.51.100.1 netmask 0xffffff00' } },
        { cell: 'j', run: 'nc -z 198.51.100.1 1', expect: { exitCode: 1 } },
        { cell: 'v', run: 'ping -c 1 -t 1 198.51.100.1', expect: { exitCode: 2, stdoutContains: '100.0% packet loss' } },
      ],
    });
    expect(r.lines).toContain('- host 198.51.100.1/24 (latency 1)');
    expect(r.failed).toBe(0);
  });

  it('streams the captured switch as a pcap file: the header, then a record per frame', async () => {
    const chunks: Uint8Array[] = [];
    const r = await run({
      switches: [{ name: 'lab' }],
      pcap: { switch: 'lab', file: 'unused.pcap' },
      cells: [vnet('a', '10.0.0.1'), vnet('b', '10.0.0.2')],
      steps: [{ start: 'a' }, { start: 'b' }, { cell: 'a', run: 'ping -c 2 10.0.0.2' }, { cell: 'host', run: 'ping -c 1 192.0.2.1' }],
    }, (chunk) => chunks.push(chunk));
    expect(r.lines).toContain('- capture switch lab');
    expect(r.failed).toBe(0);
    const file = Buffer.concat(chunks);
    expect(file.readUInt32LE(0)).toBe(0xa1b2c3d4);
    // Two echo requests and two replies, 98 bytes each on the wire; the host's ping never left its stack.
    expect(chunks.length).toBe(5);
    expect(file.length).toBe(24 + 4 * (16 + 98));
  });

  it('shows zoneadm\'s warning about a missing interface on the console, in the transcript', async () => {
    const r = await run({
      cells: [{ kind: 'zone', zonename: 'z', zonepath: '/zones/z', rootfs: 'minimal', net: [{ address: '192.0.2.30/24', physical: 'bge0' }] }],
      steps: [{ start: 'z' }],
    });
    expect(r.lines).toEqual([
      '# scenario (seed 1)',
      '- define zone z: configured',
      '- start z',
      "[console] WARNING: skipping network interface 'bge0' which may not be present/plumbed in the global zone.",
      '1 passed, 0 failed',
    ]);
  });
});
