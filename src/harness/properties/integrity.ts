/**
 * Integrity: a generated program in one cell (the actor) never changes the state of another cell
 * or of the host. Secrets are planted outside first (src/harness/plant.ts) so there is something
 * to damage; a digest of everything outside the actor (src/harness/digest.ts: files, mounts,
 * processes, cells and hostnames, IPC, network, partitions, the wall clock) is taken before and
 * after its program, and must not change except where its policy declares that it may: a cell
 * holding sys_time sets the host's wall clock (jail allow.settime, zone limitpriv sys_time).
 * Owns nothing between runs.
 */
import fc from 'fast-check';
import { digestOutside, diffDigests, type DigestPart } from '../digest.js';
import { describeOp, programArbitrary, vocabulary, type Op } from '../gen.js';
import { programOf, type Observation } from '../program.js';
import { buildWorld, hostPathsOf, worldSpecs, type Target } from '../target.js';
import { kernelCell } from '../channels.js';
import { plantSecrets, secretOf } from '../plant.js';
import type { Property } from '../property.js';

export interface ActorInput {
  /** Index of the acting cell in the world. */
  readonly actor: number;
  readonly program: readonly Op[];
}

/** The input of a property where one cell acts: which cell, and its generated program. */
export function actorInput(target: Target): fc.Arbitrary<ActorInput> {
  const specs = worldSpecs(target, 2);
  const vocab = vocabulary(hostPathsOf(specs), ['evil']);
  return fc.record({ actor: fc.nat({ max: specs.length - 1 }), program: programArbitrary(vocab, { maxLength: 16 }) });
}

export function showActor(input: ActorInput): string[] {
  return [`cell #${input.actor} runs:`, ...input.program.map((o) => `  ${describeOp(o)}`)];
}

export const integrity: Property<ActorInput> = {
  name: 'integrity',
  title: 'a cell\'s programs change nothing outside it',
  doc:
    'A generated program runs in one cell after state is planted in the host and the other cells; a digest of everything ' +
    'outside the cell must be the same before and after, except the wall clock when the cell holds sys_time.',
  relies: ['confinement', 'utsVirtualization', 'ipcNamespaces', 'privileges', 'readOnlyMounts'],
  input: actorInput,
  async check(input, ctx) {
    const world = await buildWorld(ctx.target, { seed: ctx.seed, minCells: 2, ...(ctx.unsafe === undefined ? {} : { unsafe: ctx.unsafe }) });
    const actor = world.cells[input.actor]!;
    await plantSecrets(world, actor, secretOf(ctx.seed));
    const cell = kernelCell(world.k, actor.name)!;
    const before = digestOutside(world.k, cell);
    const seen: Observation[] = [];
    await actor.cell.run(programOf(input.program, seen), [`gen-${actor.name}`]);
    const after = digestOutside(world.k, cell);
    if (after.hash === before.hash) return {};
    // Declared: a holder of sys_time sets the one wall clock everybody reads.
    const allowed = new Set<DigestPart>(cell.policy.has('sys_time') ? ['clock'] : []);
    const changes = diffDigests(before, after).filter((line) => !allowed.has(line.slice(0, line.indexOf(' ')) as DigestPart));
    if (changes.length === 0) return {};
    return {
      violation: {
        summary: `${actor.name} changed ${changes.length} thing${changes.length === 1 ? '' : 's'} outside itself`,
        evidence: [...changes.slice(0, 10), ...seen.filter((o) => o.result === 'ok').slice(0, 6).map((o) => `succeeded in ${actor.name}: #${o.step} ${o.what}`)],
      },
    };
  },
  show: showActor,
};
