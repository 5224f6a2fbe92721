/**
 * fstab(5) lines, as jail(8)'s `mount` parameter takes them ("a filesystem to mount before
 * creating the jail, given as a single fstab(5) line"): SOURCE MOUNTPOINT TYPE OPTIONS, then
 * optional dump and pass numbers. Options: rw or ro (the last one given wins), and the usual
 * ones that change nothing here (noatime: filesystems are noatime already; the set-id, device
 * and exec bits are not modelled).
 */
export interface FstabEntry {
  readonly source: string;
  /** The mountpoint, an absolute host path. */
  readonly at: string;
  readonly fstype: string;
  readonly readOnly: boolean;
}

/** Options accepted and ignored: FreeBSD's and Solaris's names for what is not modelled. */
const NEUTRAL_OPTIONS: ReadonlySet<string> = new Set(['noatime', 'nosuid', 'nosetuid', 'nodevices', 'noexec', 'late']);

/** The entries of an fstab(5) file: its lines without comments (from #) and blank lines. */
export function fstabLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
}

/** One line, or what is wrong with it (in the words mount(8) and jail(8) use). */
export function parseFstabLine(line: string): FstabEntry | { readonly error: string } {
  const fields = line.trim().split(/\s+/);
  if (fields.length < 4 || fields.length > 6 || fields[0] === '') return { error: `${line}: not an fstab(5) line (source mountpoint type options [dump [pass]])` };
  const [source, at, fstype, options] = fields as [string, string, string, string];
  if (!at.startsWith('/')) return { error: `${at}: the mountpoint must be an absolute path` };
  if (fields.slice(4).some((n) => !/^\d+$/.test(n))) return { error: `${line}: dump and pass must be numbers` };
  const parsed = parseMountOptions(options);
  if ('error' in parsed) return parsed;
  return { source, at: at.length > 1 ? at.replace(/\/+$/, '') : at, fstype, readOnly: parsed.readOnly };
}

/** mount(8)'s -o list: read-only or not (the last of ro, rw and defaults wins), or the option it does not know. */
export function parseMountOptions(options: string, readOnly = false): { readonly readOnly: boolean } | { readonly error: string } {
  for (const option of options.split(',').filter(Boolean)) {
    if (option === 'ro') readOnly = true;
    else if (option === 'rw' || option === 'defaults') readOnly = false;
    else if (!NEUTRAL_OPTIONS.has(option)) return { error: `mount: ${option}: unknown option` };
  }
  return { readOnly };
}
