/**
 * What spawn runs: a file in the caller's root. A built-in binary is a file whose first line is
 * `#!builtin NAME`, naming a registered program; `#!/path/interp [arg]` runs an interpreter
 * with the script's path, as execve does (up to 4 levels); anything else is ENOEXEC. The file
 * must be a regular file the caller may execute (EACCES otherwise).
 */
import { Buffer } from 'node:buffer';
import type { Program } from '../kernel/abi.js';
import { fail } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import { modeAllows, rootMayExecute, X_OK } from '../vfs/perm.js';
import { lookup } from '../vfs/resolve.js';
import type { Viewer as Process } from './process.js';
import { hasPrivilege } from './cred.js';

const MAX_INTERPRETERS = 4;
const FIRST_LINE_MAX = 256;

export interface Image {
  readonly program: Program;
  readonly argv: readonly string[];
  /** The command name: the file name of what was run. */
  readonly comm: string;
}

export function loadImage(k: Kernel, p: Process, path: string, argv: readonly string[], depth = 0): Image {
  const loc = lookup(p, path, true);
  const node = loc.link.getNode();
  if (!node.isFile()) throw fail('EACCES');
  const mayExec = modeAllows(node, p.cred, X_OK) || (p.cred.uid === 0 && rootMayExecute(node) && hasPrivilege(p, 'file_dac_execute'));
  if (!mayExec) throw fail('EACCES');
  const head = Buffer.alloc(Math.min(FIRST_LINE_MAX, node.getSize()));
  node.read(head, 0, head.length, 0);
  const newline = head.indexOf(10);
  const line = head.toString('utf8', 0, newline < 0 ? head.length : newline).trim();
  if (!line.startsWith('#!')) throw fail('ENOEXEC');
  const [interpreter, ...rest] = line.slice(2).trim().split(/\s+/);
  if (interpreter === undefined || interpreter === '') throw fail('ENOEXEC');
  if (interpreter === 'builtin') {
    const program = rest[0] === undefined ? undefined : k.programs.get(rest[0]);
    if (program === undefined) throw fail('ENOEXEC');
    return { program, argv, comm: basename(path) };
  }
  if (depth >= MAX_INTERPRETERS) throw fail('ELOOP');
  const interpArgv = [interpreter, ...(rest.length > 0 ? [rest.join(' ')] : []), path, ...argv.slice(1)];
  return loadImage(k, p, interpreter, interpArgv, depth + 1);
}

export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const at = trimmed.lastIndexOf('/');
  return at < 0 ? trimmed : trimmed.slice(at + 1) || '/';
}
