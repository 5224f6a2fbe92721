/**
 * Redirections. The shell never moves its own descriptors 0, 1, 2: a command runs with an
 * `Io`, a table from the command's descriptor numbers to the shell's real descriptors.
 * External commands get that table as spawn's `fds`; builtins read and write through it.
 * So `{ ...; } > f` and `cd x 2>/dev/null` need no dup/dup2 dance and nothing to restore.
 */
import type { Sys } from '../../kernel/abi.js';
import { O_APPEND, O_CREAT, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY } from '../../kernel/abi.js';
import { errnoOf, errorText } from '../lib.js';
import type { Redirect, RedirectOp } from './ast.js';
import type { Expander } from './expand.js';

/** Command descriptor n is the shell's descriptor io[n]; null or missing is closed. */
export type Io = readonly (number | null)[];

export interface Redirected {
  readonly io: Io;
  /** Descriptors the shell opened for these redirections, to close after the command. */
  readonly opened: readonly number[];
}

const FLAGS: Record<Exclude<RedirectOp, '<&' | '>&'>, number> = {
  '<': O_RDONLY,
  '>': O_WRONLY | O_CREAT | O_TRUNC,
  '>|': O_WRONLY | O_CREAT | O_TRUNC,
  '>>': O_WRONLY | O_CREAT | O_APPEND,
  '<>': O_RDWR | O_CREAT,
};

/** A copy of `io` with descriptor `fd` set to the shell's `real`. */
export function withFd(io: Io, fd: number, real: number | null): Io {
  const out = [...io];
  while (out.length <= fd) out.push(null);
  out[fd] = real;
  return out;
}

export async function closeAll(sys: Sys, fds: readonly (number | null)[]): Promise<void> {
  for (const fd of fds) {
    if (fd !== null) await sys.close(fd).catch(() => undefined);
  }
}

/**
 * Applies redirections in order. On failure reports the error (as `report` prints it), closes
 * what it opened and returns null: the command must then not run.
 */
export async function applyRedirects(
  sys: Sys,
  expand: Expander,
  redirects: readonly Redirect[],
  io: Io,
  report: (message: string) => Promise<void>,
): Promise<Redirected | null> {
  let out = io;
  const opened: number[] = [];
  try {
    for (const r of redirects) {
      const target = await expand.word(r.target);
      if (r.op === '<&' || r.op === '>&') {
        const source = /^\d+$/.test(target) ? out[Number(target)] : undefined;
        if (target !== '-' && (source === undefined || source === null)) {
          await report(`${target}: Bad file descriptor`);
          await closeAll(sys, opened);
          return null;
        }
        out = withFd(out, r.fd, target === '-' ? null : source!);
        continue;
      }
      let fd: number;
      try {
        fd = await sys.open(target, FLAGS[r.op], 0o666);
      } catch (err) {
        if (errnoOf(err) === undefined) throw err;
        await report(`cannot ${r.op === '<' ? 'open' : 'create'} ${target}: ${errorText(err)}`);
        await closeAll(sys, opened);
        return null;
      }
      opened.push(fd);
      out = withFd(out, r.fd, fd);
    }
  } catch (err) {
    await closeAll(sys, opened);
    throw err;
  }
  return { io: out, opened };
}
