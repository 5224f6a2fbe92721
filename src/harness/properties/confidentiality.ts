/**
 * Confidentiality: a generated program in one cell never reads the state of another cell or of
 * the host. A secret token is planted outside the cell (src/harness/plant.ts: files of the host
 * and of the other cells, the host's hostname, a host process's arguments, a SysV message in
 * every IPC namespace); nothing the cell's program observes may contain it, nor what it sees when
 * it looks around afterwards (the low cells' sweep of noninterference, the processes' arguments,
 * every key's messages). A cell's own
 * descendants get no secret: a parent may look into its children. Owns nothing between runs.
 */
import { programOf, type Observation } from '../program.js';
import { buildWorld, hostPathsOf } from '../target.js';
import { observationSweep, vocabulary, type Op } from '../gen.js';
import { plantSecrets, secretOf } from '../plant.js';
import type { Property } from '../property.js';
import { actorInput, showActor, type ActorInput } from './integrity.js';

export const confidentiality: Property<ActorInput> = {
  name: 'confidentiality',
  title: 'a cell\'s programs read nothing of other cells or the host',
  doc:
    'A secret is planted in the host\'s and the other cells\' files, the host\'s hostname, a host process\'s arguments and SysV ' +
    'messages; no result a generated program in the cell observes may contain it.',
  relies: ['confinement', 'procVisibility', 'utsVirtualization', 'ipcNamespaces'],
  input: actorInput,
  async check(input, ctx) {
    const world = await buildWorld(ctx.target, { seed: ctx.seed, minCells: 2, ...(ctx.unsafe === undefined ? {} : { unsafe: ctx.unsafe }) });
    const actor = world.cells[input.actor]!;
    const secret = secretOf(ctx.seed);
    await plantSecrets(world, actor, secret, { holder: true });
    const seen: Observation[] = [];
    // After its program the cell looks around as a low cell does, and reads every key's messages.
    const vocab = vocabulary(hostPathsOf(world.cells.map((c) => c.spec)), []);
    const look: Op[] = [...observationSweep(vocab), { op: 'cmdlines' }, ...vocab.keys.map((key): Op => ({ op: 'msgrcv', key }))];
    await actor.cell.run(programOf([...input.program, ...look], seen), [`gen-${actor.name}`]);
    const leaks = seen.filter((o) => o.result.includes(secret));
    if (leaks.length === 0) return {};
    return {
      violation: {
        summary: `${actor.name} read the secret planted outside it (${leaks.length} observation${leaks.length === 1 ? '' : 's'})`,
        evidence: leaks.slice(0, 10).map((o) => `${actor.name}: #${o.step} ${o.what} -> ${o.result}`),
      },
    };
  },
  show: showActor,
};
