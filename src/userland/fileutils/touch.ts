/**
 * touch(1): creates missing files (open O_CREAT|O_WRONLY, mode 0666). There is no utimes
 * syscall, so an existing file is left as it is: its times are not updated. -c: create nothing.
 */
import { O_CREAT, O_WRONLY } from '../../kernel/abi.js';
import type { Program } from '../../kernel/abi.js';
import { warn } from '../lib.js';
import { parseArgs, usageFail } from './getopt.js';

const USAGE = 'touch [-c] file ...';

export const touch: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'touch', argv, 'c', USAGE);
  if (!opts) return 1;
  if (opts.operands.length === 0) return usageFail(sys, USAGE);
  let status = 0;
  for (const file of opts.operands) {
    try {
      await sys.stat(file);
      continue;
    } catch {
      // Missing: create it below (unless -c); any real error shows up when opening.
    }
    if (opts.has('c')) continue;
    try {
      await sys.close(await sys.open(file, O_CREAT | O_WRONLY, 0o666));
    } catch (err) {
      await warn(sys, 'touch', err, file);
      status = 1;
    }
  }
  return status;
};
