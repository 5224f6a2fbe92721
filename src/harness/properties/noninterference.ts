/**
 * Noninterference, after Goguen and Meseguer's purge: what a low cell observes must not depend on
 * what a high cell does. One run picks a high cell and gives every cell a generated program;
 * world A runs them all together, world B (same seed, same cells) runs them with the high cell's
 * program purged (the cell stays, idle). Every low program ends with a sweep of observations
 * (hostname, processes, cells, IPC keys, its files, statfs, the clock), during which the high
 * cell's process is still alive. Every other cell not inside or above the high one is low,
 * and its observations (each result its program's calls return) must be the same in A and B.
 * A difference is a channel: it passes only where the observation is tagged with a channel the
 * low cell's mechanisms declare (pid numbers, the clock, a shared filesystem's usage, a shared
 * stack's ports), and every channel declared is listed in the result with what went through it.
 * Owns nothing between runs.
 */
import fc from 'fast-check';
import type { Observation } from '../program.js';
import { programOf } from '../program.js';
import { describeOp, observationSweep, programArbitrary, swarmArbitrary, vocabulary, type Op } from '../gen.js';
import { buildWorld, hostPathsOf, related, worldSpecs, type Target, type World } from '../target.js';
import { declaredChannels, channelReports, kernelCell, type ChannelName } from '../channels.js';
import type { Outcome, Property, RunContext } from '../property.js';

export interface NoninterferenceInput {
  /** Index of the high cell in the world. */
  readonly high: number;
  /** One program per cell of the world. */
  readonly programs: readonly (readonly Op[])[];
}

/** Channels' evidence kept per run: enough to show, not to flood. */
const MAX_EVIDENCE = 6;

export const noninterference: Property<NoninterferenceInput> = {
  name: 'noninterference',
  title: 'a low cell observes the same whether a high cell acts or is purged',
  doc:
    'Goguen–Meseguer purge: every cell runs a generated program; the run is repeated with the high cell\'s program removed. ' +
    'Each low cell\'s observations (syscall results) must match, except through channels its mechanisms declare (listed in the report).',
  relies: ['utsVirtualization', 'procVisibility', 'ipcNamespaces', 'confinement'],
  input(target: Target) {
    const specs = worldSpecs(target, 2);
    const vocab = vocabulary(hostPathsOf(specs), ['low', 'high']);
    // The high cell acts with everything, for longer; the low ones draw from a narrow swarm.
    return fc.nat({ max: specs.length - 1 }).chain((high) =>
      swarmArbitrary(vocab).chain((swarm) =>
        fc.record({
          high: fc.constant(high),
          programs: fc.tuple(...specs.map((_, i) => (i === high ? programArbitrary(vocab, { maxLength: 16 }) : programArbitrary(swarm.vocab, { mix: swarm.mix, maxLength: 8 })))),
        }),
      ),
    );
  },
  async check(input, ctx) {
    const acting = await observe(ctx, input, true);
    const purged = await observe(ctx, input, false);
    return compare(acting, purged, input);
  },
  show(input) {
    return input.programs.flatMap((ops, i) => [`cell #${i}${i === input.high ? ' (high)' : ''}:`, ...ops.map((o) => `  ${describeOp(o)}`)]);
  },
};

interface Observed {
  readonly world: World;
  /** Observations per cell index; the high cell's only when it acted. */
  readonly seen: readonly Observation[][];
}

/**
 * Runs every cell's program together (the high cell's only when `highActs`). Low cells end with
 * the observation sweep; the high cell's process stays until they are done, so that what it is
 * (a live process) can show as well as what it did.
 */
