/**
 * The AST walker: one method per node kind. Simple commands, groups, if/loops/case and
 * functions run in the shell's own process. Anything that needs a process of its own runs
 * as a child: an external command is spawned directly; a builtin or compound command inside
 * a pipeline, in the background, in `( )` or in `$( )` runs as `/bin/sh -c <its source>`,
 * preceded by a prelude that recreates the unexported variables, functions and options
 * (exported ones travel in the environment, positional parameters as the child's argv).
 * That keeps one process = one fd table and one cwd, so a subshell's `cd` or `exit` cannot
 * leak into the parent.
 */
import type { Sys } from '../../kernel/abi.js';
import { errnoOf, errorText, readText } from '../lib.js';
import type { AndOr, CaseClause, Command, ForClause, FunctionDef, IfClause, List, LoopClause, Pipeline, SimpleCommand } from './ast.js';
import { BUILTINS } from './builtins.js';
import { ExitSignal, LoopSignal, ReturnSignal, ShellError, ShellSyntaxError } from './errors.js';
import { Expander } from './expand.js';
import { Parser } from './parser.js';
import { matchPattern } from './pattern.js';
import { applyRedirects, closeAll, type Io, withFd } from './redirect.js';
import { DEFAULT_PATH, findInPath, spawnFailure, type Started, waitStatus } from './spawn.js';
import { shellQuote, type ShellState } from './state.js';

const SHELL_PATH = '/bin/sh';
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_FUNCTION_DEPTH = 1000;

export class Shell {
  readonly expand: Expander;
  /** The Io of the command being expanded, for `$( )` children. */
  private exprIo: Io = [0, 1, 2];
  /** Status of the last command substitution of the current simple command. */
  private substitutionStatus: number | null = null;

  constructor(
    readonly sys: Sys,
    readonly state: ShellState,
  ) {
    this.expand = new Expander(state, {
      commandSubstitution: (source) => this.commandSubstitution(source),
      readdir: async (path) => {
        try {
          return (await sys.readdir(path)).map((d) => d.name);
        } catch (err) {
          if (errnoOf(err) === undefined) throw err;
          return null;
        }
      },
      exists: (path) => sys.lstat(path).then(() => true, (err: unknown) => (errnoOf(err) === undefined ? Promise.reject(err) : false)),
    });
  }

  /** Prints `sh: message` on the command's standard error. */
  async report(io: Io, message: string): Promise<void> {
    const fd = io[2];
    if (fd === null || fd === undefined) return;
    await this.sys.write(fd, `sh: ${message}\n`).catch(() => undefined);
  }

  /**
   * Parses and runs source text command by command (scripts, -c, eval, dot). A syntax error
   * or an expansion error ends a non-interactive shell, as POSIX requires.
   */
  async runSource(src: string, io: Io): Promise<number> {
    const parser = new Parser(src);
    for (;;) {
      let list: List | null;
      try {
        list = parser.nextCommand();
      } catch (err) {
        if (!(err instanceof ShellSyntaxError)) throw err;
        await this.report(io, err.message);
        this.state.lastStatus = 2;
        if (!this.state.interactive) throw new ExitSignal(2);
        return 2;
      }
      if (list === null) return this.state.lastStatus;
      await this.runTopLevel(list, io);
    }
  }

  /** Runs one complete command, turning shell and kernel errors into messages and statuses. */
  async runTopLevel(list: List, io: Io): Promise<void> {
    try {
      await this.runList(list, io);
    } catch (err) {
      if (err instanceof ShellError) {
        await this.report(io, err.message);
        this.state.lastStatus = err.status;
        if (!this.state.interactive) throw new ExitSignal(err.status);
      } else if (err instanceof LoopSignal) {
        return; // break/continue outside a loop
      } else if (errnoOf(err) !== undefined) {
        await this.report(io, errorText(err));
        this.state.lastStatus = 2;
      } else throw err;
    }
  }

  // --- lists ---

  async runList(list: List, io: Io): Promise<number> {
    let status = 0;
    for (const item of list.items) {
      if (item.background) {
        await this.startBackground(item.andOr, io);
        status = 0;
      } else status = await this.runAndOr(item.andOr, io);
      this.state.lastStatus = status;
    }
    return status;
  }

