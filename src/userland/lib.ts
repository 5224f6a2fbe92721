/**
 * Small helpers shared by the built-in programs. Everything here goes through `Sys`; nothing
 * reaches the kernel any other way.
 */
import type { Data, Sys } from '../kernel/abi.js';
import { isErrno, strerror } from '../kernel/errno.js';

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;

const decoder = new TextDecoder();

/** Reads a descriptor to end of file. */
export async function readAll(sys: Sys, fd: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = await sys.read(fd, 65536);
    if (chunk.length === 0) break;
    chunks.push(chunk);
    total += chunk.length;
  }
  if (chunks.length === 1) return chunks[0]!;
  const all = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return all;
}

export async function readText(sys: Sys, fd: number): Promise<string> {
  return decoder.decode(await readAll(sys, fd));
}

/** Reads a whole file by path. */
export async function readFile(sys: Sys, path: string): Promise<string> {
  const fd = await sys.open(path);
  try {
    return await readText(sys, fd);
  } finally {
    await sys.close(fd);
  }
}

export async function print(sys: Sys, data: Data): Promise<void> {
  await sys.write(STDOUT, data);
}

export async function printErr(sys: Sys, data: Data): Promise<void> {
  await sys.write(STDERR, data);
}

/** The errno message for a caught error: "No such file or directory". */
export function errorText(err: unknown): string {
  if (err instanceof Error && 'code' in err && isErrno(err.code)) return strerror(err.code);
  return err instanceof Error ? err.message : String(err);
}

/** Prints `prog: subject: message` (or `prog: message`) to stderr, as BSD err(3) does. */
export async function warn(sys: Sys, prog: string, err: unknown, subject?: string): Promise<void> {
  const where = subject === undefined ? '' : `${subject}: `;
  await printErr(sys, `${prog}: ${where}${errorText(err)}\n`);
}

/** The errno name of a caught error, or undefined when it is not a SysError. */
export function errnoOf(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

import { S_IFMT, S_IFREG } from '../kernel/abi.js';

/**
 * Finds `name` as the shell does before spawn (which does not search PATH itself): a name with
 * a slash is used as given; otherwise the first executable regular file in `env.PATH`
 * (default `/bin:/usr/bin`; an empty entry means the working directory). Undefined when none.
 */
export async function findInPath(sys: Sys, name: string, env: Readonly<Record<string, string>>): Promise<string | undefined> {
  if (name.includes('/')) return name;
  if (name === '') return undefined;
  for (const dir of (env.PATH ?? '/bin:/usr/bin').split(':')) {
    const path = dir === '' ? name : `${dir.replace(/\/+$/, '')}/${name}`;
    try {
      const st = await sys.stat(path);
      if ((st.mode & S_IFMT) !== S_IFREG) continue;
      await sys.access(path, 1);
      return path;
    } catch {
      // Not here (or not executable): keep looking, as execvp does.
    }
  }
  return undefined;
}
