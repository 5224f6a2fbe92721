/**
 * Builtins: commands that must change the shell itself (cd, exit, export, read, wait, ...).
 * `echo`, `test` and `pwd` are deliberately not here: they are binaries in the root
 * filesystem, so a root without /bin/echo has no echo, as everywhere else in cellblock.
 * Each builtin reads and writes through ctx.io, the command's descriptor table.
 */
import { errnoOf, errorText, readFile } from '../lib.js';
import { ExitSignal, LoopSignal, ReturnSignal } from './errors.js';
import type { Shell } from './interpreter.js';
import type { Io } from './redirect.js';
import { waitStatus } from './spawn.js';
import { shellQuote } from './state.js';

export interface BuiltinContext {
  readonly shell: Shell;
  readonly argv: readonly string[];
  readonly io: Io;
}

export type Builtin = (ctx: BuiltinContext) => Promise<number>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

async function out(ctx: BuiltinContext, text: string): Promise<number> {
  const fd = ctx.io[1];
  if (fd === null || fd === undefined) return 1;
  try {
    await ctx.shell.sys.write(fd, text);
    return 0;
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    return 1;
  }
}

/** Reports `sh: <name>: message` and returns `status`. */
async function fail(ctx: BuiltinContext, message: string, status: number): Promise<number> {
  await ctx.shell.report(ctx.io, `${ctx.argv[0]}: ${message}`);
  return status;
}

/** A non-negative count argument (`shift 2`, `exit 3`, `break 2`), or null if invalid. */
function count(text: string | undefined, fallback: number): number | null {
  if (text === undefined) return fallback;
  return /^\d+$/.test(text) ? Number(text) : null;
}

const colon: Builtin = async () => 0;

const cd: Builtin = async (ctx) => {
  const { state, sys } = ctx.shell;
  let target = ctx.argv[1];
  let print = false;
  if (target === undefined) {
    target = state.get('HOME');
    if (target === undefined) return fail(ctx, 'HOME not set', 2);
  } else if (target === '-') {
    target = state.get('OLDPWD');
    if (target === undefined) return fail(ctx, 'OLDPWD not set', 2);
    print = true;
  }
  const old = await sys.getcwd();
  try {
    await sys.chdir(target);
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    return fail(ctx, `${target}: ${errorText(err)}`, 2); // FreeBSD sh's wording and status
  }
  const cwd = await sys.getcwd();
  state.set('OLDPWD', old);
  state.set('PWD', cwd);
  return print ? out(ctx, `${cwd}\n`) : 0;
};

const exit: Builtin = async (ctx) => {
  const code = count(ctx.argv[1], ctx.shell.state.lastStatus);
  if (code === null) return fail(ctx, `Illegal number: ${ctx.argv[1]}`, 2);
  throw new ExitSignal(code & 255);
};

const returnBuiltin: Builtin = async (ctx) => {
  const code = count(ctx.argv[1], ctx.shell.state.lastStatus);
  if (code === null) return fail(ctx, `Illegal number: ${ctx.argv[1]}`, 2);
  throw new ReturnSignal(code & 255);
};

function loopControl(kind: 'break' | 'continue'): Builtin {
  return async (ctx) => {
    const levels = count(ctx.argv[1], 1);
    if (levels === null || levels === 0) return fail(ctx, `Illegal number: ${ctx.argv[1]}`, 2);
    const depth = ctx.shell.state.loopDepth;
    if (depth === 0) return 0;
    throw new LoopSignal(kind, Math.min(levels, depth));
  };
}

/** export / export -p: `NAME=value` sets and exports, `NAME` exports. */
const exportBuiltin: Builtin = async (ctx) => {
  const { state } = ctx.shell;
  const args = ctx.argv.slice(1).filter((a) => a !== '-p');
  if (args.length === 0) {
    const lines = [...state.exported].sort().flatMap((name) => {
      const value = state.get(name);
      return value === undefined ? [`export ${name}\n`] : [`export ${name}=${shellQuote(value)}\n`];
    });
    return out(ctx, lines.join(''));
  }
  let status = 0;
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (!NAME.test(name)) {
      status = await fail(ctx, `${name}: bad variable name`, 2);
      continue;
    }
    if (eq >= 0) state.set(name, arg.slice(eq + 1));
    state.exported.add(name);
  }
  return status;
};

const unset: Builtin = async (ctx) => {
  const { state } = ctx.shell;
  let functions = false;
  for (const arg of ctx.argv.slice(1)) {
    if (arg === '-f') functions = true;
    else if (arg === '-v') functions = false;
    else if (functions) state.functions.delete(arg);
    else state.unset(arg);
  }
  return 0;
};

const shift: Builtin = async (ctx) => {
  const { state } = ctx.shell;
  const n = count(ctx.argv[1], 1);
  if (n === null) return fail(ctx, `Illegal number: ${ctx.argv[1]}`, 2);
  if (n > state.positional.length) return fail(ctx, "can't shift that many", 2);
  state.positional = state.positional.slice(n);
  return 0;
};