  private async runAndOr(ao: AndOr, io: Io): Promise<number> {
    const steps = [{ op: null, pipeline: ao.first }, ...ao.rest];
    let status = 0;
    let failedForReal = false;
    for (const [i, { op, pipeline }] of steps.entries()) {
      if ((op === '&&' && status !== 0) || (op === '||' && status === 0)) continue;
      const final = i === steps.length - 1;
      if (!final) this.state.conditionDepth++;
      try {
        status = await this.runPipeline(pipeline, io);
      } finally {
        if (!final) this.state.conditionDepth--;
      }
      this.state.lastStatus = status;
      failedForReal = final && !pipeline.negate && status !== 0;
    }
    if (failedForReal && this.state.options.errexit && this.state.conditionDepth === 0) throw new ExitSignal(status);
    return status;
  }

  private async runPipeline(p: Pipeline, io: Io): Promise<number> {
    const status = p.commands.length === 1 ? await this.runCommand(p.commands[0]!, io) : await this.waitAll(await this.startPipeline(p, io));
    return p.negate ? (status === 0 ? 1 : 0) : status;
  }

  /** Starts every stage, each reading the previous one's pipe; the shell keeps no pipe end. */
  private async startPipeline(p: Pipeline, io: Io): Promise<Started[]> {
    const started: Started[] = [];
    let input: number | null = null;
    for (const [i, cmd] of p.commands.entries()) {
      let pipe: [number, number] | null = null;
      if (i < p.commands.length - 1) {
        try {
          pipe = await this.sys.pipe();
        } catch (err) {
          const failure = spawnFailure('pipe', err);
          await this.report(io, failure.message);
          await closeAll(this.sys, [input]);
          started.push({ status: 2 });
          return started;
        }
      }
      let stageIo = input === null ? io : withFd(io, 0, input);
      if (pipe !== null) stageIo = withFd(stageIo, 1, pipe[1]);
      try {
        started.push(await this.startCommand(cmd, stageIo));
      } finally {
        await closeAll(this.sys, [input, pipe?.[1] ?? null]);
      }
      input = pipe?.[0] ?? null;
    }
    return started;
  }

  /** Waits for all stages; the pipeline's status is the last one's. */
  private async waitAll(started: Started[]): Promise<number> {
    let status = 0;
    for (const s of started) status = 'pid' in s ? await waitStatus(this.sys, s.pid) : s.status;
    return status;
  }

  /** `&`: started with standard input from /dev/null; `$!` is the last pid. */
  private async startBackground(ao: AndOr, io: Io): Promise<void> {
    const devNull = await this.sys.open('/dev/null').catch(() => null);
    const bgIo = devNull === null ? io : withFd(io, 0, devNull);
    try {
      const started =
        ao.rest.length === 0 && !ao.first.negate ? await this.startPipeline(ao.first, bgIo) : [await this.spawnShell(ao.source, bgIo)];
      for (const s of started) if ('pid' in s) this.state.jobs.push(s.pid);
      const last = started[started.length - 1];
      if (last !== undefined && 'pid' in last) this.state.lastBackground = last.pid;
    } finally {
      await closeAll(this.sys, [devNull]);
    }
  }

  // --- commands ---

  /** Starts a pipeline stage without waiting: externals directly, the rest in a child shell. */
  private async startCommand(cmd: Command, io: Io): Promise<Started> {
    if (cmd.kind !== 'simple' || cmd.words.length === 0) return this.spawnShell(cmd.source, io);
    this.exprIo = io;
    const argv = await this.expand.words(cmd.words);
    if (argv.length === 0 || this.isInternal(argv[0]!)) return this.spawnShell(cmd.source, io);
    const env = await this.assignments(cmd);
    const r = await applyRedirects(this.sys, this.expand, cmd.redirects, io, (m) => this.report(io, m));
    if (r === null) return { status: 1 };
    try {
      return await this.spawnExternal(argv, env, r.io);
    } finally {
      await closeAll(this.sys, r.opened);
    }
  }

  private isInternal(name: string): boolean {
    return this.state.functions.has(name) || BUILTINS.has(name);
  }

