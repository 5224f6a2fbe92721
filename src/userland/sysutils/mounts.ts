/** The mount table as /proc/mounts shows it to the caller (its own mount namespace). */
import type { Sys } from '../../kernel/abi.js';
import { readFile } from '../lib.js';

export interface MountEntry {
  readonly source: string;
  readonly target: string;
  readonly fstype: string;
  readonly options: readonly string[];
}

export async function readMounts(sys: Sys): Promise<MountEntry[]> {
  const text = await readFile(sys, '/proc/mounts');
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const [source, target, fstype, options] = line.split(/\s+/);
    if (source === undefined || target === undefined || fstype === undefined || source === '') continue;
    entries.push({ source, target, fstype, options: (options ?? '').split(',').filter((o) => o !== '') });
  }
  return entries;
}

/** The mount holding absolute path `path`: the one with the longest matching mount point. */
export function mountOf(mounts: readonly MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const m of mounts) {
    const inside = m.target === '/' || path === m.target || path.startsWith(`${m.target}/`);
    if (inside && (best === undefined || m.target.length >= best.target.length)) best = m;
  }
  return best;
}
