/**
 * `cellblock check`: the command as a user runs it (a real process), and its checkCommand with
 * mechanisms switched off (a test-only argument the command line cannot reach) to see a
 * violation reported with the command that replays it, and a fuzz scenario written to disk.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCommand, type CheckArgs } from '../../cmd/check.js';
import { PROPERTY_NAMES } from '../../src/harness/index.js';
import { runScenario } from '../../src/scenario/run.js';
import { validateScenario } from '../../src/spec/index.js';
import { cellblock as run, type CliResult } from '../cli/cellblock.js';
import { EXAMPLE } from './property-helpers.js';

const WWW = EXAMPLE('www.jail.json');

function cellblock(args: string[]): CliResult {
  return run(args, { timeout: 120_000 });
}

/** Runs checkCommand with output collected. */
async function check(args: Partial<CheckArgs>): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await checkCommand({
    targets: [],
    properties: [],
    seed: 1,
    runs: 1,
    workers: 1,
    shard: undefined,
    json: false,
    out: { write: (text: string) => (stdout += text) },
    err: { write: (text: string) => (stderr += text) },
    ...args,
  });
  return { status, stdout, stderr };
}

const savedDir = process.env.CELLBLOCK_CHECK_DIR;
afterEach(() => {
  if (savedDir === undefined) delete process.env.CELLBLOCK_CHECK_DIR;
  else process.env.CELLBLOCK_CHECK_DIR = savedDir;
});

describe('cellblock check', () => {
  it('runs every property 20 times on a spec with two workers, all passing, and reports its rate', () => {
    const r = cellblock(['check', WWW, '--runs', '20', '--workers', '2']);
    expect(r.status).toBe(0);
    for (const name of PROPERTY_NAMES) expect(r.stdout).toMatch(new RegExp(`^${name} +\\S*www\\.jail\\.json +20 +20 +0 +0 `, 'm'));
    expect(r.stdout).toContain(`${PROPERTY_NAMES.length * 20} runs: ${PROPERTY_NAMES.length * 20} passed, 0 failed, 0 errors: all properties hold`);
    expect(r.stdout).toMatch(/^rate: 140 runs in [\d.]+ s, [\d.]+ runs\/s, 2 workers$/m);
    expect(r.stdout).toMatch(/^ {2}pid-numbers \(\S*www\.jail\.json: www2?(, www2?)?\): process visibility without a pid namespace/m);
    expect(r.stderr).toContain('check: 140/140 runs, 0 failed'); // plain progress lines off a terminal
  }, 120000);

  it('prints JSON with --json, and splits the runs exactly with --shard', async () => {
    const json = async (shard?: string): Promise<{ runs: number; passed: number; rows: unknown[]; rate: number }> => {
      const r = await check({ targets: [WWW], properties: ['equivalence'], runs: 6, json: true, shard });
      expect(r.status).toBe(0);
      return JSON.parse(r.stdout) as { runs: number; passed: number; rows: unknown[]; rate: number };
    };
    const all = await json();
    expect(all).toMatchObject({ runs: 6, passed: 6, failed: 0, errors: 0, shard: { index: 1, count: 1 } });
    expect(all.rows).toHaveLength(1);
    expect(all.rate).toBeGreaterThan(0);
    const shards = await Promise.all(['1/3', '2/3', '3/3'].map(json));
    expect(shards.map((s) => s.runs)).toEqual([2, 2, 2]);
  });

  it('refuses bad usage with status 2', async () => {
    expect(cellblock(['check', '--property', 'integrety'])).toMatchObject({ status: 2, stderr: expect.stringContaining('no property "integrety" (did you mean "integrity"?)') });
    expect(await check({ shard: '3/2' })).toMatchObject({ status: 2, stderr: expect.stringContaining('--shard takes I/N') });
    expect(await check({ runs: 0 })).toMatchObject({ status: 2, stderr: expect.stringContaining('--runs') });
    expect(await check({ targets: ['/no/such.json'] })).toMatchObject({ status: 2, stderr: expect.stringContaining('/no/such.json: cannot read') });
  });

  it('reports a violation with its evidence and the command that replays it, which fails the same way', async () => {
    const r = await check({ targets: [WWW], properties: ['integrity'], runs: 12, unsafe: ['confinement'] });
    expect(r.status).toBe(1);
    const m = /^ {2}replay: cellblock check (\S+) --property integrity --seed (\d+) --runs 1$/m.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(r.stdout).toMatch(/^VIOLATION integrity on \S+, seed \d+: www2? changed \d+ things? outside itself$/m);
    expect(r.stdout).toMatch(/^ {4}files [-+] \//m);
    const again = await check({ targets: [m![1]!], properties: ['integrity'], seed: Number(m![2]), runs: 1, unsafe: ['confinement'] });
    expect(again.status).toBe(1);
    expect(again.stdout).toContain(`seed ${m![2]}:`);
    expect((await check({ targets: [m![1]!], properties: ['integrity'], seed: Number(m![2]), runs: 1 })).status).toBe(0);
  });

  it('writes a fuzz failure as a scenario file that replays it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cellblock-check-'));
    process.env.CELLBLOCK_CHECK_DIR = dir;
    const r = await check({ targets: [EXAMPLE('demo.scenario.json')], properties: ['fuzz'], runs: 4, unsafe: ['confinement'] });
    expect(r.status).toBe(1);
    const m = /^ {2}scenario: (\S+\.scenario\.json) \(cellblock run \1\)$/m.exec(r.stdout);
    expect(m).not.toBeNull();
    const checked = validateScenario(JSON.parse(readFileSync(m![1]!, 'utf8')));
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    // On a sound kernel the scenario passes: every expectation is an invariant, not a recording.
    expect((await runScenario(checked.scenario, { out: () => {} })).failed).toBe(0);
  });
});
