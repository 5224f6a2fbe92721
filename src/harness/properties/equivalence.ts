/**
 * Equivalence (Popek and Goldberg's first property): a program behaves in a cell as it does on
 * the bare host. A corpus of userland scripts (src/harness/corpus.ts: fixed ones and generated
 * ones) runs on the host and in one cell, each in its own scratch directory; exit status,
 * standard output and standard error must match modulo the declared differences (each side's
 * own hostname, each side's own root, pids never printed). Owns nothing between runs.
 */
import fc from 'fast-check';
import { buildWorld, type Target } from '../target.js';
import { configuredHostname, DECLARED_DIFFERENCES, FIXED_SCRIPTS, HOSTNAME_SCRIPTS, prepare, runScript, scriptArbitrary, type Side } from '../corpus.js';
import type { Property } from '../property.js';
import type { World } from '../target.js';

export interface CorpusInput {
  /** Index of the cell (of the target's own cells). */
  readonly cell: number;
  /** Which fixed scripts this run takes (indexes into the fixed corpus, hostname scripts last). */
  readonly fixed: readonly number[];
  /** Generated scripts, run after the fixed ones. */
  readonly scripts: readonly string[];
}

/** A few fixed scripts and a few generated ones per run: many runs cover the whole corpus. */
export function corpusInput(target: Target): fc.Arbitrary<CorpusInput> {
  const fixed = [...FIXED_SCRIPTS, ...HOSTNAME_SCRIPTS].map((_, i) => i);
  return fc.record({
    cell: fc.nat({ max: target.cells.length - 1 }),
    fixed: fc.subarray(fixed, { minLength: 2, maxLength: 4 }),
    scripts: fc.array(scriptArbitrary(), { minLength: 1, maxLength: 3 }),
  });
}

export function showCorpus(input: CorpusInput): string[] {
  const all = [...FIXED_SCRIPTS, ...HOSTNAME_SCRIPTS];
  return [`cell #${input.cell}, scripts:`, ...input.fixed.map((i) => `  ${all[i]}`), ...input.scripts.map((s) => `  ${s}`)];
}

/** The host and the cell of a corpus run, prepared, and the run's scripts. */
export async function corpusSides(world: World, input: CorpusInput): Promise<{ host: Side; cell: Side; scripts: string[] }> {
  const c = world.cells[input.cell]!;
  const host: Side = { label: 'host', api: world.k.host, hostname: world.k.hostCell.ns.uts.hostname };
  const cell: Side = { label: c.name, api: c.cell, hostname: configuredHostname(c.spec) };
  await prepare(host);
  await prepare(cell);
  // A cell with no hostname of its own prints an empty one: no hostname scripts there.
  const all = cell.hostname === '' ? FIXED_SCRIPTS : [...FIXED_SCRIPTS, ...HOSTNAME_SCRIPTS];
  const fixed = input.fixed.map((i) => all[i]).filter((s): s is string => s !== undefined);
  return { host, cell, scripts: [...fixed, ...input.scripts] };
}

export const equivalence: Property<CorpusInput> = {
  name: 'equivalence',
  title: 'the userland gives the same outputs in a cell as on the host',
  doc: `A corpus of shell scripts over the userland runs on the host and in the cell; outputs and statuses must match, modulo: ${DECLARED_DIFFERENCES.join('; ')}.`,
  relies: ['utsVirtualization', 'confinement'],
  input: corpusInput,
  async check(input, ctx) {
    const world = await buildWorld(ctx.target, { seed: ctx.seed, ...(ctx.unsafe === undefined ? {} : { unsafe: ctx.unsafe }) });
    const { host, cell, scripts } = await corpusSides(world, input);
    const problems: string[] = [];
    for (const script of scripts) {
      const a = await runScript(host, script);
      const b = await runScript(cell, script);
      if (a.exitCode !== b.exitCode) problems.push(`${script}: exit ${a.exitCode} on the host, ${b.exitCode} in ${cell.label}`);
      if (a.stdout !== b.stdout) problems.push(`${script}: stdout ${JSON.stringify(a.stdout)} on the host, ${JSON.stringify(b.stdout)} in ${cell.label}`);
      if (a.stderr !== b.stderr) problems.push(`${script}: stderr ${JSON.stringify(a.stderr)} on the host, ${JSON.stringify(b.stderr)} in ${cell.label}`);
    }
    if (problems.length === 0) return {};
    return { violation: { summary: `${cell.label} differs from the host on ${problems.length} output${problems.length === 1 ? '' : 's'}`, evidence: problems.slice(0, 10) } };
  },
  show: showCorpus,
};
