/**
 * The CLI and the network: `run --pcap FILE` writes the same capture the API gives, the host's
 * address (`--network`) is kept in the state directory and every cell is checked against it,
 * and `list`/`inspect` show addresses.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenario/run.js';
import { loadScenarioFile } from '../../src/spec/index.js';
import { cellblock, freshState, type CliResult } from './cellblock.js';

const WEB = fileURLToPath(new URL('../../specs/examples/web.scenario.json', import.meta.url));

function cli(state: string, args: string[]): CliResult {
  return cellblock(args, { state });
}

const fresh = (): string => freshState('cellblock-net-');

interface ListRow {
  readonly name: string;
  readonly addresses: string[];
}

const addresses = (state: string): Record<string, string[]> =>
  Object.fromEntries((JSON.parse(cli(state, ['list', '--json']).stdout) as ListRow[]).map((r) => [r.name, r.addresses]));

describe('cellblock run --pcap', () => {
  it('writes the captured switch\'s traffic, byte for byte what the API captures with the same seed', { timeout: 60000 }, async () => {
    const state = fresh();
    const file = join(state, 'web.pcap');
    const r = cli(state, ['run', WEB, '--pcap', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('- capture switch default\n');
    const loaded = await loadScenarioFile(WEB);
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const chunks: Uint8Array[] = [];
    await runScenario(loaded.scenario, { out: () => undefined, pcap: (chunk) => chunks.push(chunk) });
    const written = readFileSync(file);
    expect(written.length).toBeGreaterThan(24);
    expect(written.equals(Buffer.concat(chunks))).toBe(true);
  });

  it('says why it cannot write the file, with status 1', () => {
    const state = fresh();
    const r = cli(state, ['run', WEB, '--pcap', join(state, 'no', 'such', 'dir', 'x.pcap')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`cellblock run: cannot write ${join(state, 'no', 'such', 'dir', 'x.pcap')}: no such file or directory\n`);
  });
});

describe('the host\'s network in the state directory', () => {
  it('keeps --network, checks every cell against it, and lists and inspects addresses', { timeout: 90000 }, () => {
    const state = fresh();
    const spec = join(state, 'www.json');
    writeFileSync(spec, JSON.stringify({ kind: 'jail', name: 'www', path: '/jails/www', rootfs: 'minimal', persist: true, 'ip4.addr': ['192.0.2.10', '192.0.2.11'] }));
    expect(cli(state, ['create', spec]).status).toBe(0);
    // Down: the addresses its spec declares; up: those its network view has.
    const list = cli(state, ['list']).stdout.split('\n');
    expect(list[0]).toMatch(/^NAME +KIND +STATE +ID +PARENT +HOSTNAME +ADDRESSES +PATH$/);
    expect(list[1]).toMatch(/^host +host +running +0 +- +localhost +192\.0\.2\.1 +\/$/);
    expect(list[2]).toMatch(/^www +jail +defined +- +host +- +192\.0\.2\.10,192\.0\.2\.11 +\/jails\/www$/);
    expect(cli(state, ['start', 'www']).status).toBe(0);
    expect((JSON.parse(cli(state, ['inspect', 'www', '--json']).stdout) as { addresses: string[] }).addresses).toEqual(['192.0.2.10', '192.0.2.11']);

    // A host address whose subnet leaves www's addresses out: refused, nothing saved.
    const moved = cli(state, ['--network', '198.51.100.1/24', 'list']);
    expect(moved.status).toBe(2);
    expect(moved.stderr).toBe([
      'www: "ip4.addr[0]": 192.0.2.10 is not in a subnet of the host\'s (198.51.100.0/24)',
      'www: "ip4.addr[1]": 192.0.2.11 is not in a subnet of the host\'s (198.51.100.0/24)',
      '',
    ].join('\n'));
    expect(addresses(state).host).toEqual(['192.0.2.1']);

    // Without the jail it is taken, and kept for the next invocations.
    expect(cli(state, ['destroy', 'www']).status).toBe(0);
    expect(cli(state, ['--network', '198.51.100.1/24', 'list']).status).toBe(0);
    expect(addresses(state)).toEqual({ host: ['198.51.100.1'] });
    expect(cli(state, ['create', spec])).toMatchObject({ status: 2, stderr: expect.stringContaining('192.0.2.10 is not in a subnet of the host\'s (198.51.100.0/24)') as string });
  });

  it('refuses a malformed --network as a usage error, changing nothing; console lines go to stderr', () => {
    const state = fresh();
    const spec = join(state, 'z.json');
    writeFileSync(spec, JSON.stringify({ kind: 'zone', zonename: 'z', zonepath: '/zones/z', net: [{ address: '192.0.2.30/24', physical: 'bge0' }] }));
    expect(cli(state, ['create', spec, '--start'])).toMatchObject({
      status: 0,
      stdout: 'z: running\n',
      stderr: "WARNING: skipping network interface 'bge0' which may not be present/plumbed in the global zone.\n",
    });
    expect(cli(state, ['--network', '198.51.100.1', 'list'])).toMatchObject({
      status: 2,
      stderr: 'cellblock: --network must be a unicast IPv4 address with a /prefix, such as 192.0.2.1/24 (got "198.51.100.1")\n',
    });
    expect(addresses(state)).toEqual({ host: ['192.0.2.1'], z: [] });
  });
});
