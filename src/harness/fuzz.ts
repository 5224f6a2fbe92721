/**
 * Fuzzing: seeded random sequences of shell commands (each a userland command, so a sequence is
 * a scenario) across the cells of a world, with the isolation and accounting invariants checked
 * after every step:
 *  - isolation, by state: a digest of everything outside the acting cell (src/harness/digest.ts)
 *    does not change, except the wall clock when the cell holds sys_time;
 *  - isolation, by observation: what a probe shows the host and every cell outside the acting
 *    one (hostname, their own files) does not change (the probe compares for itself);
 *  - confidentiality: a step's output never holds a secret planted outside its cell (the host and
 *    every cell hold their own);
 *  - accounting: every cell's process and descriptor usage equals what its live processes hold,
 *    and no peak passes its limit (cells get small FUZZ_LIMITS where their spec sets none).
 * Steps run exactly as `cellblock run` runs a scenario's run steps (a scenario-step process
 * spawning `sh -c`), after the same setup, so a failure, shrunk by fast-check, is written as a
 * scenario whose expectations are the invariants, checked by the probes themselves (empty output
 * when they hold): `cellblock run` on it fails where the fuzz failed, and passes on a kernel
 * without the fault. Owns nothing between runs.
 */
import fc from 'fast-check';
import type { Kernel } from '../kernel/kernel.js';
import type { Cell } from '../cells/cell.js';
import type { ExecResult } from '../kernel/host-api.js';
import { cellName, type CellSpec, type Scenario, type ScenarioStep, type RunStep } from '../spec/index.js';
import { digestOutside, diffDigests, type Digest, type DigestPart } from './digest.js';
import { CLIMB, WORDS } from './gen.js';
import { buildWorld, hostPathsOf, worldSpecs, type Target, type World, type WorldCell } from './target.js';
import { kernelCell } from './channels.js';
import { secretOf } from './plant.js';
import type { Outcome, Property, RunContext } from './property.js';
import type { CellLimits } from '../spec/index.js';
import { startAt } from '../scenario/run.js';

/** Limits a fuzzed cell gets where its spec sets none: small, so sequences reach them. */
export const FUZZ_LIMITS: Readonly<CellLimits> = { processes: 8, openFiles: 16, memory: 8192, disk: 16384, inodes: 32, ipc: 2 };

export function withFuzzLimits(spec: CellSpec): CellSpec {
  return { ...spec, limits: { ...FUZZ_LIMITS, ...spec.limits } };
}

export interface FuzzStep {
  /** Index of the cell in the world. */
  readonly cell: number;
  /** A shell command (userland), run as `sh -c`. */
  readonly command: string;
}

export interface FuzzInput {
  readonly steps: readonly FuzzStep[];
}

/** The paths fuzz commands name: the cell's own, and the host's and other roots' by `..`. */
function fuzzPaths(specs: readonly CellSpec[]): string[] {
  return ['/tmp/a', '/tmp/b', '/tmp/d', '/tmp/d/a', '/tmp/secret', ...hostPathsOf(specs).map((p) => CLIMB + p)];
}

/** One fuzz command over a world's paths. */
export function commandArbitrary(paths: readonly string[]): fc.Arbitrary<string> {
  const path = fc.constantFrom(...paths);
  const word = fc.constantFrom(...WORDS);
  const copies = (min: number, max: number): fc.Arbitrary<string> => fc.integer({ min, max }).map((n) => Array.from({ length: n }, () => '/etc/passwd').join(' '));
  return fc.oneof(
    { weight: 3, arbitrary: fc.tuple(word, path).map(([w, p]) => `echo ${w} > ${p}`) },
    { weight: 2, arbitrary: fc.tuple(word, path).map(([w, p]) => `echo ${w} >> ${p}`) },
    { weight: 3, arbitrary: path.map((p) => `cat ${p}`) },
    { weight: 2, arbitrary: path.map((p) => `ls ${p}`) },
    { weight: 2, arbitrary: path.map((p) => `rm ${p}`) },
    { weight: 1, arbitrary: path.map((p) => `mkdir ${p}`) },
    { weight: 1, arbitrary: path.map((p) => `rmdir ${p}`) },
    { weight: 1, arbitrary: fc.tuple(path, path).map(([a, b]) => `ln -s ${a} ${b}`) },
    { weight: 1, arbitrary: fc.tuple(path, path).map(([a, b]) => `ln ${a} ${b}`) },
    { weight: 1, arbitrary: fc.tuple(path, path).map(([a, b]) => `mv ${a} ${b}`) },
    { weight: 1, arbitrary: path.map((p) => `cd ${p} && ls`) },
    { weight: 2, arbitrary: fc.constantFrom('evil', 'other').map((n) => `hostname ${n}`) },
    { weight: 1, arbitrary: fc.constantFrom('hostname', 'uname -n', 'kill -0 1', 'kill -s 0 -1', 'ps -e -o comm', 'ipcs') },
    { weight: 2, arbitrary: copies(1, 40).map((files) => `cat ${files} >> /tmp/big`) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 10 }).map((n) => `${'sleep 1 & '.repeat(n)}wait`) },
    { weight: 2, arbitrary: copies(8, 48).map((files) => `cat ${files} | sleep 1`) },
  );
}

