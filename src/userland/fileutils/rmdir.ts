/** rmdir(1): removes empty directories; -p also removes each now-empty parent named in the operand. */
import type { Program } from '../../kernel/abi.js';
import { warn } from '../lib.js';
import { parseArgs, usageFail } from './getopt.js';
import { dirname } from './paths.js';

const USAGE = 'rmdir [-pv] directory ...';

export const rmdir: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'rmdir', argv, 'pv', USAGE);
  if (!opts) return 1;
  if (opts.operands.length === 0) return usageFail(sys, USAGE);
  let status = 0;
  for (const operand of opts.operands) {
    let dir = operand;
    for (;;) {
      try {
        await sys.rmdir(dir);
      } catch (err) {
        await warn(sys, 'rmdir', err, dir);
        status = 1;
        break;
      }
      const parent = dirname(dir);
      if (!opts.has('p') || parent === '.' || parent === '/' || parent === dir) break;
      dir = parent;
    }
  }
  return status;
};
