/**
 * chroot(8): changes the root to NEWROOT, then runs the command there (default $SHELL -i, or
 * /bin/sh -i), found by PATH inside the new root. FreeBSD's chroot execs; a program here cannot
 * exec, so it spawns, waits, and exits with the command's status.
 */
import type { Program, WaitResult } from '../../kernel/abi.js';
import { strerror } from '../../kernel/errno.js';
import { errnoOf, findInPath, printErr, warn } from '../lib.js';

/** The shell's `$?` for a reaped child: its exit code, or 128 + the signal that killed it. */
export function exitStatus(result: WaitResult): number {
  return result.signal !== null ? 128 + result.signal : (result.exitCode ?? 0);
}

export const chroot: Program = async (sys, argv, env) => {
  const newroot = argv[1];
  if (newroot === undefined) {
    await printErr(sys, 'usage: chroot newroot [command]\n');
    return 1;
  }
  try {
    await sys.chroot(newroot);
    await sys.chdir('/');
  } catch (err) {
    await warn(sys, 'chroot', err, newroot);
    return 1;
  }

  const command = argv.length > 2 ? argv.slice(2) : [env.SHELL ?? '/bin/sh', '-i'];
  const name = command[0]!;
  const path = await findInPath(sys, name, env);
  if (path === undefined) {
    await printErr(sys, `chroot: ${name}: ${strerror('ENOENT')}\n`);
    return 127;
  }
  let pid: number;
  try {
    pid = await sys.spawn(path, command);
  } catch (err) {
    await warn(sys, 'chroot', err, name);
    return errnoOf(err) === 'ENOENT' ? 127 : 126;
  }
  const result = await sys.wait(pid);
  return result === null ? 0 : exitStatus(result);
};