/** set [-ex] [+ex] [--] [args]; with no arguments, lists the variables. */
const set: Builtin = async (ctx) => {
  const { state } = ctx.shell;
  const args = ctx.argv.slice(1);
  if (args.length === 0) {
    const names = [...state.vars.keys()].sort();
    return out(ctx, names.map((n) => `${n}=${shellQuote(state.get(n)!)}\n`).join(''));
  }
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!/^[-+][a-z]+$/.test(arg)) break;
    for (const letter of arg.slice(1)) {
      const on = arg.startsWith('-');
      if (letter === 'e') state.options.errexit = on;
      else if (letter === 'x') state.options.xtrace = on;
      else if (letter === 'u' || letter === 'f' || letter === 'm') continue; // accepted, not modelled
      else return fail(ctx, `-${letter}: invalid option`, 2);
    }
  }
  if (i < args.length || args.includes('--')) state.positional = args.slice(i);
  return 0;
};

/** read [-r] [-p prompt] [name ...]: one line, a byte at a time so a pipe is not over-read. */
const read: Builtin = async (ctx) => {
  const { sys } = ctx.shell;
  let raw = false;
  let i = 1;
  for (; i < ctx.argv.length; i++) {
    const arg = ctx.argv[i]!;
    if (arg === '-r') raw = true;
    else if (arg === '-p') {
      const prompt = ctx.argv[++i] ?? '';
      const errFd = ctx.io[2];
      if (errFd !== null && errFd !== undefined) await sys.write(errFd, prompt).catch(() => undefined);
    } else if (arg === '--') {
      i++;
      break;
    } else break;
  }
  const names = ctx.argv.slice(i);
  if (names.length === 0) names.push('REPLY');
  const bad = names.find((n) => !NAME.test(n));
  if (bad !== undefined) return fail(ctx, `${bad}: bad variable name`, 2);
  const fd = ctx.io[0];
  if (fd === null || fd === undefined) return fail(ctx, 'Bad file descriptor', 2);
  const bytes: number[] = [];
  let eof = false;
  for (;;) {
    let chunk: Uint8Array;
    try {
      chunk = await sys.read(fd, 1);
    } catch (err) {
      if (errnoOf(err) === undefined) throw err;
      return fail(ctx, errorText(err), 2);
    }
    if (chunk.length === 0) {
      eof = true;
      break;
    }
    const byte = chunk[0]!;
    if (byte === 0x0a) {
      if (!raw && bytes[bytes.length - 1] === 0x5c) {
        bytes.pop(); // backslash-newline continues the line
        continue;
      }
      break;
    }
    bytes.push(byte);
  }
  let line = new TextDecoder().decode(new Uint8Array(bytes));
  if (!raw) line = line.replace(/\\(.)/g, '$1');
  assignFields(ctx.shell, names, line);
  return eof ? 1 : 0;
};

/** Splits a line on IFS into the names; the last name takes the rest of the line. */
function assignFields(shell: Shell, names: string[], line: string): void {
  const ifs = shell.state.ifs();
  const white = [...ifs].filter((c) => ' \t\n'.includes(c)).join('');
  const isWhite = (c: string | undefined): boolean => c !== undefined && white.includes(c);
  const isDelim = (c: string | undefined): boolean => c !== undefined && ifs.includes(c);
  let pos = 0;
  while (isWhite(line[pos])) pos++;
  for (const [k, name] of names.entries()) {
    if (k === names.length - 1) {
      let rest = line.slice(pos);
      while (rest !== '' && isWhite(rest[rest.length - 1])) rest = rest.slice(0, -1);
      shell.state.set(name, rest);
      break;
    }
    let end = pos;
    while (end < line.length && !isDelim(line[end])) end++;
    shell.state.set(name, line.slice(pos, end));
    pos = end;
    while (isWhite(line[pos])) pos++;
    if (pos < line.length && isDelim(line[pos])) pos++;
    while (isWhite(line[pos])) pos++;
  }
}

/** wait [pid ...]: without pids, waits for every background job and returns 0. */
const wait: Builtin = async (ctx) => {
  const { state, sys } = ctx.shell;
  const pids = ctx.argv.slice(1);
  if (pids.length === 0) {
    for (const pid of state.jobs.splice(0)) await waitStatus(sys, pid);
    return 0;
  }
  let status = 0;
  for (const arg of pids) {
    if (!/^\d+$/.test(arg)) return fail(ctx, `Illegal number: ${arg}`, 2);
    const pid = Number(arg);
    const known = state.jobs.indexOf(pid);
    if (known < 0) {
      status = 127;
      continue;
    }
    state.jobs.splice(known, 1);
    status = await waitStatus(sys, pid);
  }
  return status;
};

const evalBuiltin: Builtin = async (ctx) => ctx.shell.runSource(ctx.argv.slice(1).join(' '), ctx.io);

/** `. file`: runs a file in this shell; `return` ends it. */
const dot: Builtin = async (ctx) => {
  const path = ctx.argv[1];
  if (path === undefined) return 0;
  let text: string;
  try {
    text = await readFile(ctx.shell.sys, path);
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    return fail(ctx, `${path}: ${errorText(err)}`, 2);
  }
  try {
    return await ctx.shell.runSource(text, ctx.io);
  } catch (err) {
    if (err instanceof ReturnSignal) return err.status;
    throw err;
  }
};

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  [':', colon],
  ['true', colon],
  ['false', async () => 1],
  ['cd', cd],
  ['exit', exit],
  ['return', returnBuiltin],
  ['break', loopControl('break')],
  ['continue', loopControl('continue')],
  ['export', exportBuiltin],
  ['unset', unset],
  ['shift', shift],
  ['set', set],
  ['read', read],
  ['wait', wait],
  ['eval', evalBuiltin],
  ['.', dot],
]);
