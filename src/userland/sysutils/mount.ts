/**
 * mount(8): without operands lists the caller's mounts as FreeBSD does
 * (`memfs on / (memfs)`); `mount [-t fstype] [-r] [-o ro|rw] source target` mounts a
 * filesystem (`-t nullfs /usr /jails/www/usr` mounts a directory again). Without -t the type is
 * memfs, the native filesystem here (FreeBSD's default is ufs).
 */
import { MNT_RDONLY, type Program } from '../../kernel/abi.js';
import { parseArgs, usageFail } from '../fileutils/getopt.js';
import { print, printErr, warn } from '../lib.js';
import { parseMountOptions } from '../../cells/fstab.js';
import { type MountEntry, readMounts } from './mounts.js';

const USAGE = 'mount [-r] [-o options] [-t fstype] special node';

function describe(m: MountEntry): string {
  const flags = [m.fstype, ...(m.options.includes('ro') ? ['read-only'] : [])];
  return `${m.source} on ${m.target} (${flags.join(', ')})\n`;
}

export const mount: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'mount', argv, 'o:rt:', USAGE);
  if (opts === undefined) return 1;
  const operands = opts.operands;
  if (operands.length === 0) {
    await print(sys, (await readMounts(sys)).map(describe).join(''));
    return 0;
  }
  if (operands.length !== 2) return usageFail(sys, USAGE);
  const [source, target] = operands as [string, string];
  const parsed = parseMountOptions(opts.value('o') ?? '', opts.has('r'));
  if ('error' in parsed) {
    await printErr(sys, `${parsed.error}\n`);
    return 1;
  }
  try {
    await sys.mount(source, target, opts.value('t') ?? 'memfs', parsed.readOnly ? MNT_RDONLY : 0);
  } catch (err) {
    await warn(sys, 'mount', err, target);
    return 1;
  }
  return 0;
};
