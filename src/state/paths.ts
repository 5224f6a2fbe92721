/** Where the state directory is, and the names of what it holds. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const STATE_FILE = 'state.json';
export const LOCK_FILE = 'lock';
export const FS_DIR = 'fs';

/** `--state DIR`, else $CELLBLOCK_STATE, else ~/.cellblock; always absolute. */
export function resolveStateDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = nonEmpty(flag) ?? nonEmpty(env.CELLBLOCK_STATE) ?? join(homedir(), '.cellblock');
  return resolve(chosen);
}

const nonEmpty = (s: string | undefined): string | undefined => (s === undefined || s === '' ? undefined : s);

/** A filesystem snapshot's name becomes a file name: keep it to one safe path component. */
export function checkFsName(name: string): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)) throw new Error(`cellblock: bad filesystem name ${JSON.stringify(name)}`);
}

export const fsFile = (name: string): string => join(FS_DIR, `${name}.snap`);