async function observe(ctx: RunContext, input: NoninterferenceInput, highActs: boolean): Promise<Observed> {
  const world = await buildWorld(ctx.target, { seed: ctx.seed, minCells: 2, ...(ctx.unsafe === undefined ? {} : { unsafe: ctx.unsafe }) });
  const seen = world.cells.map((): Observation[] => []);
  const sweep = observationSweep(vocabulary(hostPathsOf(world.cells.map((c) => c.spec)), []));
  let lows = world.cells.length - 1;
  await Promise.all(
    world.cells.map((c, i) => {
      if (i !== input.high) {
        const low = programOf([...(input.programs[i] ?? []), ...sweep], seen[i]!, { pace: 1 });
        return c.cell.run(async (sys, argv, env) => {
          try {
            return await low(sys, argv, env);
          } finally {
            lows--;
          }
        }, [`gen-${c.name}`]);
      }
      if (!highActs) return undefined;
      const high = programOf(input.programs[i] ?? [], seen[i]!, { pace: 1 });
      return c.cell.run(async (sys, argv, env) => {
        const code = await high(sys, argv, env);
        while (lows > 0) await sys.sleep(5);
        return code;
      }, [`gen-${c.name}`]);
    }),
  );
  return { world, seen };
}

function compare(acting: Observed, purged: Observed, input: NoninterferenceInput): Outcome {
  const { world } = acting;
  const high = world.cells[input.high]!;
  const declaredBy = new Map<ChannelName, string[]>();
  const through = new Map<ChannelName, string[]>();
  const leaks: string[] = [];
  world.cells.forEach((low, i) => {
    if (i === input.high || related(low, high)) return;
    const cell = kernelCell(world.k, low.name);
    const declared = cell === undefined ? [] : declaredChannels(world.k, cell);
    for (const name of declared) declaredBy.set(name, [...(declaredBy.get(name) ?? []), low.name]);
    for (const d of differences(acting.seen[i]!, purged.seen[i]!)) {
      const line = `${low.name}: ${d.what}: ${d.a} (${high.name} acting) / ${d.b} (${high.name} purged)`;
      if (d.channel !== undefined && declared.includes(d.channel)) {
        const list = through.get(d.channel) ?? [];
        if (list.length < MAX_EVIDENCE) list.push(line);
        through.set(d.channel, list);
      } else leaks.push(d.channel === undefined ? line : `${line} [channel ${d.channel} not declared for ${low.name}]`);
    }
  });
  const channels = channelReports(through, declaredBy);
  if (leaks.length === 0) return { channels };
  return {
    channels,
    violation: { summary: `${high.name} interferes with what ${leakingCells(leaks)} observe${leaks.length === 1 ? 's' : ''}: ${leaks.length} undeclared difference${leaks.length === 1 ? '' : 's'}`, evidence: leaks.slice(0, 12) },
  };
}

function leakingCells(leaks: readonly string[]): string {
  return [...new Set(leaks.map((l) => l.slice(0, l.indexOf(':'))))].join(', ');
}

interface Difference {
  readonly what: string;
  readonly a: string;
  readonly b: string;
  readonly channel: ChannelName | undefined;
}

/**
 * The observations that differ, operation by operation, and within one operation result by
 * result (an operation that failed on one side only has fewer: the extra ones differ from
 * nothing). A pair counts as carried by a channel only when both sides tag it with that channel.
 */
export function differences(a: readonly Observation[], b: readonly Observation[]): Difference[] {
  const out: Difference[] = [];
  const byStep = (list: readonly Observation[]): Map<number, Observation[]> => {
    const m = new Map<number, Observation[]>();
    for (const o of list) m.set(o.step, [...(m.get(o.step) ?? []), o]);
    return m;
  };
  const stepsA = byStep(a);
  const stepsB = byStep(b);
  const steps = [...new Set([...stepsA.keys(), ...stepsB.keys()])].sort((x, y) => x - y);
  for (const step of steps) {
    const xs = stepsA.get(step) ?? [];
    const ys = stepsB.get(step) ?? [];
    for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
      const x = xs[i];
      const y = ys[i];
      if (x !== undefined && y !== undefined && x.result === y.result) continue;
      // One side missing: the pair before it already shows how the operation diverged.
      const channel = x === undefined || y === undefined ? (x ?? y)?.channel : x.channel === y.channel ? x.channel : undefined;
      out.push({ what: `#${step} ${x?.what ?? y?.what ?? '?'}`, a: x?.result ?? '(nothing)', b: y?.result ?? '(nothing)', channel });
    }
  }
  return out;
}
