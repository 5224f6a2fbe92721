/**
 * zonename(1): the caller's cell name; `global` in the host (cell 0), as Solaris prints in the
 * global zone. It asks the kernel, so a process in a jail gets the jail's name too.
 */
import type { Program } from '../../kernel/abi.js';
import { print, printErr } from '../lib.js';

export const zonename: Program = async (sys, argv) => {
  if (argv.length > 1) {
    await printErr(sys, 'usage: zonename\n');
    return 1;
  }
  const own = await sys.cell_get();
  await print(sys, `${own.id === 0 ? 'global' : own.name}\n`);
  return 0;
};
