/** cat(1): concatenates files (`-` or no operand: stdin) to stdout. -u is accepted (output is unbuffered anyway). */
import type { Program } from '../../kernel/abi.js';
import { warn } from '../lib.js';
import { parseArgs } from './getopt.js';
import { copyFd, operandsOrStdin, withInput } from './input.js';

export const cat: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'cat', argv, 'u', 'cat [-u] [file ...]');
  if (!opts) return 1;
  let status = 0;
  for (const operand of operandsOrStdin(opts.operands)) {
    try {
      await withInput(sys, operand, (input) => copyFd(sys, input.fd));
    } catch (err) {
      await warn(sys, 'cat', err, operand);
      status = 1;
    }
  }
  return status;
};
