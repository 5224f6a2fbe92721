/**
 * sh: a POSIX-style shell. Modes, as in dash/FreeBSD sh:
 *   sh -c 'cmds' [arg0 [args...]]   run the string
 *   sh file [args...]                run a script file
 *   sh                               interactive when fd 0 is a tty, else read fd 0 as a script
 * Options -e and -x may come first. The exit status is the last command's, or exit's argument.
 */
import type { Program, Sys } from '../../kernel/abi.js';
import { errnoOf, errorText, printErr, readFile, readText } from '../lib.js';
import { ExitSignal, ReturnSignal, ShellSyntaxError } from './errors.js';
import { Shell } from './interpreter.js';
import { Parser } from './parser.js';
import type { Io } from './redirect.js';
import { ShellState } from './state.js';

const STDIO: Io = [0, 1, 2];

interface Invocation {
  command: string | null;
  script: string | null;
  arg0: string;
  args: string[];
  errexit: boolean;
  xtrace: boolean;
}

function parseArgs(argv: readonly string[]): Invocation | string {
  const inv: Invocation = { command: null, script: null, arg0: argv[0] ?? 'sh', args: [], errexit: false, xtrace: false };
  let i = 1;
  let wantCommand = false;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!/^[-+][a-z]+$/.test(arg)) break;
    for (const letter of arg.slice(1)) {
      if (letter === 'c') wantCommand = true;
      else if (letter === 'e') inv.errexit = arg.startsWith('-');
      else if (letter === 'x') inv.xtrace = arg.startsWith('-');
      else if (letter !== 's' && letter !== 'i') return `-${letter}: invalid option`;
    }
  }
  const rest = argv.slice(i);
  if (wantCommand) {
    if (rest.length === 0) return '-c requires an argument';
    inv.command = rest[0]!;
    inv.arg0 = rest[1] ?? inv.arg0;
    inv.args = rest.slice(2);
  } else if (rest.length > 0) {
    inv.script = rest[0]!;
    inv.arg0 = rest[0]!;
    inv.args = rest.slice(1);
  }
  return inv;
}

export const sh: Program = async (sys, argv, env) => {
  const inv = parseArgs(argv);
  if (typeof inv === 'string') {
    await printErr(sys, `sh: ${inv}\n`);
    return 2;
  }
  const interactive = inv.command === null && inv.script === null && (await sys.isatty(0).catch(() => false));
  const state = new ShellState(await sys.getpid(), inv.arg0, inv.args, env, interactive);
  state.options.errexit = inv.errexit;
  state.options.xtrace = inv.xtrace;
  if (state.get('PWD') === undefined) state.set('PWD', await sys.getcwd().catch(() => '/'));
  const shell = new Shell(sys, state);
  try {
    if (inv.command !== null) return await shell.runSource(inv.command, STDIO);
    if (inv.script !== null) {
      let text: string;
      try {
        text = await readFile(sys, inv.script);
      } catch (err) {
        if (errnoOf(err) === undefined) throw err;
        await printErr(sys, `sh: cannot open ${inv.script}: ${errorText(err)}\n`);
        return 127;
      }
      return await shell.runSource(text, STDIO);
    }
    if (interactive) return await interact(sys, shell);
    return await shell.runSource(await readText(sys, 0), STDIO);
  } catch (err) {
    if (err instanceof ExitSignal || err instanceof ReturnSignal) return err.status;
    throw err;
  }
};

/** Reads a descriptor line by line (a tty hands out one line per read anyway). */
class LineReader {
  private buffer = '';
  private eof = false;
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly sys: Sys,
    private readonly fd: number,
  ) {}

  async line(): Promise<string | null> {
    for (;;) {
      const nl = this.buffer.indexOf('\n');
      if (nl >= 0) {
        const line = this.buffer.slice(0, nl + 1);
        this.buffer = this.buffer.slice(nl + 1);
        return line;
      }
      if (this.eof) {
        const rest = this.buffer;
        this.buffer = '';
        return rest === '' ? null : rest;
      }
      const chunk = await this.sys.read(this.fd, 4096).catch(() => new Uint8Array(0));
      if (chunk.length === 0) this.eof = true;
      else this.buffer += this.decoder.decode(chunk, { stream: true });
    }
  }
}

/** The interactive loop: prompt, read until a command is complete, run it, repeat. */
async function interact(sys: Sys, shell: Shell): Promise<number> {
  const { state } = shell;
  const reader = new LineReader(sys, 0);
  const ps1 = state.get('PS1') ?? ((await sys.getuid()) === 0 ? '# ' : '$ ');
  let pending = '';
  for (;;) {
    await printErr(sys, pending === '' ? ps1 : (state.get('PS2') ?? '> '));
    const line = await reader.line();
    if (line === null) return state.lastStatus;
    pending += line.endsWith('\n') ? line : `${line}\n`;
    const parser = new Parser(pending);
    const lists = [];
    try {
      for (let list = parser.nextCommand(); list !== null; list = parser.nextCommand()) lists.push(list);
    } catch (err) {
      if (!(err instanceof ShellSyntaxError)) throw err;
      if (err.atEof) continue; // an open quote or compound command: read more
      await shell.report(STDIO, err.message);
      state.lastStatus = 2;
      pending = '';
      continue;
    }
    pending = '';
    for (const list of lists) await shell.runTopLevel(list, STDIO);
  }
}
