/**
 * Everything a shell remembers between commands: variables and which are exported,
 * positional parameters, functions, options, background jobs and the special parameters.
 */
import type { FunctionDef } from './ast.js';

export interface Options {
  /** set -e */
  errexit: boolean;
  /** set -x */
  xtrace: boolean;
}

export class ShellState {
  readonly vars = new Map<string, string>();
  readonly exported = new Set<string>();
  readonly functions = new Map<string, FunctionDef>();
  readonly options: Options = { errexit: false, xtrace: false };
  /** Pids started with `&` and not yet waited for. */
  readonly jobs: number[] = [];
  positional: string[];
  lastStatus = 0;
  lastBackground: number | null = null;
  /** >0 while running an if/while condition or a non-final && || part: set -e is off there. */
  conditionDepth = 0;
  loopDepth = 0;
  functionDepth = 0;

  constructor(
    readonly pid: number,
    public arg0: string,
    args: readonly string[],
    env: Readonly<Record<string, string>>,
    readonly interactive: boolean,
  ) {
    this.positional = [...args];
    for (const [name, value] of Object.entries(env)) {
      this.vars.set(name, value);
      this.exported.add(name);
    }
  }

  get(name: string): string | undefined {
    return this.vars.get(name);
  }

  set(name: string, value: string): void {
    this.vars.set(name, value);
  }

  unset(name: string): void {
    this.vars.delete(name);
    this.exported.delete(name);
  }

  /** The environment for a child: exported variables that are set. */
  environment(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of [...this.exported].sort()) {
      const value = this.vars.get(name);
      if (value !== undefined) env[name] = value;
    }
    return { ...env, ...extra };
  }

  /** `$-`: the option letters in effect. */
  optionFlags(): string {
    return (this.options.errexit ? 'e' : '') + (this.options.xtrace ? 'x' : '') + (this.interactive ? 'i' : '');
  }

  /** IFS, defaulting to space, tab, newline when unset. */
  ifs(): string {
    return this.vars.get('IFS') ?? ' \t\n';
  }
}

/** Quotes a string for re-reading by the shell: 'it'\''s'. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
