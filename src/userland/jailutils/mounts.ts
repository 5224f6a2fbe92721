/**
 * jail(8)'s mount.fstab (a file of fstab(5) lines), mount (lines), mount.devfs and mount.procfs,
 * in that order: filesystems mounted before the jail is created, and unmounted again (in
 * reverse) when the create fails. A jail removed by name has no configuration, so nothing is
 * unmounted then, as in FreeBSD.
 */
import { MNT_RDONLY, type Sys } from '../../kernel/abi.js';
import { fstabLines, parseFstabLine } from '../../cells/fstab.js';
import { errnoOf, errorText, readFile } from '../lib.js';
import { pseudoFlag, pseudoStrings, type JailSpec } from './args.js';

const MOUNTS = [
  { param: 'mount.devfs', source: 'devfs', fstype: 'devfs', at: '/dev' },
  { param: 'mount.procfs', source: 'proc', fstype: 'procfs', at: '/proc' },
] as const;

/** Mounts what `spec` asks for; the directories mounted, or jail(8)'s complaint (nothing left mounted). */
export async function mountJailFilesystems(sys: Sys, spec: JailSpec): Promise<string[] | { error: string }> {
  const done: string[] = [];
  const abandon = async (error: string): Promise<{ error: string }> => {
    await unmountAll(sys, done);
    return { error };
  };
  const lines: string[] = []; // mount.fstab's entries first, then mount's
  for (const file of pseudoStrings(spec, 'mount.fstab')) {
    let text: string;
    try {
      text = await readFile(sys, file);
    } catch (err) {
      if (errnoOf(err) === undefined) throw err;
      return abandon(`mount.fstab: ${file}: ${errorText(err)}`);
    }
    lines.push(...fstabLines(text));
  }
  lines.push(...pseudoStrings(spec, 'mount'));
  for (const line of lines) {
    const entry = parseFstabLine(line);
    if ('error' in entry) return abandon(`mount: ${entry.error}`);
    const failure = await mountError(sys, entry.source, entry.at, entry.fstype, entry.readOnly ? MNT_RDONLY : 0);
    if (failure !== undefined) return abandon(`mount: ${failure}`);
    done.push(entry.at);
  }
  for (const m of MOUNTS) {
    if (!pseudoFlag(spec, m.param)) continue;
    const root = spec.draft.path;
    if (root === undefined) return abandon(`${m.param}: no jail root path defined`);
    const dir = `${root.replace(/\/+$/, '')}${m.at}`;
    const failure = await mountError(sys, m.source, dir, m.fstype, 0);
    if (failure !== undefined) return abandon(`${m.param}: ${failure}`);
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

/** Mounts, or says why not ("/jails/www/usr: No such file or directory"). */
async function mountError(sys: Sys, source: string, at: string, fstype: string, flags: number): Promise<string | undefined> {
  try {
    await sys.mount(source, at, fstype, flags);
    return undefined;
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    return `${at}: ${errorText(err)}`;
  }
}
