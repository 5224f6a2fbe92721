/**
 * jail(8)'s mount.devfs and mount.procfs: filesystems mounted in the jail's root before it is
 * created, and unmounted again (in reverse) when the create fails. A jail removed by name has no
 * configuration, so nothing is unmounted then, as in FreeBSD.
 */
import type { Sys } from '../../kernel/abi.js';
import { errnoOf, errorText } from '../lib.js';
import { pseudoFlag, type JailSpec } from './args.js';

const MOUNTS = [
  { param: 'mount.devfs', source: 'devfs', fstype: 'devfs', at: '/dev' },
  { param: 'mount.procfs', source: 'proc', fstype: 'procfs', at: '/proc' },
] as const;

/** Mounts what `spec` asks for; the directories mounted, or jail(8)'s complaint (nothing left mounted). */
export async function mountJailFilesystems(sys: Sys, spec: JailSpec): Promise<string[] | { error: string }> {
  const done: string[] = [];
  for (const m of MOUNTS) {
    if (!pseudoFlag(spec, m.param)) continue;
    const root = spec.draft.path;
    if (root === undefined) {
      await unmountAll(sys, done);
      return { error: `${m.param}: no jail root path defined` };
    }
    const dir = `${root.replace(/\/+$/, '')}${m.at}`;
    try {
      await sys.mount(m.source, dir, m.fstype);
    } catch (err) {
      if (errnoOf(err) === undefined) throw err;
      await unmountAll(sys, done);
      return { error: `${m.param}: ${dir}: ${errorText(err)}` };
    }
    done.push(dir);
  }
  return done;
}

export async function unmountAll(sys: Sys, dirs: readonly string[]): Promise<void> {
  for (const dir of [...dirs].reverse()) {
    try {
      await sys.umount(dir);
    } catch {
      // Busy or gone: jail(8) carries on with the rest.
    }
  }
}
