/** umount(8): unmounts each target; -f is accepted (nothing here holds a mount busy). */
import type { Program } from '../../kernel/abi.js';
import { parseArgs, usageFail } from '../fileutils/getopt.js';
import { warn } from '../lib.js';

const USAGE = 'umount [-f] special | node ...';

export const umount: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'umount', argv, 'f', USAGE);
  if (opts === undefined) return 1;
  if (opts.operands.length === 0) return usageFail(sys, USAGE);
  let status = 0;
  for (const target of opts.operands) {
    try {
      await sys.umount(target);
    } catch (err) {
      await warn(sys, 'umount', err, target);
      status = 1;
    }
  }
  return status;
};
