/** head(1): the first lines (-n, default 10; also the old `-N`) or bytes (-c) of each input. */
import type { Program, Sys } from '../../kernel/abi.js';
import { printErr, warn } from '../lib.js';
import { parseCount } from './counts.js';
import { obsoleteCount, parseArgs } from './getopt.js';
import { Banners } from './headers.js';
import { CHUNK, operandsOrStdin, readLines, withInput } from './input.js';
import { Output } from './output.js';

const USAGE = 'head [-n lines | -c bytes] [file ...]';

export const head: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'head', obsoleteCount(argv), 'c:n:', USAGE);
  if (!opts) return 1;
  const bytes = opts.lastOf('cn') === 'c';
  const countText = opts.value(bytes ? 'c' : 'n') ?? '10';
  const count = parseCount(countText);
  if (count === undefined || count === 0) {
    await printErr(sys, `head: illegal ${bytes ? 'byte' : 'line'} count -- ${countText}\n`);
    return 1;
  }
  const out = new Output(sys);
  const banners = new Banners(opts.operands.length > 1);
  let status = 0;
  for (const operand of operandsOrStdin(opts.operands)) {
    try {
      await withInput(sys, operand, async (input) => {
        await banners.before(out, operand);
        await (bytes ? firstBytes : firstLines)(sys, input.fd, count, out);
      });
    } catch (err) {
      await out.flush();
      await warn(sys, 'head', err, operand);
      status = 1;
    }
  }
  await out.flush();
  return status;
};

async function firstLines(sys: Sys, fd: number, count: number, out: Output): Promise<void> {
  let left = count;
  for await (const line of readLines(sys, fd)) {
    await out.write(line);
    if (--left === 0) return;
  }
}

async function firstBytes(sys: Sys, fd: number, count: number, out: Output): Promise<void> {
  for (let left = count; left > 0; ) {
    const chunk = await sys.read(fd, Math.min(left, CHUNK));
    if (chunk.length === 0) return;
    await out.write(chunk);
    left -= chunk.length;
  }
}
