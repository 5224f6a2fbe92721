/**
 * Planting state outside a cell before a check: a secret (a token no generated program can
 * guess) in files of the host and of other cells, in the host's hostname, in the arguments of a
 * host process that stays alive, and in SysV messages of every IPC namespace. Integrity then has
 * something to damage and confidentiality something to find. Everything is planted through the
 * public API, by programs in the cells that own the state. The world owns what is planted.
 */
import { IPC_CREAT, O_CREAT, O_TRUNC, O_WRONLY, type Sys } from '../kernel/abi.js';
import type { World, WorldCell } from './target.js';

/** The secret of a run: letters and digits only, so it survives any output format. */
export function secretOf(seed: number): string {
  return `zq${(seed * 2654435761) >>> 0}xk`;
}

/** The IPC key planted messages go to (one of the generated programs' keys). */
export const PLANTED_KEY = 42;

/**
 * Plants `secret` everywhere outside `actor` (and outside its descendants, which it may look
 * into): files /tmp/a, /tmp/secret and /etc/secret of the host and of every other cell, the
 * host's hostname, a message under PLANTED_KEY in each IPC namespace, and with `holder` the argv
 * of a host process that waits through the check.
 */
export async function plantSecrets(world: World, actor: WorldCell, secret: string, options: { readonly holder?: boolean } = {}): Promise<void> {
  const { k } = world;
  await k.host.run(async (sys) => {
    await writeFile(sys, '/tmp/a', `host ${secret}\n`);
    await writeFile(sys, '/tmp/secret', `${secret}\n`);
    await writeFile(sys, '/etc/secret', `${secret}\n`);
    await sys.sethostname(`host-${secret}`);
    await plantMessage(sys, secret);
    return 0;
  }, ['plant']);
  // A host process holding the secret in its arguments: it waits on an input nobody feeds (an
  // external wait, so the kernel neither reports a deadlock nor jumps the clock past it).
  if (options.holder === true) {
    const holder = k.host.run(
      async (sys) => {
        await sys.read(0);
        return 0;
      },
      ['holder', `--token=${secret}`],
      { stdin: k.host.openInput() },
    );
    holder.catch(() => undefined); // a world that ends under it (deadlock, panic) is reported elsewhere
  }
  for (const c of world.cells) {
    if (c === actor || c.name.startsWith(`${actor.name}.`)) continue;
    await c.cell.run(async (sys) => {
      await writeFile(sys, '/tmp/a', `${c.name} ${secret}\n`).catch(() => undefined);
      await writeFile(sys, '/tmp/secret', `${secret}\n`).catch(() => undefined);
      await plantMessage(sys, secret);
      return 0;
    }, ['plant']);
  }
}

async function writeFile(sys: Sys, path: string, text: string): Promise<void> {
  const fd = await sys.open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600);
  try {
    await sys.write(fd, text);
  } finally {
    await sys.close(fd);
  }
}

/** A message with the secret in the caller's IPC namespace, when it has one. */
async function plantMessage(sys: Sys, secret: string): Promise<void> {
  try {
    const id = await sys.msgget(PLANTED_KEY, IPC_CREAT | 0o600);
    await sys.msgsnd(id, 1, secret);
  } catch {
    // No SysV IPC in this cell (ENOSYS): nothing to plant there.
  }
}
