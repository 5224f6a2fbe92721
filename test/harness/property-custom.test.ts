/**
 * Writing a property of one's own: the README's worked example ("Isolation harness", "Writing a
 * property"), verbatim. It is checked over the public API like the built-in ones, passes on the
 * example, shrinks its failure, and fails when the mechanism it relies on is switched off.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { buildWorld, loadTarget, runProperty, type Property } from '../../src/harness/index.js';
import { readFileSync } from 'node:fs';

/** A cell renaming itself renames no other cell. */
const hostnamesStayPrivate: Property<{ readonly name: string }> = {
  name: 'hostnames-private',
  title: 'a cell renaming itself renames no other cell',
  doc: 'One cell sets a generated hostname; every other cell still reads the one it had.',
  relies: ['utsVirtualization'],
  input: () => fc.record({ name: fc.stringMatching(/^[a-z]{1,12}$/) }),
  async check({ name }, ctx) {
    // ctx: the target, the run's seed, and (tests only) mechanisms to switch off.
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

it('fails, shrunk to the shortest name, when cells share the host\'s UTS namespace', async () => {
  const loaded = await loadTarget('specs/examples/db.zone.json', 'db.zone.json');
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  for (let seed = 1; seed <= 5; seed++) expect((await runProperty(hostnamesStayPrivate, loaded.target, seed)).status).toBe('pass');
  const r = await runProperty(hostnamesStayPrivate, loaded.target, 1, { unsafe: ['utsVirtualization'] });
  expect(r).toMatchObject({ status: 'fail', input: ['hostname a'], evidence: ['db2: localhost -> a'] });
});

it('is the README\'s example, word for word', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const self = readFileSync(new URL(import.meta.url), 'utf8');
  const example = self.slice(self.indexOf("import fc from 'fast-check';"), self.indexOf("\nit('is the README"));
  expect(readme).toContain(example.replace("import { readFileSync } from 'node:fs';\n", '').trim());
});