  async runCommand(cmd: Command, io: Io): Promise<number> {
    switch (cmd.kind) {
      case 'simple':
        return this.runSimple(cmd, io);
      case 'function':
        this.state.functions.set(cmd.name, cmd);
        return 0;
    }
    const r = await applyRedirects(this.sys, this.expand, cmd.redirects, io, (m) => this.report(io, m));
    if (r === null) return 1;
    try {
      switch (cmd.kind) {
        case 'if':
          return await this.runIf(cmd, r.io);
        case 'loop':
          return await this.runLoop(cmd, r.io);
        case 'for':
          return await this.runFor(cmd, r.io);
        case 'case':
          return await this.runCase(cmd, r.io);
        case 'group':
          return await this.runList(cmd.body, r.io);
        case 'subshell':
          return await this.waitAll([await this.spawnShell(cmd.bodySource, r.io)]);
      }
    } finally {
      await closeAll(this.sys, r.opened);
    }
  }

  /** Prefix assignments, expanded: `A=1 cmd`. */
  private async assignments(cmd: SimpleCommand): Promise<Record<string, string>> {
    const env: Record<string, string> = {};
    for (const a of cmd.assigns) env[a.name] = await this.expand.word(a.value);
    return env;
  }

  private async runSimple(cmd: SimpleCommand, io: Io): Promise<number> {
    this.exprIo = io;
    this.substitutionStatus = null;
    const argv = await this.expand.words(cmd.words);
    if (argv.length === 0) {
      for (const a of cmd.assigns) this.state.set(a.name, await this.expand.word(a.value));
      const r = await applyRedirects(this.sys, this.expand, cmd.redirects, io, (m) => this.report(io, m));
      if (r === null) return 1;
      await closeAll(this.sys, r.opened);
      return this.substitutionStatus ?? 0;
    }
    const assigns = await this.assignments(cmd);
    if (this.state.options.xtrace) await this.trace(io, [...Object.entries(assigns).map(([k, v]) => `${k}=${v}`), ...argv]);
    const r = await applyRedirects(this.sys, this.expand, cmd.redirects, io, (m) => this.report(io, m));
    if (r === null) return 1;
    try {
      const name = argv[0]!;
      const fn = this.state.functions.get(name);
      if (fn !== undefined) return await this.withVariables(assigns, () => this.runFunction(fn, argv, r.io));
      const builtin = BUILTINS.get(name);
      if (builtin !== undefined) return await this.withVariables(assigns, () => builtin({ shell: this, argv, io: r.io }));
      const started = await this.spawnExternal(argv, assigns, r.io);
      return await this.waitAll([started]);
    } finally {
      await closeAll(this.sys, r.opened);
    }
  }

  private async trace(io: Io, words: string[]): Promise<void> {
    const fd = io[2];
    if (fd !== null && fd !== undefined) await this.sys.write(fd, `+ ${words.join(' ')}\n`).catch(() => undefined);
  }

