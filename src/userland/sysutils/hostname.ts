/** hostname(1): prints the caller's hostname (its UTS namespace's), or sets it. -s: short form. */
import type { Program } from '../../kernel/abi.js';
import { parseArgs, usageFail } from '../fileutils/getopt.js';
import { print, warn } from '../lib.js';

const USAGE = 'hostname [-s] [name-of-host]';

export const hostname: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'hostname', argv, 's', USAGE);
  if (opts === undefined) return 1;
  const [name, ...extra] = opts.operands;
  if (extra.length > 0) return usageFail(sys, USAGE);
  if (name !== undefined) {
    try {
      await sys.sethostname(name);
    } catch (err) {
      await warn(sys, 'hostname', err, 'sethostname');
      return 1;
    }
    return 0;
  }
  const current = await sys.gethostname();
  await print(sys, `${opts.has('s') ? current.split('.')[0]! : current}\n`);
  return 0;
};
