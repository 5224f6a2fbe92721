/**
 * wc(1): lines, words and bytes (-l -w -c; -m counts UTF-8 characters instead of bytes) of
 * each input, in BSD's ` %7d` columns, with a total line when there are several files.
 */
import type { Program, Sys } from '../../kernel/abi.js';
import { warn } from '../lib.js';
import { parseArgs } from './getopt.js';
import { CHUNK, operandsOrStdin, withInput } from './input.js';
import { Output } from './output.js';

const USAGE = 'wc [-clmw] [file ...]';

interface Counts {
  lines: number;
  words: number;
  bytes: number;
  chars: number;
}

const zero = (): Counts => ({ lines: 0, words: 0, bytes: 0, chars: 0 });

export const wc: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'wc', argv, 'clmw', USAGE);
  if (!opts) return 1;
  const any = opts.list.length > 0;
  const unit = opts.lastOf('cm');
  const fields: (keyof Counts)[] = [];
  if (!any || opts.has('l')) fields.push('lines');
  if (!any || opts.has('w')) fields.push('words');
  if (!any || unit !== undefined) fields.push(unit === 'm' ? 'chars' : 'bytes');
  const out = new Output(sys);
  const row = (c: Counts, name: string | undefined): string =>
    fields.map((f) => ` ${String(c[f]).padStart(7)}`).join('') + (name === undefined ? '' : ` ${name}`) + '\n';
  const total = zero();
  let status = 0;
  for (const operand of operandsOrStdin(opts.operands)) {
    try {
      const c = await withInput(sys, operand, (input) => count(sys, input.fd));
      for (const f of fields) total[f] += c[f];
      await out.write(row(c, opts.operands.length === 0 ? undefined : operand));
    } catch (err) {
      await out.flush();
      await warn(sys, 'wc', err, operand);
      status = 1;
    }
  }
  if (opts.operands.length > 1) await out.write(row(total, 'total'));
  await out.flush();
  return status;
};

/** Space, \t, \n, \v, \f, \r: what isspace(3) calls white space in the C locale. */
const isSpace = (b: number): boolean => b === 0x20 || (b >= 0x09 && b <= 0x0d);

async function count(sys: Sys, fd: number): Promise<Counts> {
  const c = zero();
  let inWord = false;
  for (;;) {
    const chunk = await sys.read(fd, CHUNK);
    if (chunk.length === 0) return c;
    c.bytes += chunk.length;
    for (const b of chunk) {
      if (b === 0x0a) c.lines++;
      // UTF-8 continuation bytes do not start a character.
      if ((b & 0xc0) !== 0x80) c.chars++;
      if (isSpace(b)) inWord = false;
      else if (!inWord) {
        inWord = true;
        c.words++;
      }
    }
  }
}
