/**
 * Mode-bit permission checks (owner, group, other). Root's bypass of read and write checks is a
 * privilege (file_dac_read / file_dac_write), so a cell's policy can take it away; execute
 * still needs some x bit, as on Unix.
 */
import type { Node } from './memfs.js';
import type { Credentials } from '../proc/process.js';
import { S_IFDIR, S_IFMT } from '../kernel/abi.js';

export const F_OK = 0;
export const R_OK = 4;
export const W_OK = 2;
export const X_OK = 1;

/** Does the mode allow `want` (R_OK|W_OK|X_OK) to these credentials, not counting privileges? */
export function modeAllows(node: Node, cred: Credentials, want: number): boolean {
  const mode = node.mode;
  let bits: number;
  if (node.uid === cred.uid) bits = (mode >> 6) & 7;
  else if (node.gid === cred.gid || cred.groups.includes(node.gid)) bits = (mode >> 3) & 7;
  else bits = mode & 7;
  return (bits & want) === want;
}

/** Root may execute a file only if some x bit is set, and may always search directories. */
export function rootMayExecute(node: Node): boolean {
  return (node.mode & S_IFMT) === S_IFDIR || (node.mode & 0o111) !== 0;
}
