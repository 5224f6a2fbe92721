/**
 * zlogin(1): `zlogin [-nQ] [-l user] zone [command [args ...]]`. From the global zone, as root,
 * into a running zone: enters the zone (zone_enter: cell_attach here), becomes the user as
 * `su - user -c "command args"` would (the zone's passwd, a login environment, the user's home),
 * runs the command through the user's shell, and exits with its status; with no command, the
 * shell runs interactively. Real zlogin forks before zone_enter; a program here cannot fork, so
 * zlogin itself enters the zone and waits there for the shell. -Q (quiet) is accepted; no pty
 * is set up, so there are no connection banners to silence.
 */
import type { Program, Sys } from '../../kernel/abi.js';
import { getopt, UsageError, type Options } from '../fileutils/getopt.js';
import { errnoOf, errorText, printErr } from '../lib.js';
import { exitStatus } from '../sysutils/chroot.js';
import { groupList, lookupUser, type PasswdEntry } from '../users.js';
import { findZone, GLOBAL_ZONENAME, hasAllPrivileges, stateRank, whereAmI } from './zones.js';

const USAGE = 'usage: zlogin [ -nQ ] [-l user] zonename [command [args ...] ]\n';
const DEF_PATH = '/bin:/usr/bin:/sbin:/usr/sbin';

async function zerror(sys: Sys, message: string): Promise<number> {
  await printErr(sys, `zlogin: ${message}\n`);
  return 1;
}

async function usage(sys: Sys, complaint = ''): Promise<number> {
  await printErr(sys, complaint + USAGE);
  return 2;
}

export const zlogin: Program = async (sys, argv, env) => {
  let opts: Options;
  try {
    opts = getopt(argv.slice(1), 'nQl:');
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return usage(sys, `zlogin: ${err.message}\n`);
  }
  const [zonename, ...command] = opts.operands;
  if (zonename === undefined) return usage(sys);
  if (opts.has('n') && command.length === 0) return usage(sys, 'zlogin: -n may not be specified for interactive login\n');

  // zlogin.c main's checks, in its order.
  if (!(await whereAmI(sys)).global) return zerror(sys, "'zlogin' may only be used from the global zone");
  if (zonename === GLOBAL_ZONENAME) return zerror(sys, "'zlogin' not applicable to the global zone");
  const zone = await findZone(sys, zonename);
  if (zone === undefined) return zerror(sys, `zone '${zonename}' unknown`);
  if (stateRank(zone.state) < stateRank('installed')) return zerror(sys, `cannot login to a zone which is '${zone.state}'`);
  if (!(await hasAllPrivileges(sys))) return zerror(sys, 'You lack sufficient privilege to run this command (all privs required)');
  if (zone.state !== 'running' || zone.id === null) return zerror(sys, `login allowed only to running zones (${zonename} is '${zone.state}').`);

  try {
    if (opts.has('n')) await sys.dup2(await sys.open('/dev/null'), 0);
    await sys.cell_attach(zone.id);
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    return zerror(sys, `could not enter zone ${zonename}: ${errorText(err)}`);
  }
  const login = opts.value('l') ?? 'root';
  const user = await lookupUser(sys, login);
  if (user === undefined) {
    await printErr(sys, `su: Unknown id: ${login}\n`);
    return 1;
  }
  const childEnv = loginEnv(env, user);
  try {
    await sys.chdir(user.home);
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    await zerror(sys, `Could not chdir to home directory ${user.home}: ${errorText(err)}`);
  }
  return runShell(sys, user, childEnv, command);
};

/** prep_env + prep_env_noninteractive: PATH, TERM, and what login(1) sets for the user. */
function loginEnv(env: Readonly<Record<string, string>>, user: PasswdEntry): Record<string, string> {
  return {
    PATH: DEF_PATH,
    ...(env.TERM === undefined ? {} : { TERM: env.TERM }),
    LOGNAME: user.name,
    HOME: user.home,
    MAIL: `/var/mail/${user.name}`,
    SHELL: shellOf(user),
  };
}

function shellOf(user: PasswdEntry): string {
  return user.shell === '' ? '/bin/sh' : user.shell;
}

/** As su: become the user, then its shell runs `-c "command args"`, or `-i` for a login. */
async function runShell(sys: Sys, user: PasswdEntry, env: Record<string, string>, command: readonly string[]): Promise<number> {
  const shell = shellOf(user);
  const words = [shell.slice(shell.lastIndexOf('/') + 1), ...(command.length > 0 ? ['-c', command.join(' ')] : ['-i'])];
  let pid: number;
  try {
    await sys.setgroups(await groupList(sys, user));
    await sys.setgid(user.gid);
    await sys.setuid(user.uid);
    pid = await sys.spawn(shell, words, { env });
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    return zerror(sys, `exec failure: ${errorText(err)}`);
  }
  const result = await sys.wait(pid);
  return result === null ? 0 : exitStatus(result);
}