  /** Runs `fn` with variables set for its duration only (prefix assignments to builtins). */
  private async withVariables(vars: Record<string, string>, fn: () => Promise<number>): Promise<number> {
    const saved = Object.keys(vars).map((name) => [name, this.state.get(name)] as const);
    for (const [name, value] of Object.entries(vars)) this.state.set(name, value);
    try {
      return await fn();
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) this.state.vars.delete(name);
        else this.state.set(name, value);
      }
    }
  }

  async runFunction(fn: FunctionDef, argv: readonly string[], io: Io): Promise<number> {
    // runaway recursion would never reach a syscall: stop it as bash's FUNCNEST does
    if (this.state.functionDepth >= MAX_FUNCTION_DEPTH) throw new ShellError(`${fn.name}: function nesting too deep`);
    const saved = this.state.positional;
    this.state.positional = argv.slice(1);
    this.state.functionDepth++;
    try {
      return await this.runCommand(fn.body, io);
    } catch (err) {
      if (err instanceof ReturnSignal) return err.status;
      throw err;
    } finally {
      this.state.functionDepth--;
      this.state.positional = saved;
    }
  }

  private async runIf(cmd: IfClause, io: Io): Promise<number> {
    for (const { cond, body } of cmd.branches) {
      if ((await this.condition(cond, io)) === 0) return this.runList(body, io);
    }
    return cmd.elseBody === null ? 0 : this.runList(cmd.elseBody, io);
  }

  /** A condition list: `set -e` does not apply inside it. */
  private async condition(list: List, io: Io): Promise<number> {
    this.state.conditionDepth++;
    try {
      return await this.runList(list, io);
    } finally {
      this.state.conditionDepth--;
    }
  }

  private async runLoop(cmd: LoopClause, io: Io): Promise<number> {
    let status = 0;
    this.state.loopDepth++;
    try {
      for (;;) {
        // a syscall per iteration: a loop of builtins must still let other processes run
        await this.sys.getpid();
        const ok = (await this.condition(cmd.cond, io)) === 0;
        if (ok === cmd.until) break;
        const result = await this.loopBody(cmd.body, io);
        if (result === 'break') return 0;
        status = result === 'continue' ? 0 : result;
      }
    } finally {
      this.state.loopDepth--;
    }
    return status;
  }

  private async runFor(cmd: ForClause, io: Io): Promise<number> {
    this.exprIo = io;
    const items = cmd.items === null ? [...this.state.positional] : await this.expand.words(cmd.items);
    let status = 0;
    this.state.loopDepth++;
    try {
      for (const item of items) {
        await this.sys.getpid();
        this.state.set(cmd.name, item);
        const result = await this.loopBody(cmd.body, io);
        if (result === 'break') return 0;
        status = result === 'continue' ? 0 : result;
      }
    } finally {
      this.state.loopDepth--;
    }
    return status;
  }

  /** Runs a loop body, turning `break n`/`continue n` aimed at this loop into a result. */
  private async loopBody(body: List, io: Io): Promise<number | 'break' | 'continue'> {
    try {
      return await this.runList(body, io);
    } catch (err) {
      if (!(err instanceof LoopSignal)) throw err;
      if (err.levels > 1) throw new LoopSignal(err.kind, err.levels - 1);
      return err.kind;
    }
  }

  private async runCase(cmd: CaseClause, io: Io): Promise<number> {
    this.exprIo = io;
    const subject = await this.expand.word(cmd.subject);
    for (const item of cmd.items) {
      for (const pattern of item.patterns) {
        if (matchPattern(await this.expand.pattern(pattern), subject)) return this.runList(item.body, io);
      }
    }
    return 0;
  }

  // --- children ---

  private async spawnExternal(argv: string[], assigns: Record<string, string>, io: Io): Promise<Started> {
    const name = argv[0]!;
    const path = name.includes('/') ? name : await findInPath(this.sys, name, this.state.get('PATH') ?? DEFAULT_PATH);
    if (path === null) {
      await this.report(io, `${name}: not found`);
      return { status: 127 };
    }
    try {
      return { pid: await this.sys.spawn(path, argv, { env: this.state.environment(assigns), fds: io }) };
    } catch (err) {
      const failure = spawnFailure(name, err);
      await this.report(io, failure.message);
      return { status: failure.status };
    }
  }

  /** Runs source text in a child `/bin/sh -c`, carrying over this shell's state. */
  async spawnShell(source: string, io: Io): Promise<Started> {
    const argv = ['sh', '-c', this.prelude() + source, this.state.arg0, ...this.state.positional];
    try {
      return { pid: await this.sys.spawn(SHELL_PATH, argv, { env: this.state.environment(), fds: io }) };
    } catch (err) {
      const failure = spawnFailure(SHELL_PATH, err);
      await this.report(io, failure.message);
      return { status: failure.status };
    }
  }

  /** Shell text recreating unexported variables, functions and options in a child shell. */
  private prelude(): string {
    const lines: string[] = [];
    for (const [name, value] of this.state.vars) {
      if (!this.state.exported.has(name) && NAME.test(name)) lines.push(`${name}=${shellQuote(value)}`);
    }
    for (const fn of this.state.functions.values()) lines.push(fn.source);
    const flags = this.state.optionFlags().replace('i', '');
    if (flags !== '') lines.push(`set -${flags}`);
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }

  private async commandSubstitution(source: string): Promise<string> {
    const io = this.exprIo;
    let pipe: [number, number];
    try {
      pipe = await this.sys.pipe();
    } catch (err) {
      await this.report(io, spawnFailure('pipe', err).message);
      return '';
    }
    const [r, w] = pipe;
    let started: Started;
    try {
      started = await this.spawnShell(source, withFd(io, 1, w));
    } finally {
      await closeAll(this.sys, [w]);
    }
    try {
      return 'pid' in started ? await readText(this.sys, r) : '';
    } finally {
      await closeAll(this.sys, [r]);
      this.substitutionStatus = await this.waitAll([started]);
    }
  }
}
