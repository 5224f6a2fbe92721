/**
 * The ps(1) keywords cellblock knows: one row per keyword, with its header, alignment and how
 * to render it. `cell` and `jail` show the same value (FreeBSD calls the column JAIL); `zone`
 * is Solaris' ZONE column that `ps -Z` puts first. The host's processes show as `-` under JAIL
 * (FreeBSD's jid 0) and `global` under ZONE (Solaris's global zone).
 */

/** What procfs's Cell line says for the host (cell 0). */
const HOST_CELL = 'host';
import { HZ } from '../../kernel/abi.js';
import type { IdNames } from '../users.js';
import type { ProcInfo } from './procfs.js';
import type { Column } from './table.js';

export interface Keyword extends Column {
  render(p: ProcInfo, names: IdNames): string;
}

/** CPU time as FreeBSD prints it: minutes:seconds.centiseconds. */
export function cpuTime(ticks: number): string {
  const centis = Math.floor((ticks * 100) / HZ);
  const minutes = Math.floor(centis / 6000);
  const seconds = Math.floor(centis / 100) % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}.${String(centis % 100).padStart(2, '0')}`;
}

/** The command line, or `[comm]` when there is none (FreeBSD's form for argv-less processes). */
function commandLine(p: ProcInfo): string {
  return p.args.length > 0 ? p.args.join(' ') : `[${p.comm}]`;
}

export const KEYWORDS: Readonly<Record<string, Keyword>> = {
  pid: { header: 'PID', align: 'right', minWidth: 5, render: (p) => String(p.pid) },
  ppid: { header: 'PPID', align: 'right', minWidth: 5, render: (p) => String(p.ppid) },
  uid: { header: 'UID', align: 'right', minWidth: 5, render: (p) => String(p.uid) },
  user: { header: 'USER', align: 'left', render: (p, names) => names.user(p.uid) },
  comm: { header: 'COMMAND', align: 'left', render: (p) => p.comm },
  args: { header: 'COMMAND', align: 'left', render: commandLine },
  command: { header: 'COMMAND', align: 'left', render: commandLine },
  stat: { header: 'STAT', align: 'left', render: (p) => p.state },
  state: { header: 'STAT', align: 'left', render: (p) => p.state },
  // BSD's TT column: no process has a controlling terminal here.
  tt: { header: 'TT ', align: 'left', render: () => '-' },
  time: { header: 'TIME', align: 'right', minWidth: 7, render: (p) => cpuTime(p.ticks) },
  cell: { header: 'CELL', align: 'left', render: (p) => p.cell },
  jail: { header: 'JAIL', align: 'left', render: (p) => (p.cell === HOST_CELL ? '-' : p.cell) },
  zone: { header: 'ZONE', align: 'right', minWidth: 8, render: (p) => (p.cell === HOST_CELL ? 'global' : p.cell) },
};

/** FreeBSD's default format: `  PID TT  STAT    TIME COMMAND`. */
export const DEFAULT_FORMAT: readonly string[] = ['pid', 'tt', 'stat', 'time', 'args'];

export interface Field {
  readonly keyword: Keyword;
  readonly header: string;
}

/**
 * Parses one `-o` argument: keywords separated by commas or blanks; `kw=HEADER` renames a
 * column and, as in FreeBSD, takes the rest of the argument as the header.
 * Returns the unknown keyword as an error string.
 */
export function parseFormat(spec: string): Field[] | string {
  const fields: Field[] = [];
  let rest = spec;
  while (rest !== '') {
    const m = /^[\s,]*([^\s,=]+)(=?)/.exec(rest);
    if (m === null) break;
    const name = m[1]!;
    const keyword = Object.hasOwn(KEYWORDS, name.toLowerCase()) ? KEYWORDS[name.toLowerCase()] : undefined;
    if (keyword === undefined) return name;
    if (m[2] === '=') {
      fields.push({ keyword, header: rest.slice(m[0].length) });
      break;
    }
    fields.push({ keyword, header: keyword.header });
    rest = rest.slice(m[0].length);
  }
  return fields;
}
