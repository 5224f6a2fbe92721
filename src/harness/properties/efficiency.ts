/**
 * Efficiency (Popek and Goldberg's third property): most of what a cell's programs do runs
 * directly, and running inside costs no more virtual time than running outside. The corpus of
 * equivalence (src/harness/corpus.ts) runs on the host and in one cell with the syscall trace
 * on; from the trace, the share of the cell's calls that completed without a privilege gate or
 * emulation (the row has no gate and is not answered from a virtualized namespace: Popek and
 * Goldberg's innocuous instructions, plus calls merely confined to the cell's view), and the
 * virtual ticks inside over the ticks outside. It holds when the share is at least MIN_DIRECT
 * and the overhead at most MAX_OVERHEAD; both are reported as metrics. Owns nothing between runs.
 */
import { SYSCALL_BY_NAME } from '../../kernel/syscall-table.js';
import { buildWorld } from '../target.js';
import { runScript, type Side } from '../corpus.js';
import type { Property } from '../property.js';
import { corpusInput, corpusSides, showCorpus, type CorpusInput } from './equivalence.js';

/** Lowest acceptable share of a cell's calls that run directly. */
export const MIN_DIRECT = 0.5;
/** Highest acceptable ratio of virtual ticks inside to ticks outside. */
export const MAX_OVERHEAD = 1.1;

/** Does a call of this name run directly: no privilege gate, no emulation? */
export function runsDirectly(call: string): boolean {
  const row = SYSCALL_BY_NAME.get(call);
  return row !== undefined && row.gate === undefined && !row.mediation.includes('virtualized');
}

export const efficiency: Property<CorpusInput> = {
  name: 'efficiency',
  title: 'a cell\'s calls mostly run directly, at no extra virtual time',
  doc:
    `The corpus runs on the host and in the cell under the syscall trace: at least ${MIN_DIRECT * 100}% of the cell's calls must complete ` +
    `without a privilege gate or emulation, and its virtual time must be at most ${MAX_OVERHEAD}x the host's.`,
  relies: ['directExecution'],
  input: corpusInput,
  async check(input, ctx) {
    const events: { cell: string; call: string }[] = [];
    const trace = (line: string): void => {
      const e = JSON.parse(line) as { cell?: unknown; call?: unknown };
      if (typeof e.cell === 'string' && typeof e.call === 'string') events.push({ cell: e.cell, call: e.call });
    };
    const world = await buildWorld(ctx.target, { seed: ctx.seed, trace, ...(ctx.unsafe === undefined ? {} : { unsafe: ctx.unsafe }) });
    const { host, cell, scripts } = await corpusSides(world, input);
    const ticks = async (side: Side): Promise<number> => {
      const start = world.k.now;
      for (const script of scripts) await runScript(side, script);
      return world.k.now - start;
    };
    events.length = 0;
    const outside = await ticks(host);
    const mark = events.length;
    const inside = await ticks(cell);
    const calls = events.slice(mark).filter((e) => e.cell === cell.label);
    const direct = calls.filter((e) => runsDirectly(e.call)).length;
    const share = calls.length === 0 ? 1 : direct / calls.length;
    const overhead = outside === 0 ? 1 : inside / outside;
    const metrics = { calls: calls.length, direct, share: round(share), ticksInside: inside, ticksOutside: outside, overhead: round(overhead) };
    const problems: string[] = [];
    if (share < MIN_DIRECT) problems.push(`only ${(share * 100).toFixed(1)}% of ${calls.length} calls ran directly (at least ${MIN_DIRECT * 100}% expected)`);
    if (overhead > MAX_OVERHEAD) problems.push(`${inside} ticks inside against ${outside} outside: overhead ${overhead.toFixed(2)}x (at most ${MAX_OVERHEAD}x expected)`);
    if (problems.length === 0) return { metrics };
    return { metrics, violation: { summary: `${cell.label}: ${problems.join('; ')}`, evidence: [...problems, ...mediatedCalls(calls)] } };
  },
  show: showCorpus,
};

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The mediated calls by count, most frequent first: where the time went. */
function mediatedCalls(calls: readonly { call: string }[]): string[] {
  const counts = new Map<string, number>();
  for (const { call } of calls) if (!runsDirectly(call)) counts.set(call, (counts.get(call) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([call, n]) => `mediated: ${call} x${n}`);
}
