/**
 * Resource isolation: a cell exhausting its quotas is stopped at its limits, and does not make a
 * sibling's permitted operations fail. Every cell gets limits (the spec's own where it has them,
 * else HARNESS_LIMITS). One cell, the hog, takes each resource of a generated list until the
 * kernel refuses it (processes, descriptors, memory, disk bytes, inodes, IPC objects, sockets)
 * and holds it all; meanwhile every unrelated cell runs a generated program. The siblings'
 * results must be what they are when the hog stays idle (up to the channels their mechanisms
 * declare), and the hog's peak usage of each resource must stay within its limit.
 * Owns nothing between runs.
 */
import fc from 'fast-check';
import { AF_UNIX, IPC_CREAT, IPC_PRIVATE, O_CREAT, O_RDONLY, O_WRONLY, SIGNALS, SOCK_STREAM, type Program, type ResourceName, type Sys } from '../../kernel/abi.js';
import { describeOp, programArbitrary, vocabulary, type Mix, type Op } from '../gen.js';
import { errorName, programOf, type Observation } from '../program.js';
import { buildWorld, related, worldSpecs, type Target, type World } from '../target.js';
import { channelReports, declaredChannels, kernelCell, type ChannelName } from '../channels.js';
import type { CellSpec, CellLimits } from '../../spec/index.js';
import type { Outcome, Property, RunContext } from '../property.js';
import { differences } from './noninterference.js';

/** The resources a hog takes, in the order of the generated list. */
export const HOGGED = ['processes', 'openFiles', 'memory', 'disk', 'inodes', 'ipc', 'sockets'] as const satisfies readonly ResourceName[];
export type Hogged = (typeof HOGGED)[number];

/** Limits given to cells whose spec sets none (small, so that exhausting them is quick). */
export const HARNESS_LIMITS: Readonly<Required<Pick<CellLimits, 'processes' | 'openFiles' | 'memory' | 'disk' | 'inodes' | 'ipc'>>> = {
  processes: 12,
  openFiles: 32,
  memory: 262144,
  disk: 65536,
  inodes: 64,
  ipc: 4,
};

/** Operations a sibling does that succeed when it is alone (its own files, processes, memory, IPC). */
const SIBLING_MIX: Mix = { write: 4, read: 3, list: 2, mkdir: 2, remove: 1, spawn: 3, alloc: 2, msgget: 2, msgsnd: 1, msgrcv: 1, hostname: 1 };

export interface ResourceInput {
  readonly hog: number;
  readonly resources: readonly Hogged[];
  /** One program per cell (the hog's is unused). */
  readonly programs: readonly (readonly Op[])[];
}

export const resourceIsolation: Property<ResourceInput> = {
  name: 'resources',
  title: 'a cell exhausting its quotas stops at them and fails no sibling',
  doc:
    'One cell takes processes, descriptors, memory, disk, inodes, IPC objects and sockets until refused and holds them while the ' +
    'other cells run generated programs; their results must match a run where it stays idle, and its peaks must stay within its limits.',
  relies: ['admission'],
  input(target: Target) {
    const specs = worldSpecs(target, 2);
    // Siblings keep to their own files: their operations are ones that succeed when alone.
    const vocab = vocabulary([], ['evil']);
    return fc.record({
      hog: fc.nat({ max: specs.length - 1 }),
      resources: fc.shuffledSubarray([...HOGGED], { minLength: 1 }),
      programs: fc.tuple(...specs.map(() => programArbitrary(vocab, { mix: SIBLING_MIX, maxLength: 8 }))),
    });
  },
  async check(input, ctx) {
    const hogging = await observe(ctx, input, true);
    const idle = await observe(ctx, input, false);
    return compare(hogging, idle, input);
  },
  show(input) {
    return [`hog: cell #${input.hog} takes ${input.resources.join(', ')}`, ...input.programs.flatMap((ops, i) => (i === input.hog ? [] : [`cell #${i}:`, ...ops.map((o) => `  ${describeOp(o)}`)]))];
  },
};

/** A spec with HARNESS_LIMITS for whatever its own limits leave open. */
export function withLimits(spec: CellSpec): CellSpec {
  return { ...spec, limits: { ...HARNESS_LIMITS, ...spec.limits } };
}

interface Observed {
  readonly world: World;
  readonly seen: readonly Observation[][];
  /** What the hog got before each refusal. */
  readonly taken: readonly string[];
}

