/** ln(1): hard links, or symbolic links with -s; -f replaces an existing target; into a directory when the target is one. */
import type { Program, Sys } from '../../kernel/abi.js';
import { errnoOf, print, printErr, warn } from '../lib.js';
import { parseArgs, usageFail } from './getopt.js';
import { isDir } from './modes.js';
import { planMoves } from './targets.js';

const USAGE = 'ln [-s] [-fv] source_file [target_file]\n       ln [-s] [-fv] source_file ... target_dir';

export const ln: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'ln', argv, 'fsv', USAGE);
  if (!opts) return 1;
  const operands = opts.operands;
  if (operands.length === 0) return usageFail(sys, USAGE);
  // One operand links it into the working directory under its own name (./name).
  const plan = await planMoves(sys, operands.length === 1 ? [operands[0]!, '.'] : operands);
  if (typeof plan === 'string') {
    await printErr(sys, `ln: ${plan}\n`);
    return 1;
  }
  let status = 0;
  for (const { from, to } of plan) {
    const ok = await linkOne(sys, from, to, opts.has('s'), opts.has('f'));
    if (!ok) status = 1;
    else if (opts.has('v')) await print(sys, `${to} ${opts.has('s') ? '->' : '=>'} ${from}\n`);
  }
  return status;
};

async function linkOne(sys: Sys, source: string, target: string, symbolic: boolean, force: boolean): Promise<boolean> {
  if (!symbolic) {
    // A hard link needs an existing source; name it, not the target, when it is missing.
    try {
      if (isDir((await sys.stat(source)).mode)) {
        await printErr(sys, `ln: ${source}: Is a directory\n`);
        return false;
      }
    } catch (err) {
      await warn(sys, 'ln', err, source);
      return false;
    }
  }
  try {
    if (force) await unlinkIfThere(sys, target);
    if (symbolic) await sys.symlink(source, target);
    else await sys.link(source, target);
    return true;
  } catch (err) {
    await warn(sys, 'ln', err, target);
    return false;
  }
}

async function unlinkIfThere(sys: Sys, path: string): Promise<void> {
  try {
    await sys.unlink(path);
  } catch (err) {
    if (errnoOf(err) !== 'ENOENT') throw err;
  }
}
