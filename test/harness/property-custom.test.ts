/**
 * Writing a property of one's own (the README's worked example): a cell renaming itself renames
 * no other cell. It is checked over the public API like the built-in ones, shrinks its failures,
 * and fails when the mechanism it relies on is switched off.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildWorld, runProperty, type Property } from '../../src/harness/index.js';
import { target } from './helpers.js';

const hostnamesStayPrivate: Property<{ readonly name: string }> = {
  name: 'hostnames-private',
  title: 'a cell renaming itself renames no other cell',
  doc: 'One cell sets a generated hostname; every other cell still reads the one it had.',
  relies: ['utsVirtualization'],
  input: () => fc.record({ name: fc.stringMatching(/^[a-z]{1,12}$/) }),
  async check({ name }, ctx) {
    const world = await buildWorld(ctx.target, { seed: ctx.seed, minCells: 2, unsafe: ctx.unsafe });
    const [actor, ...others] = world.cells;
    const read = () => Promise.all(others.map(async (c) => (await c.cell.exec(['hostname'])).stdout.trim()));
    const before = await read();
    await actor!.cell.exec(['hostname', name]); // refused where the policy says so: fine either way
    const after = await read();
    const renamed = others.map((c, i) => `${c.name}: ${before[i]} -> ${after[i]}`).filter((_, i) => after[i] !== before[i]);
    return renamed.length === 0 ? {} : { violation: { summary: `${actor!.name} renamed ${renamed.length} other cell(s)`, evidence: renamed } };
  },
  show: ({ name }) => [`hostname ${name}`],
};

describe('a custom property', () => {
  it('holds on the examples', async () => {
    for (const name of ['db.zone.json', 'demo.scenario.json']) {
      const t = await target(name);
      for (let seed = 1; seed <= 5; seed++) expect((await runProperty(hostnamesStayPrivate, t, seed)).status).toBe('pass');
    }
  });

  it('fails, shrunk to the shortest name, when cells share the host\'s UTS namespace', async () => {
    const r = await runProperty(hostnamesStayPrivate, await target('db.zone.json'), 1, { unsafe: ['utsVirtualization'] });
    expect(r.status).toBe('fail');
    expect(r.input).toEqual(['hostname a']); // fast-check shrank the name
    expect(r.evidence).toEqual(['db2: localhost -> a']);
    expect(r.replay).toBe('cellblock check db.zone.json --property hostnames-private --seed 1 --runs 1');
  });
});
