/**
 * The harness's parts on their own: copies of specs, observation diffs and channel tags,
 * generated programs' observations, the plan and its shards, the report, and what a run does
 * with a failing or throwing property.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/index.js';
import { copySpec, worldSpecs, buildWorld, type Target } from '../../src/harness/target.js';
import { differences } from '../../src/harness/properties/noninterference.js';
import { programOf, type Observation } from '../../src/harness/program.js';
import { planJobs, shardJobs, parseShard } from '../../src/harness/jobs.js';
import { summarize, summaryText } from '../../src/harness/report.js';
import { runProperty, type Property, type RunResult } from '../../src/harness/property.js';
import { declaredChannels, kernelCell } from '../../src/harness/channels.js';
import { lacking, stepCommand } from '../../src/harness/fuzz.js';
import { observationSweep, vocabulary } from '../../src/harness/gen.js';
import type { CellSpec, JailSpec } from '../../src/spec/index.js';

const JAIL: JailSpec = {
  kind: 'jail', name: 'www', path: '/jails/www', rootfs: 'minimal', 'ip4.addr': ['em0|192.0.2.10/24'],
  'exec.start': 'echo up on 192.0.2.10; echo not 192.0.2.100', rctl: ['jail:www:maxproc:deny=20'],
};

describe('copies of specs', () => {
  it('renames a jail, moves its path, its addresses (in every string) and its rctl rules', () => {
    const copy = copySpec(JAIL, 1, [JAIL]) as JailSpec;
    expect(copy).toMatchObject({ name: 'www2', path: '/jails/www2', 'ip4.addr': ['em0|192.0.2.110/24'], rctl: ['jail:www2:maxproc:deny=20'] });
    expect(copy['exec.start']).toBe('echo up on 192.0.2.110; echo not 192.0.2.100');
  });

  it('skips addresses the world uses, and moves a zone\'s zonepath', () => {
    const taken: JailSpec = { ...JAIL, name: 'other', path: '/jails/other', 'ip4.addr': ['192.0.2.110'] };
    expect((copySpec(JAIL, 1, [JAIL, taken]) as JailSpec)['ip4.addr']).toEqual(['em0|192.0.2.210/24']); // 110 is taken: another 100 up
    const zone: CellSpec = { kind: 'zone', zonename: 'db', zonepath: '/zones/db' };
    expect(copySpec(zone, 2, [zone])).toMatchObject({ zonename: 'db3', zonepath: '/zones/db3' });
  });

  it('copies top-level cells until a world has enough, and the copies come up beside the originals', async () => {
    const t: Target = { name: 't', kind: 'spec', cells: [JAIL] };
    expect(worldSpecs(t, 3).map((s) => (s as JailSpec).name)).toEqual(['www', 'www2', 'www3']);
    const world = await buildWorld(t, { seed: 1, minCells: 2 });
    expect(world.cells.map((c) => [c.name, c.root, c.cell.state])).toEqual([['www', '/jails/www', 'running'], ['www2', '/jails/www2', 'running']]);
  });
});

describe('observations', () => {
  it('records results and errnos per operation, tagging the ones a declared channel may carry', async () => {
    const k = await Kernel.boot({ seed: 1 });
    const seen: Observation[] = [];
    await k.host.run(programOf([{ op: 'write', path: '/tmp/x', data: 'alpha', append: false }, { op: 'read', path: '/tmp/x' }, { op: 'read', path: '/nope' }, { op: 'getpid' }, { op: 'time' }], seen));
    expect(seen.map((o) => [o.step, o.result, o.channel])).toEqual([
      [0, 'ok', undefined],
      [1, '"alpha\\n"', undefined],
      [2, 'ENOENT', undefined],
      [3, expect.stringMatching(/^\d+$/), 'pid-numbers'],
      [4, expect.stringMatching(/^ticks \d+$/), 'clock'],
      [4, expect.stringMatching(/^wall \d+$/), 'clock'],
    ]);
  });

  it('counts a difference as a channel\'s only when both sides tag it so', () => {
    const o = (step: number, result: string, channel?: Observation['channel']): Observation => (channel === undefined ? { step, what: 'x', result } : { step, what: 'x', result, channel });
    expect(differences([o(0, 'ok'), o(1, '5', 'pid-numbers')], [o(0, 'ok'), o(1, '6', 'pid-numbers')])).toEqual([{ what: '#1 x', a: '5', b: '6', channel: 'pid-numbers' }]);
    expect(differences([o(0, 'pid 5', 'pid-numbers'), o(0, 'exit 0')], [o(0, 'EAGAIN')])).toEqual([
      { what: '#0 x', a: 'pid 5', b: 'EAGAIN', channel: undefined },
      { what: '#0 x', a: 'exit 0', b: '(nothing)', channel: undefined },
    ]);
    expect(differences([o(0, 'a')], [o(0, 'a')])).toEqual([]);
  });

  it('sweeps every key of the vocabulary', () => {
    const sweep = observationSweep(vocabulary([], []));
    expect(sweep.filter((op) => op.op === 'msgget').map((op) => (op.op === 'msgget' ? op.key : 0))).toEqual([7, 42, 1234]);
  });

  it('declares the channels of a cell\'s mechanisms: a jail on the host\'s filesystem shares its usage', async () => {
    const world = await buildWorld({ name: 't', kind: 'spec', cells: [{ kind: 'jail', name: 'j', path: '/jails/j', rootfs: 'minimal' }] }, { seed: 1 });
    expect(declaredChannels(world.k, kernelCell(world.k, 'j')!)).toEqual(['pid-numbers', 'clock', 'fs-usage']);
  });
});

describe('plans and shards', () => {
  const plan = { targets: ['a.json', 'b.json'], properties: ['integrity', 'fuzz'], seed: 5, runs: 3 };

  it('numbers runs target by target, property by property, seed N + i', () => {
    const jobs = planJobs(plan);
    expect(jobs).toHaveLength(12);
    expect(jobs.slice(0, 4).map((j) => [j.target, j.property, j.seed])).toEqual([['a.json', 'integrity', 5], ['a.json', 'integrity', 6], ['a.json', 'integrity', 7], ['a.json', 'fuzz', 5]]);
  });

  it('splits the runs into disjoint shards that cover the plan', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), (n) => {
        const jobs = planJobs(plan);
        const shards = Array.from({ length: n }, (_, i) => shardJobs(jobs, i + 1, n));
        expect(shards.flat().map((j) => j.index).sort((a, b) => a - b)).toEqual(jobs.map((j) => j.index));
        expect(Math.max(...shards.map((s) => s.length)) - Math.min(...shards.map((s) => s.length))).toBeLessThanOrEqual(1);
      }),
    );
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'x', '1/2/3']) expect(parseShard(bad)).toBeUndefined();
  });
});

describe('runs and reports', () => {
  const t: Target = { name: 'www.json', kind: 'spec', cells: [JAIL] };
  const small: Property<number> = {
    name: 'small',
    title: 'numbers stay below 10',
    doc: 'a made-up property',
    relies: [],
    input: () => fc.integer({ min: 0, max: 1000 }),
    check: async (n) => (n < 10 ? {} : { violation: { summary: `${n} is not below 10`, evidence: [String(n)] } }),
    show: (n) => [String(n)],
  };

  it('shrinks a failure to its smallest input and names the command that replays it', async () => {
    const failing = (await Promise.all([1, 2, 3, 4, 5].map((seed) => runProperty(small, t, seed)))).find((r) => r.status === 'fail')!;
    expect(failing).toMatchObject({ status: 'fail', summary: '10 is not below 10', input: ['10'], replay: `cellblock check www.json --property small --seed ${failing.seed} --runs 1` });
    expect(failing.shrinks).toBeGreaterThan(0);
  });

  it('reports a property that throws as an error, not a pass', async () => {
    const broken: Property<number> = { ...small, check: async () => Promise.reject(new Error('harness bug')) };
    expect(await runProperty(broken, t, 1)).toMatchObject({ status: 'error', summary: 'threw: Error: harness bug' });
  });

  it('summarizes runs per property and target, with every violation and its replay', () => {
    const base = { property: 'p', target: 't', evidence: [], input: [], channels: [], metrics: {}, artifacts: [], replay: 'cellblock check t --property p --seed 2 --runs 1', shrinks: 0 };
    const results: RunResult[] = [
      { ...base, seed: 1, status: 'pass', metrics: { share: 0.9 } },
      { ...base, seed: 2, status: 'fail', summary: 'broke', evidence: ['line'], metrics: { share: 0.5 } },
    ];
    const s = summarize(results);
    expect(s).toMatchObject({ runs: 2, passed: 1, failed: 1, errors: 0 });
    expect(s.rows[0]).toMatchObject({ runs: 2, passed: 1, failed: 1, metrics: { share: { min: 0.5, max: 0.9 } } });
    const text = summaryText(s);
    expect(text).toContain('VIOLATION p on t, seed 2: broke\n    line\n  replay: cellblock check t --property p --seed 2 --runs 1\n');
    expect(text).toMatch(/2 runs: 1 passed, 1 failed, 0 errors: 1 violation, 0 errors\n$/);
  });

  it('wraps a fuzz command so that its errors are output and its status is 0', () => {
    expect(stepCommand('cat /nope')).toBe('{ cat /nope; } 2>&1; true');
  });

  it('expresses "prints none of these secrets" as a regular expression a scenario can hold', () => {
    const re = new RegExp(lacking(['zq1xkh', 'zq1xkc1']), 'm'); // as `cellblock run` compiles stdoutMatches
    expect(re.test('ok\nzq1xkc0\n')).toBe(true); // its own secret is fine
    expect(re.test('first line\nzq1xkh\n')).toBe(false);
    expect(re.test('zq1xkc1')).toBe(false);
    expect(re.test('')).toBe(true);
  });
});
