/**
 * ps(1), FreeBSD flavour: the caller's processes by default, every visible one with -a, -e or
 * -x (a cell sees only its own: /proc decides), -o for columns, -Z for Solaris' ZONE column.
 * BSD's dashless form (`ps ax`) is accepted too.
 */
import type { Program } from '../../kernel/abi.js';
import { parseArgs } from '../fileutils/getopt.js';
import { print, printErr } from '../lib.js';
import { loadIdNames } from '../users.js';
import { readProcesses } from './procfs.js';
import { DEFAULT_FORMAT, type Field, KEYWORDS, parseFormat } from './ps-fields.js';
import { formatTable } from './table.js';

const USAGE = 'ps [-aeZx] [-o fmt] [-p pid[,pid...]]';

export const ps: Program = async (sys, argv) => {
  const first = argv[1];
  const args = first !== undefined && /^[a-zA-Z]+$/.test(first) ? [argv[0]!, `-${first}`, ...argv.slice(2)] : argv;
  const opts = await parseArgs(sys, 'ps', args, 'aAeo:p:xZ', USAGE);
  if (opts === undefined) return 1;
  if (opts.operands.length > 0) {
    await printErr(sys, `usage: ${USAGE}\n`);
    return 1;
  }

  const fields: Field[] = opts.has('Z') ? [{ keyword: KEYWORDS.zone!, header: 'ZONE' }] : [];
  const formats = opts.list.filter((o) => o.flag === 'o').map((o) => o.arg!);
  for (const spec of formats.length > 0 ? formats : [DEFAULT_FORMAT.join(',')]) {
    const parsed = parseFormat(spec);
    if (typeof parsed === 'string') {
      await printErr(sys, `ps: ${parsed}: keyword not found\n`);
      return 1;
    }
    fields.push(...parsed);
  }

  const pidList = opts.list.filter((o) => o.flag === 'p').flatMap((o) => o.arg!.split(/[\s,]+/));
  const bad = pidList.find((p) => !/^\d+$/.test(p));
  if (bad !== undefined) {
    await printErr(sys, `ps: ${bad}: illegal process id\n`);
    return 1;
  }
  const pids = new Set(pidList.map(Number));
  const all = opts.has('a') || opts.has('A') || opts.has('e') || opts.has('x');
  const uid = await sys.getuid();
  const procs = (await readProcesses(sys)).filter((p) => (pids.size > 0 ? pids.has(p.pid) : all || p.uid === uid));

  const names = await loadIdNames(sys);
  const columns = fields.map((f) => ({ ...f.keyword, header: f.header }));
  const rows = procs.map((p) => fields.map((f) => f.keyword.render(p, names)));
  // FreeBSD prints no header line when every header was renamed to nothing.
  await print(sys, formatTable(columns, rows, fields.some((f) => f.header !== '')));
  // As FreeBSD: -p naming no live process is a failure.
  return pids.size > 0 && procs.length === 0 ? 1 : 0;
};
