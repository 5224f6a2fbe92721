/**
 * test(1) and `[`: evaluates an expression of file tests, string and integer comparisons,
 * `!`, `-a`, `-o` and parentheses, with POSIX's rules by argument count for up to four
 * arguments and a recursive-descent parser beyond. Exit 0 true, 1 false, 2 on a syntax error.
 */
import type { Program, Stat, Sys } from '../../kernel/abi.js';
import { S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK } from '../../kernel/abi.js';
import { printErr } from '../lib.js';

class TestError extends Error {}

const R_OK = 4;
const W_OK = 2;
const X_OK = 1;

type FileTest = (sys: Sys, path: string) => Promise<boolean>;

/** Answers false instead of failing: a file that cannot be examined passes no test. */
const quietly =
  (probe: (sys: Sys, path: string) => Promise<boolean>): FileTest =>
  (sys, path) =>
    probe(sys, path).catch(() => false);
const statIs = (check: (st: Stat) => boolean): FileTest => quietly(async (sys, path) => check(await sys.stat(path)));
const typeIs = (type: number): FileTest => statIs((st) => (st.mode & S_IFMT) === type);
const accessible = (mode: number): FileTest => quietly(async (sys, path) => (await sys.access(path, mode), true));

const FILE_TESTS: Readonly<Record<string, FileTest>> = {
  '-e': statIs(() => true),
  '-f': typeIs(S_IFREG),
  '-d': typeIs(S_IFDIR),
  '-c': typeIs(S_IFCHR),
  '-p': typeIs(S_IFIFO),
  '-S': typeIs(S_IFSOCK),
  '-h': quietly(async (sys, path) => ((await sys.lstat(path)).mode & S_IFMT) === S_IFLNK),
  '-L': quietly(async (sys, path) => ((await sys.lstat(path)).mode & S_IFMT) === S_IFLNK),
  '-s': statIs((st) => st.size > 0),
  '-u': statIs((st) => (st.mode & 0o4000) !== 0),
  '-g': statIs((st) => (st.mode & 0o2000) !== 0),
  '-k': statIs((st) => (st.mode & 0o1000) !== 0),
  '-r': accessible(R_OK),
  '-w': accessible(W_OK),
  '-x': accessible(X_OK),
};

const UNARY = new Set([...Object.keys(FILE_TESTS), '-n', '-z', '-t']);
const BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);

function integer(text: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(text)) throw new TestError(`${text}: bad number`);
  return Number(text);
}

async function unary(sys: Sys, op: string, operand: string): Promise<boolean> {
  if (op === '-n') return operand !== '';
  if (op === '-z') return operand === '';
  if (op === '-t') return sys.isatty(integer(operand)).catch(() => false);
  return FILE_TESTS[op]!(sys, operand);
}

async function binary(sys: Sys, left: string, op: string, right: string): Promise<boolean> {
  switch (op) {
    case '=':
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return left < right;
    case '>':
      return left > right;
    case '-eq':
      return integer(left) === integer(right);
    case '-ne':
      return integer(left) !== integer(right);
    case '-lt':
      return integer(left) < integer(right);
    case '-le':
      return integer(left) <= integer(right);
    case '-gt':
      return integer(left) > integer(right);
    case '-ge':
      return integer(left) >= integer(right);
    default:
      return compareFiles(sys, left, op, right);
  }
}

/** -nt, -ot (modification times; a missing file is older than any) and -ef (same file). */
async function compareFiles(sys: Sys, left: string, op: string, right: string): Promise<boolean> {
  // One syscall at a time: a process is in at most one call.
  const a = await sys.stat(left).catch(() => undefined);
  const b = await sys.stat(right).catch(() => undefined);
  if (op === '-ef') return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
  const newer = (x: Stat | undefined, y: Stat | undefined): boolean => x !== undefined && (y === undefined || x.mtimeMs > y.mtimeMs);
  return op === '-nt' ? newer(a, b) : newer(b, a);
}

/** The general grammar: or := and (-o or)?; and := not (-a and)?; not := ! not | primary. */
class Parser {
  private at = 0;

  constructor(
    private readonly sys: Sys,
    private readonly args: readonly string[],
  ) {}

  async parse(): Promise<boolean> {
    const value = await this.or();
    if (this.at < this.args.length) throw new TestError(`${this.args[this.at]}: unexpected operator`);
    return value;
  }

  private next(): string {
    const word = this.args[this.at++];
    if (word === undefined) throw new TestError('argument expected');
    return word;
  }

  private async or(): Promise<boolean> {
    const left = await this.and();
    if (this.args[this.at] !== '-o') return left;
    this.at++;
    const right = await this.or();
    return left || right;
  }

  private async and(): Promise<boolean> {
    const left = await this.not();
    if (this.args[this.at] !== '-a') return left;
    this.at++;
    const right = await this.and();
    return left && right;
  }

  private async not(): Promise<boolean> {
    if (this.args[this.at] === '!') {
      this.at++;
      return !(await this.not());
    }
    return this.primary();
  }

  private async primary(): Promise<boolean> {
    const word = this.next();
    if (word === '(' && this.at < this.args.length) {
      const value = await this.or();
      if (this.next() !== ')') throw new TestError('closing paren expected');
      return value;
    }
    const following = this.args[this.at];
    if (following !== undefined && BINARY.has(following) && this.at + 1 < this.args.length) {
      this.at++;
      return binary(this.sys, word, following, this.next());
    }
    if (UNARY.has(word) && following !== undefined) return unary(this.sys, word, this.next());
    return word !== '';
  }
}

/** POSIX's table by number of arguments, which settles `test ! -n`, `test -n =` and kin. */
async function evaluate(sys: Sys, args: readonly string[]): Promise<boolean> {
  const [a, b, c, d] = args;
  switch (args.length) {
    case 0:
      return false;
    case 1:
      return a !== '';
    case 2:
      if (a === '!') return b === '';
      if (UNARY.has(a!)) return unary(sys, a!, b!);
      break;
    case 3:
      if (BINARY.has(b!)) return binary(sys, a!, b!, c!);
      if (a === '!') return !(await evaluate(sys, args.slice(1)));
      if (a === '(' && c === ')') return b !== '';
      break;
    case 4:
      if (a === '!') return !(await evaluate(sys, args.slice(1)));
      if (a === '(' && d === ')') return evaluate(sys, args.slice(1, 3));
      break;
  }
  return new Parser(sys, args).parse();
}

async function runTest(sys: Sys, prog: string, args: readonly string[]): Promise<number> {
  try {
    return (await evaluate(sys, args)) ? 0 : 1;
  } catch (err) {
    if (!(err instanceof TestError)) throw err;
    await printErr(sys, `${prog}: ${err.message}\n`);
    return 2;
  }
}

export const test: Program = (sys, argv) => runTest(sys, 'test', argv.slice(1));

/** `[ expr ]`: test with a required closing bracket. */
export const bracket: Program = async (sys, argv) => {
  if (argv[argv.length - 1] !== ']' || argv.length < 2) {
    await printErr(sys, '[: missing ]\n');
    return 2;
  }
  return runTest(sys, '[', argv.slice(1, -1));
};
