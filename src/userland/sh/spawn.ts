/**
 * Finding and starting external commands: PATH search, and the shell's statuses and
 * messages when that fails (127 not found, 126 found but not executable).
 */
import type { Sys, WaitResult } from '../../kernel/abi.js';
import { S_IFMT, S_IFREG } from '../../kernel/abi.js';
import { errnoOf, errorText } from '../lib.js';

export const DEFAULT_PATH = '/bin:/usr/bin:/sbin:/usr/sbin';

/** A started command: a child to wait for, or a status it already failed with. */
export type Started = { readonly pid: number } | { readonly status: number };

/** The first regular file `name` in the directories of `path`, or null. */
export async function findInPath(sys: Sys, name: string, path: string): Promise<string | null> {
  for (const dir of path.split(':')) {
    const full = dir === '' ? name : dir.endsWith('/') ? dir + name : `${dir}/${name}`;
    try {
      const st = await sys.stat(full);
      if ((st.mode & S_IFMT) === S_IFREG) return full;
    } catch (err) {
      if (errnoOf(err) === undefined) throw err;
    }
  }
  return null;
}

/** The status and message for a spawn that failed with `err` (rethrows non-errno errors). */
export function spawnFailure(name: string, err: unknown): { status: number; message: string } {
  const code = errnoOf(err);
  if (code === undefined) throw err;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 127, message: `${name}: not found` };
  if (code === 'EACCES' || code === 'ENOEXEC' || code === 'EISDIR') return { status: 126, message: `${name}: Permission denied` };
  return { status: 126, message: `${name}: ${errorText(err)}` };
}

/** A wait result as a shell status: the exit code, or 128 + the signal number. */
export function statusOf(result: WaitResult | null): number {
  if (result === null) return 0;
  return result.signal !== null ? 128 + result.signal : (result.exitCode ?? 0);
}

/** Waits for one child; a child that cannot be waited for counts as status 127. */
export async function waitStatus(sys: Sys, pid: number): Promise<number> {
  try {
    return statusOf(await sys.wait(pid));
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    return 127;
  }
}