/** What a step runs: the command with its errors on standard output, and always status 0. */
export function stepCommand(command: string): string {
  return `{ ${command}; } 2>&1; true`;
}

export const fuzz: Property<FuzzInput> = {
  name: 'fuzz',
  title: 'random command sequences keep isolation and accounting after every step',
  doc:
    'Seeded sequences of userland commands run in the cells, with isolation (state digest and probes of the others), confidentiality ' +
    '(a planted secret) and accounting (usage equals holdings, peaks within limits) checked after each step; a failure is shrunk and ' +
    'written as a scenario that `cellblock run` replays.',
  relies: ['confinement', 'admission', 'utsVirtualization'],
  input(target: Target) {
    const specs = worldSpecs(target, 2);
    const command = commandArbitrary(fuzzPaths(specs));
    return fc.record({ steps: fc.array(fc.record({ cell: fc.nat({ max: specs.length - 1 }), command }), { minLength: 1, maxLength: 8 }) });
  },
  check: (input, ctx) => runFuzz(input, ctx),
  show(input) {
    return input.steps.map((s) => `cell #${s.cell}: ${s.command}`);
  },
};

// ---- running -------------------------------------------------------------------------------

/** Who a probe runs in: the host or a cell of the world. */
interface Observer {
  readonly name: string;
  readonly cell: WorldCell | undefined;
  readonly probe: string;
}

/** The scenario being recorded: every step run so far, as `cellblock run` will run it. */
class Run {
  readonly recorded: RunStep[] = [];

  constructor(readonly world: World) {}

  /** Runs a command in a cell ("host": the host) as `cellblock run` runs a run step. */
  async step(where: string, run: string, comment?: string): Promise<ExecResult> {
    const target = where === 'host' ? this.world.k.host : this.world.k.cell(where);
    if (target === undefined) throw new Error(`fuzz: no cell ${where}`);
    const r = await target.run(startAt(0, ['/bin/sh', '-c', run]), ['scenario-step']); // as `cellblock run` will replay it
    this.recorded.push({ cell: where, run, ...(comment === undefined ? {} : { comment }) });
    return r;
  }

  /** Gives the last step its expectation: an invariant it must meet. */
  expectLast(expect: RunStep['expect'], comment?: string): void {
    const last = this.recorded.pop()!;
    this.recorded.push({ ...last, expect, ...(comment === undefined ? {} : { comment }) });
  }
}


