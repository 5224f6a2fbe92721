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

const FLAGS: Record<Exclude<RedirectOp, '<&' | '>&' | '<<' | '<<-'>, number> = {
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
      if (r.hereDoc !== undefined) {
        const fd = await hereDocument(sys, await expand.word(r.hereDoc.body), report);
        if (fd === null) {
          await closeAll(sys, opened);
          return null;
        }
        opened.push(fd);
        out = withFd(out, r.fd, fd);
        continue;
      }
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
        fd = await sys.open(target, FLAGS[r.op as keyof typeof FLAGS], 0o666);
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

/** Pipe capacity (the kernel's 64 KiB): a body must fit, since the shell writes it alone. */
const HERE_DOC_MAX = 64 * 1024;

/**
 * A here-document as the read end of a pipe already holding the body. The shell is the only
 * writer, so a body larger than the pipe would block forever: it is refused instead.
 */
async function hereDocument(sys: Sys, body: string, report: (message: string) => Promise<void>): Promise<number | null> {
  const bytes = new TextEncoder().encode(body);
  if (bytes.length > HERE_DOC_MAX) {
    await report('here-document too large');
    return null;
  }
  let pipe: [number, number];
  try {
    pipe = await sys.pipe();
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    await report(`cannot create here-document: ${errorText(err)}`);
    return null;
  }
  try {
    if (bytes.length > 0) await sys.write(pipe[1], bytes);
  } finally {
    await sys.close(pipe[1]);
  }
  return pipe[0];
}