async function observe(ctx: RunContext, input: ResourceInput, hogs: boolean): Promise<Observed> {
  const world = await buildWorld(ctx.target, { seed: ctx.seed, minCells: 2, adjust: withLimits, ...(ctx.unsafe === undefined ? {} : { unsafe: ctx.unsafe }) });
  const seen = world.cells.map((): Observation[] => []);
  const taken: string[] = [];
  const sync = { exhausted: !hogs, siblingsLeft: 0 };
  const siblings = world.cells.map((c, i) => i !== input.hog && !related(c, world.cells[input.hog]!));
  sync.siblingsLeft = siblings.filter(Boolean).length;
  const runs = world.cells.map((c, i) => {
    if (i === input.hog) return hogs ? c.cell.run(hogProgram(input.resources, taken, sync), ['hog']) : undefined;
    if (!siblings[i]) return undefined;
    const inner = programOf(input.programs[i] ?? [], seen[i]!);
    const sibling: Program = async (sys, argv, env) => {
      while (!sync.exhausted) await sys.sleep(5);
      try {
        return await inner(sys, argv, env);
      } finally {
        sync.siblingsLeft--;
      }
    };
    return c.cell.run(sibling, [`gen-${c.name}`]);
  });
  await Promise.all(runs);
  return { world, seen, taken };
}

interface Sync {
  exhausted: boolean;
  siblingsLeft: number;
}

/** Takes each resource until refused, holds everything until the siblings are done, then lets go. */
function hogProgram(resources: readonly Hogged[], taken: string[], sync: Sync): Program {
  return async (sys) => {
    try {
      for (const resource of resources) {
        let n = 0;
        let refusal = 'never refused';
        for (; n < BOUND; n++) {
          const err = await takeOne(sys, resource, n).then(() => undefined, errorName);
          if (err !== undefined) {
            refusal = err;
            break;
          }
        }
        taken.push(`${resource}: took ${n}, then ${refusal}`);
      }
    } finally {
      sync.exhausted = true;
    }
    while (sync.siblingsLeft > 0) await sys.sleep(5);
    await sys.kill(-1, SIGNALS.SIGKILL).catch(() => undefined);
    while ((await sys.wait().catch(() => null)) !== null);
    return 0;
  };
}

/** Most units of one resource a hog tries for (a resource without a limit is never exhausted). */
const BOUND = 80;

async function takeOne(sys: Sys, resource: Hogged, n: number): Promise<void> {
  switch (resource) {
    case 'processes':
      await sys.spawn('/bin/sleep', ['sleep', '100']);
      return;
    case 'openFiles':
      await sys.open('/etc/passwd', O_RDONLY);
      return;
    case 'memory':
      await sys.alloc(16384);
      return;
    case 'disk': {
      const fd = await sys.open('/tmp/hog-disk', O_CREAT | O_WRONLY, 0o644);
      try {
        await sys.lseek(fd, 0, 2);
        await sys.write(fd, new Uint8Array(4096));
      } finally {
        await sys.close(fd);
      }
      return;
    }
    case 'inodes':
      await sys.mkdir(`/tmp/hog-${n}`);
      return;
    case 'ipc':
      await sys.msgget(IPC_PRIVATE, IPC_CREAT | 0o600);
      return;
    case 'sockets':
      await sys.socket(AF_UNIX, SOCK_STREAM);
      return;
  }
}

function compare(hogging: Observed, idle: Observed, input: ResourceInput): Outcome {
  const { world } = hogging;
  const hog = world.cells[input.hog]!;
  const problems: string[] = [];
  // Containment: the hog's peaks stay within its limits.
  const stats = hog.cell.stats();
  if (stats !== undefined) {
    for (const resource of input.resources) {
      const u = stats[resource];
      if (u.peak > u.limit) problems.push(`${hog.name}: ${resource} peak ${u.peak} > limit ${u.limit} (${hogging.taken.find((t) => t.startsWith(resource)) ?? ''})`);
    }
  }
  // Siblings: the same results as when the hog is idle, up to their declared channels.
  const declaredBy = new Map<ChannelName, string[]>();
  const through = new Map<ChannelName, string[]>();
  world.cells.forEach((c, i) => {
    if (i === input.hog || related(c, hog)) return;
    const cell = kernelCell(world.k, c.name);
    const declared = cell === undefined ? [] : declaredChannels(world.k, cell);
    for (const name of declared) declaredBy.set(name, [...(declaredBy.get(name) ?? []), c.name]);
    for (const d of differences(hogging.seen[i]!, idle.seen[i]!)) {
      const line = `${c.name}: ${d.what}: ${d.a} (${hog.name} hogging) / ${d.b} (${hog.name} idle)`;
      if (d.channel !== undefined && declared.includes(d.channel)) through.set(d.channel, [...(through.get(d.channel) ?? []), line].slice(0, 6));
      else problems.push(line);
    }
  });
  const channels = channelReports(through, declaredBy);
  if (problems.length === 0) return { channels };
  return {
    channels,
    violation: { summary: `${hog.name} exhausting ${input.resources.join(', ')}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`, evidence: [...problems.slice(0, 10), ...hogging.taken] },
  };
}
