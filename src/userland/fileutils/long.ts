/**
 * The long format of FreeBSD ls -l:
 *   `drwxr-xr-x  2 root  wheel  512 Jan  1 00:00 name`
 * mode, then links, owner and group in columns as wide as the widest entry, size (for a
 * device its number), date, name, and ` -> target` for symbolic links. Times are virtual milliseconds since boot, shown as if
 * the machine booted at the Unix epoch (Jan  1 00:00 1970 UTC), so listings are deterministic.
 */
import { S_IFCHR, S_IFMT } from '../../kernel/abi.js';
import type { Stat } from '../../kernel/abi.js';
import type { IdNames } from '../users.js';
import { modeString } from './modes.js';

export interface LongEntry {
  readonly name: string;
  readonly st: Stat;
  /** The target, for a symbolic link. */
  readonly link?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** ls shows the time of day for files changed within half a year of now, else the year. */
const SIX_MONTHS_MS = (365 / 2) * 86400 * 1000;

/** `%b %e %H:%M`, or `%b %e  %Y` for times more than six months away from `now`. */
export function lsDate(ms: number, now: number): string {
  const d = new Date(ms);
  const day = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)}`;
  if (Math.abs(now - ms) >= SIX_MONTHS_MS) return `${day}  ${d.getUTCFullYear()}`;
  return `${day} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** The size, or for a device its number in hex as FreeBSD's printdev shows it. */
function sizeField(st: Stat): string {
  if ((st.mode & S_IFMT) !== S_IFCHR) return String(st.size);
  return st.rdev === 0 ? '0' : `0x${st.rdev.toString(16)}`;
}

/** The lines for a group of entries, with `total <blocks>` first for a directory's contents. */
export function longLines(entries: readonly LongEntry[], names: IdNames, now: number, total: boolean): string[] {
  const rows = entries.map((e) => ({
    e,
    links: String(e.st.nlink),
    user: names.user(e.st.uid),
    group: names.group(e.st.gid),
    size: sizeField(e.st),
  }));
  const width = (pick: (r: (typeof rows)[number]) => string): number => Math.max(0, ...rows.map((r) => pick(r).length));
  const w = { links: width((r) => r.links), user: width((r) => r.user), group: width((r) => r.group), size: width((r) => r.size) };
  const lines = total ? [`total ${entries.reduce((n, e) => n + e.st.blocks, 0)}\n`] : [];
  for (const r of rows) {
    // strmode leaves a 12th column for ACL marks, hence two spaces before the link count.
    const link = r.e.link === undefined ? '' : ` -> ${r.e.link}`;
    lines.push(
      `${modeString(r.e.st.mode)}  ${r.links.padStart(w.links)} ${r.user.padEnd(w.user)}  ${r.group.padEnd(w.group)}  ` +
        `${r.size.padStart(w.size)} ${lsDate(r.e.st.mtimeMs, now)} ${r.e.name}${link}\n`,
    );
  }
  return lines;
}
