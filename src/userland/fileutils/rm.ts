/** rm(1): removes files; -r/-R directories recursively, -d empty directories, -f no complaints about missing files. */
import type { Program } from '../../kernel/abi.js';
import { printErr } from '../lib.js';
import { parseArgs, usageFail } from './getopt.js';
import { basename } from './paths.js';
import { remove } from './remove.js';

const USAGE = 'rm [-f] [-dRrv] file ...';

export const rm: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'rm', argv, 'dfiRrv', USAGE);
  if (!opts) return 1;
  // -i is accepted but there is no terminal to ask: the later of -f and -i decides -f.
  const flags = {
    force: opts.lastOf('fi') === 'f',
    recursive: opts.has('r') || opts.has('R'),
    emptyDirs: opts.has('d'),
    verbose: opts.has('v'),
  };
  if (opts.operands.length === 0) return flags.force ? 0 : usageFail(sys, USAGE);
  let ok = true;
  for (const path of opts.operands) {
    const name = basename(path);
    if (name === '.' || name === '..') {
      await printErr(sys, 'rm: "." and ".." may not be removed\n');
      ok = false;
      continue;
    }
    ok = (await remove(sys, 'rm', path, flags)) && ok;
  }
  return ok ? 0 : 1;
};
