/**
 * tail(1): the last lines (-n, default 10; also `-N`) or bytes (-c) of each input; a `+N`
 * count starts at line or byte N instead. -f is not supported (nothing would ever end it).
 */
import type { Program } from '../../kernel/abi.js';
import { printErr, readAll, warn } from '../lib.js';
import { parseCount } from './counts.js';
import { obsoleteCount, parseArgs } from './getopt.js';
import { Banners } from './headers.js';
import { operandsOrStdin, withInput } from './input.js';
import { Output } from './output.js';

const USAGE = 'tail [-q] [-c # | -n #] [file ...]';
const NEWLINE = 0x0a;

/** Where the output starts: counted back from the end, or forward from the start (`+N`). */
interface Offset {
  readonly fromStart: boolean;
  readonly count: number;
}

export const tail: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'tail', obsoleteCount(argv), 'c:n:q', USAGE);
  if (!opts) return 1;
  const bytes = opts.lastOf('cn') === 'c';
  const text = opts.value(bytes ? 'c' : 'n') ?? '10';
  const offset = parseOffset(text);
  if (offset === undefined) {
    await printErr(sys, `tail: illegal offset -- ${text}\n`);
    return 1;
  }
  const out = new Output(sys);
  const banners = new Banners(opts.operands.length > 1 && !opts.has('q'));
  let status = 0;
  for (const operand of operandsOrStdin(opts.operands)) {
    try {
      const data = await withInput(sys, operand, (input) => readAll(sys, input.fd));
      await banners.before(out, operand);
      await out.write(data.subarray(bytes ? byteStart(data, offset) : lineStart(data, offset)));
    } catch (err) {
      await out.flush();
      await warn(sys, 'tail', err, operand);
      status = 1;
    }
  }
  await out.flush();
  return status;
};

function parseOffset(text: string): Offset | undefined {
  const count = parseCount(text.replace(/^[+-]/, ''));
  return count === undefined ? undefined : { fromStart: text.startsWith('+'), count };
}

function byteStart(data: Uint8Array, { fromStart, count }: Offset): number {
  return fromStart ? Math.min(Math.max(count - 1, 0), data.length) : Math.max(data.length - count, 0);
}

/** The offset of the first line to print. */
function lineStart(data: Uint8Array, { fromStart, count }: Offset): number {
  if (fromStart) {
    let at = 0;
    for (let line = 1; line < count && at < data.length; line++) {
      const nl = data.indexOf(NEWLINE, at);
      if (nl < 0) return data.length;
      at = nl + 1;
    }
    return at;
  }
  if (count === 0) return data.length;
  // A final newline ends the last line rather than starting an empty one.
  let seen = 0;
  for (let i = data.length - 2; i >= 0; i--) {
    if (data[i] === NEWLINE && ++seen === count) return i + 1;
  }
  return 0;
}
