/**
 * jexec(8): `jexec [-l] [-d dir] [-u user | -U user] jail [command ...]`. Attaches to the jail
 * (by jid or name), changes to `/` (its root) or `-d dir`, and runs the command found by PATH,
 * or `$SHELL -i` (`/bin/sh -i`). FreeBSD's jexec execs; a program here cannot, so it spawns,
 * waits and exits with the command's status. `-u` names a user of the caller's passwd, looked
 * up before attaching; `-U` one of the jail's, looked up inside. `-l` gives a clean login
 * environment.
 */
import type { Program, Sys } from '../../kernel/abi.js';
import { strerror } from '../../kernel/errno.js';
import { parseArgs, usageFail } from '../fileutils/getopt.js';
import { errnoOf, findInPath, printErr, warn } from '../lib.js';
import { exitStatus } from '../sysutils/chroot.js';
import { groupList, lookupUser, readPasswd, type PasswdEntry } from '../users.js';
import { findJail } from './lookup.js';

const USAGE = 'jexec [-l] [-d working-directory] [[-u username] | [-U username]] jail [command ...]';

async function errx(sys: Sys, message: string): Promise<number> {
  await printErr(sys, `jexec: ${message}\n`);
  return 1;
}

export const jexec: Program = async (sys, argv, env) => {
  const opts = await parseArgs(sys, 'jexec', argv, 'd:lnu:U:', USAGE);
  if (opts === undefined) return 1;
  const [target, ...command] = opts.operands;
  if (target === undefined || (opts.has('u') && opts.has('U'))) return usageFail(sys, USAGE);

  const jail = await findJail(sys, target);
  if ('error' in jail) return errx(sys, jail.error);
  const username = opts.value('u') ?? opts.value('U');
  let user: PasswdEntry | undefined;
  if (opts.has('u')) {
    user = await lookupUser(sys, username!);
    if (user === undefined) return errx(sys, `${username}: no such user`);
  }
  try {
    await sys.cell_attach(jail.id);
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    await warn(sys, 'jexec', err, `jail_attach(${jail.id})`);
    return 1;
  }
  if (opts.has('U')) {
    user = await lookupUser(sys, username!);
    if (user === undefined) return errx(sys, `${username}: no such user`);
  }
  const workdir = opts.value('d') ?? (opts.has('l') && user !== undefined ? user.home : '/');
  try {
    await sys.chdir(workdir);
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    await warn(sys, 'jexec', err, `chdir(): ${workdir}`);
    return 1;
  }
  if (user !== undefined && !(await becomeUser(sys, user))) return 1;

  const childEnv = opts.has('l') ? await loginEnv(sys, env, user) : env;
  const words = command.length > 0 ? command : [childEnv.SHELL ?? '/bin/sh', '-i'];
  const path = await findInPath(sys, words[0]!, childEnv);
  if (path === undefined) return errx(sys, `execvp: ${words[0]}: ${strerror('ENOENT')}`);
  let pid: number;
  try {
    pid = await sys.spawn(path, words, { env: childEnv });
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    await warn(sys, 'jexec', err, `execvp: ${words[0]}`);
    return 1;
  }
  const result = await sys.wait(pid);
  return result === null ? 0 : exitStatus(result);
};

/** initgroups, setgid, setuid: the user's identity, as setusercontext(3) gives it. */
async function becomeUser(sys: Sys, user: PasswdEntry): Promise<boolean> {
  try {
    await sys.setgroups(await groupList(sys, user));
    await sys.setgid(user.gid);
    await sys.setuid(user.uid);
    return true;
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    await warn(sys, 'jexec', err, `setusercontext: ${user.name}`);
    return false;
  }
}

/** `-l`: only HOME, SHELL, TERM, USER and PATH survive, set for the user; PATH is login.conf's default (sbin first). */
async function loginEnv(sys: Sys, env: Readonly<Record<string, string>>, user: PasswdEntry | undefined): Promise<Record<string, string>> {
  const who = user ?? (await lookupUid(sys));
  const clean: Record<string, string> = { PATH: '/sbin:/bin:/usr/sbin:/usr/bin' };
  if (env.TERM !== undefined) clean.TERM = env.TERM;
  if (who !== undefined) Object.assign(clean, { HOME: who.home, SHELL: who.shell || '/bin/sh', USER: who.name });
  return clean;
}

async function lookupUid(sys: Sys): Promise<PasswdEntry | undefined> {
  const uid = await sys.getuid();
  return (await readPasswd(sys)).find((u) => u.uid === uid);
}
