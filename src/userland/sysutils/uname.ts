/**
 * uname(1): the fields of uname(2) in their fixed order (sysname nodename release version
 * machine), whichever flags ask for them; the sysname alone by default. -p is the machine.
 */
import type { Program, Utsname } from '../../kernel/abi.js';
import { parseArgs, usageFail } from '../fileutils/getopt.js';
import { print } from '../lib.js';

const USAGE = 'uname [-amnprsv]';

const FIELDS: readonly [flag: string, pick: (u: Utsname) => string][] = [
  ['s', (u) => u.sysname],
  ['n', (u) => u.nodename],
  ['r', (u) => u.release],
  ['v', (u) => u.version],
  ['m', (u) => u.machine],
  ['p', (u) => u.machine],
];

export const uname: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'uname', argv, 'amnprsv', USAGE);
  if (opts === undefined) return 1;
  if (opts.operands.length > 0) return usageFail(sys, USAGE);
  const u = await sys.uname();
  const all = opts.has('a');
  // -a is exactly the five uname(2) fields, as FreeBSD prints it (no separate processor).
  let chosen = FIELDS.filter(([flag]) => (all ? flag !== 'p' : opts.has(flag)));
  if (chosen.length === 0) chosen = FIELDS.slice(0, 1);
  await print(sys, `${chosen.map(([, pick]) => pick(u)).join(' ')}\n`);
  return 0;
};