async function runFuzz(input: FuzzInput, ctx: RunContext): Promise<Outcome> {
  const world = await buildWorld(ctx.target, { seed: ctx.seed, minCells: 2, adjust: withFuzzLimits, ...(ctx.unsafe === undefined ? {} : { unsafe: ctx.unsafe }) });
  const { k } = world;
  const run = new Run(world);
  // Each holds its own secret: a cell may print its own, never another's.
  const secrets = new Map<string, string>([['host', `${secretOf(ctx.seed)}h`], ...world.cells.map((c, i): [string, string] => [c.name, `${secretOf(ctx.seed)}c${i}`])]);
  await run.step('host', `echo ${secrets.get('host')} > /tmp/secret; echo ${secrets.get('host')} > /etc/secret; echo host-a > /tmp/a; true`, 'plant a secret in the host');
  for (const c of world.cells) await run.step(c.name, `echo ${secrets.get(c.name)} > /tmp/secret; echo ${c.name}-a > /tmp/a; true`, `plant a secret in ${c.name}`);
  const observers: Observer[] = [
    { name: 'host', cell: undefined, probe: 'hostname; ls /tmp /etc; cat /tmp/a /tmp/secret /etc/secret' },
    ...world.cells.map((c) => ({ name: c.name, cell: c, probe: 'hostname; ls / /tmp; cat /tmp/a /tmp/secret' })),
  ];
  /** Probes every observer (comparing what those outside `actor` see with what they saw) and the books. */
  const probeAll = async (actor: WorldCell | undefined, label: string): Promise<string[]> => {
    const problems: string[] = [];
    for (const o of observers) {
      const pinned = actor !== undefined && !(o.cell !== undefined && (o.cell === actor || o.cell.name.startsWith(`${actor.name}.`)));
      const r = await run.step(o.name, probeScript(o, pinned));
      if (!pinned) continue;
      if (r.stdout !== '') problems.push(`isolation: ${r.stdout.trim()}`);
      run.expectLast({ stdout: '' }, `${o.name} must see what it saw before ${label}`);
    }
    const books = await run.step('host', accountingProbe(k, world));
    if (books.stdout !== '') problems.push(...books.stdout.trim().split('\n').map((l) => `accounting: ${l}`));
    run.expectLast({ stdout: '' }, 'accounting: pids.current is what lives; memory.peak and every maxheld within limits');
    return problems;
  };
  const initial = await probeAll(undefined, 'the first step');
  if (initial.length > 0) return failure(ctx, world, run, 'the world breaks accounting before any step', initial);

  for (const [i, s] of input.steps.entries()) {
    const actor = world.cells[s.cell]!;
    const cell = kernelCell(k, actor.name)!;
    const before = digestOutside(k, cell);
    const r = await run.step(actor.name, stepCommand(s.command), `step ${i + 1}`);
    const problems: string[] = [];
    const foreign = [...secrets].filter(([owner]) => owner !== actor.name && !owner.startsWith(`${actor.name}.`)).map(([, secret]) => secret);
    const leaked = foreign.filter((secret) => r.stdout.includes(secret));
    if (leaked.length > 0) {
      problems.push(`confidentiality: "${s.command}" in ${actor.name} printed a secret planted outside it: ${JSON.stringify(r.stdout.slice(0, 120))}`);
      run.expectLast({ stdoutMatches: lacking(foreign) }, `step ${i + 1}: must not print a secret planted outside ${actor.name}`);
    }
    problems.push(...stateChanges(before, digestOutside(k, cell), cell).map((line) => `isolation: ${line}`));
    problems.push(...books(k, world));
    problems.push(...(await probeAll(actor, `step ${i + 1}`)));
    if (problems.length > 0) return failure(ctx, world, run, `step ${i + 1} ("${s.command}" in ${actor.name}) broke ${kinds(problems)}`, problems);
  }
  return {};
}

/**
 * A probe of what an observer sees (`body`, run in the observer), kept in its /tmp/.fuzz-seen (a
 * dot file: no probe lists it) so the next probe can compare: when `compare`, it prints the old
 * and the new view if they differ, and nothing otherwise. Self-checking, so the scenario's
 * expectation (empty output) holds on any sound kernel, whatever the views are.
 */
function probeScript(o: Observer, compare: boolean): string {
  const keep = `now=$({ ${o.probe}; } 2>&1); was=$(cat /tmp/.fuzz-seen 2>&1); echo "$now" > /tmp/.fuzz-seen`;
  return compare ? `${keep}; [ "$now" = "$was" ] || echo "${o.name} saw: $was; now: $now"; true` : `${keep}; true`;
}

/** A regular expression that matches exactly when the text holds none of `words` (anchored at the start). */
export function lacking(words: readonly string[]): string {
  return `(?<![\\s\\S])(?![\\s\\S]*(?:${words.join('|')}))`;
}

function kinds(problems: readonly string[]): string {
  return [...new Set(problems.map((p) => p.slice(0, p.indexOf(':'))))].join(' and ');
}

/** Digest lines that changed, less what the actor's policy declares (sys_time: the wall clock). */
function stateChanges(before: Digest, after: Digest, cell: Cell): string[] {
  if (before.hash === after.hash) return [];
  const allowed = new Set<DigestPart>(cell.policy.has('sys_time') ? ['clock'] : []);
  return diffDigests(before, after).filter((line) => !allowed.has(line.slice(0, line.indexOf(' ')) as DigestPart));
}

// ---- accounting ----------------------------------------------------------------------------

/** The cells whose partitions make up `cell`'s subtree. */
function subtree(k: Kernel, cell: Cell): Set<unknown> {
  return new Set([...k.cells.values()].filter((c) => cell.contains(c)).map((c) => c.partition));
}

