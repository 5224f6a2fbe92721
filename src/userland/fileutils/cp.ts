/** cp(1): copies files, trees with -R/-r, into a directory when the target is one. */
import type { Program } from '../../kernel/abi.js';
import { printErr } from '../lib.js';
import { Copier } from './copy.js';
import { parseArgs, usageFail } from './getopt.js';
import { planMoves } from './targets.js';

const USAGE = 'cp [-R] [-fv] source_file target_file\n       cp [-R] [-fv] source_file ... target_directory';

export const cp: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'cp', argv, 'fRrv', USAGE);
  if (!opts) return 1;
  if (opts.operands.length < 2) return usageFail(sys, USAGE);
  const plan = await planMoves(sys, opts.operands);
  if (typeof plan === 'string') {
    await printErr(sys, `cp: ${plan}\n`);
    return 1;
  }
  const copier = new Copier(sys, 'cp', { recursive: opts.has('R') || opts.has('r'), force: opts.has('f'), verbose: opts.has('v') });
  let ok = true;
  for (const { from, to } of plan) ok = (await copier.copy(from, to)) && ok;
  return ok ? 0 : 1;
};
