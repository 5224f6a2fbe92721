/** pwd(1): the working directory. -L and -P are accepted; the kernel's getcwd is already physical. */
import type { Program } from '../../kernel/abi.js';
import { print, warn } from '../lib.js';
import { parseArgs, usageFail } from './getopt.js';

const USAGE = 'pwd [-L | -P]';

export const pwd: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'pwd', argv, 'LP', USAGE);
  if (!opts) return 1;
  if (opts.operands.length > 0) return usageFail(sys, USAGE);
  try {
    await print(sys, `${await sys.getcwd()}\n`);
    return 0;
  } catch (err) {
    await warn(sys, 'pwd', err, '.');
    return 1;
  }
};
