/** whoami(1): the user name of the effective uid, or the number when /etc/passwd has none. */
import type { Program } from '../../kernel/abi.js';
import { print, printErr } from '../lib.js';
import { loadIdNames } from '../users.js';

export const whoami: Program = async (sys, argv) => {
  if (argv.length > 1) {
    await printErr(sys, 'usage: whoami\n');
    return 1;
  }
  const names = await loadIdNames(sys);
  await print(sys, `${names.user(await sys.getuid())}\n`);
  return 0;
};
