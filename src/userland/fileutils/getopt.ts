/**
 * POSIX getopt(3) for the file utilities: short flags, grouped (`-rf`), option arguments
 * attached or separate (`-n5`, `-n 5`), `--` ends the options, a lone `-` is an operand, and
 * parsing stops at the first operand as BSD tools do (no GNU permutation).
 */
import type { Sys } from '../../kernel/abi.js';
import { printErr } from '../lib.js';

/** One parsed option in command-line order; `arg` is set for options declared with `:`. */
export interface Opt {
  readonly flag: string;
  readonly arg?: string;
}

export class Options {
  constructor(
    readonly list: readonly Opt[],
    readonly operands: readonly string[],
  ) {}

  has(flag: string): boolean {
    return this.list.some((o) => o.flag === flag);
  }

  /** The argument of the last occurrence of `flag` (later options override earlier ones). */
  value(flag: string): string | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) {
      if (this.list[i]!.flag === flag) return this.list[i]!.arg;
    }
    return undefined;
  }

  /** Which of `flags` came last, for mutually overriding options such as rm's -f and -i. */
  lastOf(flags: string): string | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) {
      if (flags.includes(this.list[i]!.flag)) return this.list[i]!.flag;
    }
    return undefined;
  }
}

/** getopt's complaint, worded as BSD getopt prints it. */
export class UsageError extends Error {}

/**
 * Parses `args` (argv without argv[0]) against an optstring such as `"ln:"`: `l` is a flag,
 * `n` takes an argument. Throws UsageError on an unknown option or a missing argument.
 */
export function getopt(args: readonly string[], optstring: string): Options {
  const list: Opt[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const word = args[i]!;
    if (word === '--') {
      i++;
      break;
    }
    if (!word.startsWith('-') || word === '-') break;
    for (let j = 1; j < word.length; j++) {
      const flag = word[j]!;
      const at = flag === ':' ? -1 : optstring.indexOf(flag);
      if (at < 0) throw new UsageError(`illegal option -- ${flag}`);
      if (optstring[at + 1] !== ':') {
        list.push({ flag });
        continue;
      }
      let arg = word.slice(j + 1);
      if (arg === '') {
        if (i + 1 >= args.length) throw new UsageError(`option requires an argument -- ${flag}`);
        arg = args[++i]!;
      }
      list.push({ flag, arg });
      break;
    }
  }
  return new Options(list, args.slice(i));
}

/**
 * getopt for a program: on a usage error prints `prog: illegal option -- z` and the usage
 * line to stderr and returns undefined, so the caller can `return 1` as BSD's usage() exits.
 */
export async function parseArgs(sys: Sys, prog: string, argv: readonly string[], optstring: string, usage: string): Promise<Options | undefined> {
  try {
    return getopt(argv.slice(1), optstring);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    await printErr(sys, `${prog}: ${err.message}\n${usageLine(usage)}`);
    return undefined;
  }
}

/** Prints the usage line alone (operand errors) and gives the exit status 1 to return. */
export async function usageFail(sys: Sys, usage: string): Promise<number> {
  await printErr(sys, usageLine(usage));
  return 1;
}

function usageLine(usage: string): string {
  return `usage: ${usage}\n`;
}

/** The historical `head -5` / `tail -5` form, rewritten as `-n 5` before getopt sees it. */
export function obsoleteCount(argv: readonly string[]): readonly string[] {
  const first = argv[1];
  if (first !== undefined && /^-\d+$/.test(first)) return [argv[0]!, '-n', first.slice(1), ...argv.slice(2)];
  return argv;
}
