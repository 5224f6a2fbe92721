/**
 * grep(1): prints lines matching a pattern. Patterns are POSIX basic REs (-E extended, -F
 * fixed strings) translated to JavaScript RegExp (see regex.ts); -i -v -c -l -n -q -s -w -x
 * -h -H and -e as BSD grep. Exit status 0 when a line matched, 1 when none, 2 on an error
 * (but 0 with -q once a line matched).
 */
import type { Program, Sys } from '../../kernel/abi.js';
import { printErr, warn } from '../lib.js';
import type { Options } from './getopt.js';
import { parseArgs, usageFail } from './getopt.js';
import { operandsOrStdin, readLines, withInput } from './input.js';
import { Output } from './output.js';
import { escapeLiteral, translateBasic, translateExtended } from './regex.js';

const USAGE = 'grep [-cEFHhilnqsvwx] [-e pattern] [pattern] [file ...]';
const decoder = new TextDecoder();

interface Search {
  readonly regex: RegExp;
  readonly invert: boolean;
  readonly mode: 'lines' | 'count' | 'names' | 'quiet';
  readonly numbers: boolean;
  readonly prefix: boolean;
}

export const grep: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'grep', argv, 'cEe:FHhilnqsvwx', USAGE);
  if (!opts) return 1;
  const patterns = opts.list.filter((o) => o.flag === 'e').map((o) => o.arg!);
  const operands = [...opts.operands];
  if (patterns.length === 0) {
    if (operands.length === 0) return usageFail(sys, USAGE).then(() => 2);
    patterns.push(operands.shift()!);
  }
  let regex: RegExp;
  try {
    regex = compile(patterns, opts);
  } catch (err) {
    await printErr(sys, `grep: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const search: Search = {
    regex,
    invert: opts.has('v'),
    mode: opts.has('q') ? 'quiet' : opts.has('l') ? 'names' : opts.has('c') ? 'count' : 'lines',
    numbers: opts.has('n'),
    prefix: opts.has('H') || (operands.length > 1 && !opts.has('h')),
  };
  const out = new Output(sys);
  let matched = false;
  let failed = false;
  for (const operand of operandsOrStdin(operands)) {
    try {
      const name = operand === '-' ? '(standard input)' : operand;
      const found = await withInput(sys, operand, (input) => searchFd(sys, input.fd, name, search, out));
      matched ||= found;
      if (found && search.mode === 'quiet') break;
    } catch (err) {
      await out.flush();
      if (!opts.has('s')) await warn(sys, 'grep', err, operand);
      failed = true;
    }
  }
  await out.flush();
  if (matched) return failed && search.mode !== 'quiet' ? 2 : 0;
  return failed ? 2 : 1;
};

/** One RegExp for all the -e patterns (alternatives), with -F, -E, -i, -w and -x applied. */
function compile(patterns: readonly string[], opts: Options): RegExp {
  const translate = opts.has('F') ? escapeLiteral : opts.has('E') ? translateExtended : translateBasic;
  // A pattern holding newlines is several patterns, as grep reads it.
  let source = patterns.flatMap((p) => p.split('\n')).map((p) => `(?:${translate(p)})`).join('|');
  if (opts.has('x')) source = `^(?:${source})$`;
  else if (opts.has('w')) source = `(?<![\\w])(?:${source})(?![\\w])`;
  try {
    return new RegExp(source, opts.has('i') ? 'i' : '');
  } catch (err) {
    throw new SyntaxError(`invalid regular expression: ${patterns.join(' ')}`, { cause: err });
  }
}

/** Searches one input; answers whether any line was selected. */
async function searchFd(sys: Sys, fd: number, name: string, search: Search, out: Output): Promise<boolean> {
  let count = 0;
  let lineNo = 0;
  for await (const bytes of readLines(sys, fd)) {
    lineNo++;
    const text = decoder.decode(bytes[bytes.length - 1] === 0x0a ? bytes.subarray(0, -1) : bytes);
    if (search.regex.test(text) === search.invert) continue;
    count++;
    if (search.mode === 'quiet') return true;
    if (search.mode === 'names') break;
    if (search.mode === 'lines') {
      const where = (search.prefix ? `${name}:` : '') + (search.numbers ? `${lineNo}:` : '');
      await out.write(`${where}${text}\n`);
    }
  }
  if (search.mode === 'count') await out.write(`${search.prefix ? `${name}:` : ''}${count}\n`);
  if (search.mode === 'names' && count > 0) await out.write(`${name}\n`);
  return count > 0;
}