/** Processes charged to a cell's subtree (until reaped), and descriptors they hold charged there. */
function holdings(k: Kernel, cell: Cell): { processes: number; openFiles: number } {
  const parts = subtree(k, cell);
  let processes = 0;
  let openFiles = 0;
  for (const p of k.procs.values()) {
    if (p.charged !== null && parts.has(p.charged)) processes++;
    for (const entry of p.fds) if (entry !== undefined && parts.has(entry.owner)) openFiles++;
  }
  return { processes, openFiles };
}

/** The accounting invariants, checked on the kernel: usage equals holdings, peaks within limits. */
function books(k: Kernel, world: World): string[] {
  const problems: string[] = [];
  for (const c of world.cells) {
    const cell = kernelCell(k, c.name);
    if (cell === undefined) continue;
    const held = holdings(k, cell);
    const counters = cell.partition.counters;
    for (const resource of ['processes', 'openFiles'] as const) {
      if (counters[resource].usage !== held[resource]) problems.push(`accounting: ${c.name} ${resource} usage ${counters[resource].usage}, but ${held[resource]} held`);
    }
    for (const [resource, u] of Object.entries(counters)) {
      if (u.peak > u.limit) problems.push(`accounting: ${c.name} ${resource} peak ${u.peak} > limit ${u.limit}`);
    }
  }
  return problems;
}

/**
 * A host script that prints nothing when the books are right: each cell's pids.current equals
 * its live processes (counted now, on the kernel), its memory.peak is within memory.max, and in
 * /proc/user_beancounters no row of its (memory pages, processes, sockets, descriptors) has a
 * maxheld above its limit. Disk, inodes and IPC objects have no such view: only the kernel-side
 * check sees their peaks.
 */
function accountingProbe(k: Kernel, world: World): string {
  const lines: string[] = [];
  const ids: string[] = [];
  for (const c of world.cells) {
    const cell = kernelCell(k, c.name);
    if (cell === undefined) continue;
    ids.push(`${cell.id}:`);
    const dir = `/sys/fs/cgroup/${c.name.replaceAll('.', '/')}`;
    const live = holdings(k, cell).processes;
    lines.push(
      `c=$(cat ${dir}/pids.current); [ "$c" = "${live}" ] || echo "${c.name}: pids.current $c, ${live} live"`,
      `p=$(cat ${dir}/memory.peak); m=$(cat ${dir}/memory.max); [ "$m" = max ] || [ "$p" -le "$m" ] || echo "${c.name}: memory.peak $p > memory.max $m"`,
    );
  }
  lines.push(
    'cat /proc/user_beancounters | while read a b c d e f g; do case "$a" in *:) u=$a; r=$b; m=$d; l=$f;; *) r=$a; m=$c; l=$e;; esac; ' +
      `case "$u" in ${ids.join('|')}) [ "$m" -le "$l" ] || echo "beancounter $u $r maxheld $m > limit $l";; esac; done`,
  );
  return `${lines.join('; ')}; true`;
}

// ---- the scenario --------------------------------------------------------------------------

function failure(ctx: RunContext, world: World, run: Run, summary: string, problems: readonly string[]): Outcome {
  const scenario = scenarioOf(ctx, world, run, summary);
  const base = ctx.target.name.replace(/^.*\//, '').replace(/\.json$/, '');
  return {
    violation: { summary, evidence: [...problems.slice(0, 12), `replay: cellblock run ${base}.fuzz-${ctx.seed}.scenario.json (written beside the report)`] },
    artifacts: [{ name: `${base}.fuzz-${ctx.seed}.scenario.json`, content: `${JSON.stringify(scenario, null, 2)}\n` }],
  };
}

/** The failing run as a scenario: the same world, the same steps, the invariants as expectations. */
function scenarioOf(ctx: RunContext, world: World, run: Run, summary: string): Scenario {
  const source = ctx.target.scenario;
  const cells = world.cells.map((c) => c.spec);
  const steps: ScenarioStep[] = [...cells.map((spec) => ({ start: cellName(spec) })), ...run.recorded];
  return {
    name: `fuzz: ${ctx.target.name}, seed ${ctx.seed}: ${summary}`,
    seed: ctx.seed,
    ...(source?.cpus === undefined ? {} : { cpus: source.cpus }),
    ...(source?.network === undefined ? {} : { network: source.network }),
    ...(source?.switches === undefined ? {} : { switches: source.switches }),
    ...(source?.links === undefined ? {} : { links: source.links }),
    cells,
    steps,
  };
}
