/** mkdir(1): -p makes missing parents and accepts existing directories; -m sets the mode (octal). */
import type { Program, Sys } from '../../kernel/abi.js';
import { errnoOf, print, printErr, warn } from '../lib.js';
import { parseArgs, usageFail } from './getopt.js';
import { isDir, statOrNone } from './modes.js';

const USAGE = 'mkdir [-pv] [-m mode] directory_name ...';

export const mkdir: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'mkdir', argv, 'm:pv', USAGE);
  if (!opts) return 1;
  if (opts.operands.length === 0) return usageFail(sys, USAGE);
  const modeText = opts.value('m');
  const mode = modeText === undefined ? 0o777 : parseOctalMode(modeText);
  if (mode === undefined) {
    await printErr(sys, `mkdir: invalid file mode: ${modeText}\n`);
    return 1;
  }
  let status = 0;
  for (const dir of opts.operands) {
    try {
      if (opts.has('p')) await makeParents(sys, dir, mode);
      else await sys.mkdir(dir, mode);
      if (opts.has('v')) await print(sys, `${dir}\n`);
    } catch (err) {
      await warn(sys, 'mkdir', err, dir);
      status = 1;
    }
  }
  return status;
};

/** Octal modes only; symbolic modes (u+x) are not supported. */
function parseOctalMode(text: string): number | undefined {
  return /^[0-7]{1,4}$/.test(text) ? parseInt(text, 8) : undefined;
}

/** mkdir -p: each prefix in turn; an existing directory is fine, an existing file is not. */
async function makeParents(sys: Sys, path: string, mode: number): Promise<void> {
  const parts = path.replace(/\/+$/, '').split('/');
  for (let i = 1; i <= parts.length; i++) {
    if (parts[i - 1] === '') continue;
    const prefix = parts.slice(0, i).join('/');
    try {
      // Intermediate directories get u+wx so the rest can be made inside them, as POSIX asks.
      await sys.mkdir(prefix, i === parts.length ? mode : mode | 0o300);
    } catch (err) {
      const existing = errnoOf(err) === 'EEXIST' ? await statOrNone(sys, prefix) : undefined;
      if (existing === undefined || !isDir(existing)) throw err;
    }
  }
}
