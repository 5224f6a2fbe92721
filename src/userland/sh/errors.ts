/**
 * The shell's own failures and its non-local control flow. Each is a class so the
 * interpreter can tell them from kernel errors (SysError) and from real bugs, which it
 * never swallows.
 */

/** A syntax error. `atEof` says more input could complete it (interactive continuation). */
export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    readonly atEof: boolean,
  ) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

/** An error that aborts the current command (bad substitution, arithmetic error, ...). */
export class ShellError extends Error {
  constructor(
    message: string,
    readonly status = 2,
  ) {
    super(message);
    this.name = 'ShellError';
  }
}

/** `exit n`, or `set -e` stopping the shell. */
export class ExitSignal {
  constructor(readonly status: number) {}
}

/** `return n` from a function or a dot script. */
export class ReturnSignal {
  constructor(readonly status: number) {}
}

/** `break n` / `continue n`: `levels` loops still to leave. */
export class LoopSignal {
  constructor(
    readonly kind: 'break' | 'continue',
    readonly levels: number,
  ) {}
}
