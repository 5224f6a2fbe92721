/**
 * Commands jail(8) runs inside a jail (exec.start, command, exec.stop). FreeBSD forks and
 * attaches the child; a program here cannot fork, so the child is `jexec JID words...`, which
 * attaches itself and runs the words in the jail's root. A value with shell metacharacters runs
 * as `/bin/sh -c value`; a plain one is split on blanks (jail(8) run_command).
 */
import type { Sys } from '../../kernel/abi.js';
import { findInPath } from '../lib.js';
import { exitStatus } from '../sysutils/chroot.js';

const SHELL_SPECIALS = /[!"$&'()*;<>?[\\\]`{|}~]/;

/** The argument vector for one exec.* value. */
export function commandWords(value: string): string[] {
  if (SHELL_SPECIALS.test(value)) return ['/bin/sh', '-c', value];
  return value.split(/[ \t\n]+/).filter((w) => w !== '');
}

/**
 * Runs `words` inside jail `jid` and waits. Undefined on success, else jail(8)'s complaint
 * about `comline` ("sh /etc/rc: failed").
 */
export async function runInJail(
  sys: Sys,
  env: Readonly<Record<string, string>>,
  jid: number,
  words: readonly string[],
  comline: string,
): Promise<string | undefined> {
  if (words.length === 0) return undefined;
  const jexec = (await findInPath(sys, 'jexec', env)) ?? '/bin/jexec';
  let pid: number;
  try {
    pid = await sys.spawn(jexec, ['jexec', String(jid), ...words]);
  } catch {
    return `${comline}: failed`;
  }
  const result = await sys.wait(pid);
  if (result === null) return undefined;
  if (result.signal !== null) return `${comline}: exited on signal ${result.signal}`;
  return exitStatus(result) === 0 ? undefined : `${comline}: failed`;
}
