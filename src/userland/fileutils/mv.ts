/**
 * mv(1): renames, into a directory when the target is one. Across filesystems (EXDEV) it
 * copies the tree and removes the source, as BSD mv does.
 */
import type { Program, Sys } from '../../kernel/abi.js';
import { errnoOf, errorText, print, printErr } from '../lib.js';
import { Copier } from './copy.js';
import { parseArgs, usageFail } from './getopt.js';
import { remove } from './remove.js';
import { planMoves } from './targets.js';

const USAGE = 'mv [-fv] source target\n       mv [-fv] source ... directory';

export const mv: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'mv', argv, 'fiv', USAGE);
  if (!opts) return 1;
  if (opts.operands.length < 2) return usageFail(sys, USAGE);
  const plan = await planMoves(sys, opts.operands);
  if (typeof plan === 'string') {
    await printErr(sys, `mv: ${plan}\n`);
    return 1;
  }
  let ok = true;
  for (const { from, to } of plan) {
    const moved = await moveOne(sys, from, to);
    if (moved && opts.has('v')) await print(sys, `${from} -> ${to}\n`);
    ok = moved && ok;
  }
  return ok ? 0 : 1;
};

async function moveOne(sys: Sys, from: string, to: string): Promise<boolean> {
  try {
    await sys.rename(from, to);
    return true;
  } catch (err) {
    if (errnoOf(err) === 'EXDEV') return copyThenRemove(sys, from, to);
    await printErr(sys, `mv: rename ${from} to ${to}: ${errorText(err)}\n`);
    return false;
  }
}

async function copyThenRemove(sys: Sys, from: string, to: string): Promise<boolean> {
  const copier = new Copier(sys, 'mv', { recursive: true, force: true, verbose: false });
  if (!(await copier.copy(from, to))) return false;
  return remove(sys, 'mv', from, { force: false, recursive: true, emptyDirs: false, verbose: false });
}
