/**
 * jail(8) for jails given on the command line: `-c` create, `-m` modify, `-cm` either, `-r`
 * remove (SIGTERM and a grace period first), `-R` remove at once, `-rc` restart; `-v` verbose,
 * `-q` quiet, `-i` print the new jid; mount.devfs and mount.procfs; the old `jail path hostname
 * ip command...` form too.
 * There is no jail.conf: a command-line jail has no record name, so messages carry no
 * `name: ` prefix (jail(8) jail_warnx), except for running jails named on `-r`.
 */
import type { CellInfo, Program, Sys } from '../../kernel/abi.js';
import { S_IFDIR, S_IFMT } from '../../kernel/abi.js';
import { strerror } from '../../kernel/errno.js';
import { parseArgs, type Options } from '../fileutils/getopt.js';
import { errnoOf, errorText, print, printErr } from '../lib.js';
import { parseJailArgs, pseudoStrings, type JailSpec } from './args.js';
import { createParams, defaultPrivileges, updateParams } from './cellparams.js';
import { commandWords, runInJail } from './commands.js';
import { errmsg, findJail } from './lookup.js';
import { mountJailFilesystems, unmountAll } from './mounts.js';
import { termProcs } from './stop.js';

const USAGE = [
  'jail [-dhilqv] [-J jid_file] [-u username] [-U username]',
  '            -[cmr] param=value ... [command=command ...]',
  '       jail [-dqv] [-f file] -[cmr] [jail]',
  '       jail [-qv] [-f file] -[rR] [\'*\' | jail ...]',
  '       jail [-dhilqv] [-J jid_file] [-u username] [-U username]',
  '            [-n jailname] [-s securelevel]',
  '            path hostname [ip[,...]] command ...',
].join('\n');
const CONF_FILE = '/etc/jail.conf';

interface Ctx {
  readonly sys: Sys;
  readonly env: Readonly<Record<string, string>>;
  /** -1 quiet (-q, -i), 0 normal, 1 verbose (-v): the last of them wins. */
  readonly verbose: number;
  readonly printJid: boolean;
}

async function fail(ctx: Ctx, message: string, jailName?: string): Promise<number> {
  await printErr(ctx.sys, `jail: ${jailName === undefined ? '' : `${jailName}: `}${message}\n`);
  return 1;
}

async function usage(ctx: Ctx): Promise<number> {
  await printErr(ctx.sys, `usage: ${USAGE}\n`);
  return 1;
}

export const jail: Program = async (sys, argv, env) => {
  const opts = await parseArgs(sys, 'jail', argv, 'cdimn:qrRs:v', USAGE);
  if (opts === undefined) return 1;
  const ctx: Ctx = { sys, env, verbose: verbosity(opts), printJid: opts.has('i') };
  const op = { c: opts.has('c'), m: opts.has('m'), r: opts.has('r') || opts.has('R'), R: opts.has('R') };
  const implied = [...(opts.value('n') === undefined ? [] : [`name=${opts.value('n')}`]), ...(opts.value('s') === undefined ? [] : [`securelevel=${opts.value('s')}`])];
  const words = opts.operands;

  if (!op.c && !op.m && !op.r) return oldStyle(ctx, implied, words);
  if (!op.c && !op.m) {
    if (words.length === 0 || (!op.R && words.some((w) => w.includes('=')))) return usage(ctx);
    let status = 0;
    for (const target of words) status |= await removeByName(ctx, target, !op.R, words.length > 1);
    return status;
  }
  if (op.R) return usage(ctx);
  if (words.length + implied.length > 1 || words[0]?.includes('=') === true) return singleJail(ctx, op, [...implied, ...words]);
  return fail(ctx, `${CONF_FILE}: ${strerror('ENOENT')}`);
};

function verbosity(opts: Options): number {
  let verbose = 0;
  for (const { flag } of opts.list) {
    if (flag === 'q' || flag === 'i') verbose = -1;
    else if (flag === 'v') verbose = 1;
  }
  return verbose;
}

/** `jail [-n name] [-s securelevel] path hostname ip command ...`: create and run one command. */
async function oldStyle(ctx: Ctx, implied: readonly string[], words: readonly string[]): Promise<number> {
  if (words.length < 4 || !words[0]!.startsWith('/')) return usage(ctx);
  const [path, hostname, ips, ...command] = words as [string, string, string, ...string[]];
  const addresses = ips === '' ? [] : ips.split(',').map((ip) => `ip4.addr=${ip}`);
  return singleJail(ctx, { c: true, m: false, r: false }, [...implied, `path=${path}`, `host.hostname=${hostname}`, ...addresses, 'command', ...command]);
}

async function singleJail(ctx: Ctx, op: { c: boolean; m: boolean; r: boolean }, words: readonly string[]): Promise<number> {
  const { spec, errors } = parseJailArgs(words);
  if (errors.length > 0) {
    for (const error of errors) await fail(ctx, error);
    return 1;
  }
  const name = spec.draft.name;
  const found = name === undefined ? undefined : await findJail(ctx.sys, name);
  const current = found === undefined || 'error' in found ? undefined : found;
  if (op.r) {
    if (current !== undefined) {
      const status = await removeJail(ctx, current, spec, undefined, false);
      if (status !== 0) return status;
    } else if (!op.c) {
      return fail(ctx, `"${name ?? ''}" not found`);
    }
    return createJail(ctx, spec);
  }
  if (current !== undefined) return op.m ? modifyJail(ctx, spec, current) : fail(ctx, `"${name}" already exists`);
  if (!op.c) return fail(ctx, name === undefined ? 'update specified no jail' : `"${name}" not found`);
  return createJail(ctx, spec);
}

async function createJail(ctx: Ctx, spec: JailSpec): Promise<number> {
  const { sys } = ctx;
  const { draft } = spec;
  const badPath = draft.path === undefined ? undefined : await checkPath(sys, draft.path);
  if (badPath !== undefined) return fail(ctx, badPath);
  const commands = [
    ...pseudoStrings(spec, 'exec.start').map((value) => ({ words: commandWords(value), comline: value })),
    ...(spec.command.length === 0 ? [] : [{ words: [...spec.command], comline: spec.command.join(' ') }]),
  ];
  // jail(8) keeps a jail with commands to run alive until they have run, then lets it go.
  const tempPersist = draft.persist !== true && commands.length > 0;
  const mounted = await mountJailFilesystems(sys, spec);
  if (!Array.isArray(mounted)) return fail(ctx, mounted.error);
  let jid: number;
  try {
    jid = await sys.cell_create(createParams(draft, defaultPrivileges(await sys.cell_get()), draft.persist === true || tempPersist));
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    await unmountAll(sys, mounted);
    return fail(ctx, errmsg(err, 'jail_set'));
  }
  if (ctx.printJid) await print(sys, `${jid}\n`);
  if (ctx.verbose > 0) await print(sys, 'created\n');
  for (const { words, comline } of commands) {
    const problem = await runInJail(sys, ctx.env, jid, words, comline);
    if (problem !== undefined) {
      if (tempPersist) await clearPersist(sys, jid);
      await unmountAll(sys, mounted);
      return fail(ctx, problem);
    }
  }
  if (tempPersist) await clearPersist(sys, jid);
  return 0;
}

/** jail(8) checks the path itself, for a better message than jail_set's. */
async function checkPath(sys: Sys, path: string): Promise<string | undefined> {
  if (!path.startsWith('/')) return `path ${path}: not an absolute pathname`;
  try {
    const st = await sys.stat(path);
    if ((st.mode & S_IFMT) !== S_IFDIR) return `path ${path}: ${strerror('ENOTDIR')}`;
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    return `path ${path}: ${errorText(err)}`;
  }
  return undefined;
}

async function clearPersist(sys: Sys, jid: number): Promise<void> {
  try {
    await sys.cell_set(jid, { persist: false });
  } catch {
    // Already gone (its last process exited, or someone removed it): nothing to clear.
  }
}

async function modifyJail(ctx: Ctx, spec: JailSpec, current: CellInfo): Promise<number> {
  for (const [param, value] of spec.given) {
    if (param.createOnly && param.name !== 'name' && param.get(current) !== value) return fail(ctx, `${param.name} cannot be changed after creation`);
  }
  try {
    await ctx.sys.cell_set(current.id, updateParams(spec.draft, current));
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    return fail(ctx, errmsg(err, 'jail_set'));
  }
  if (ctx.verbose > 0) await print(ctx.sys, 'updated\n');
  return 0;
}

/** `jail -r name|jid`: a running jail named on the line, so its messages carry the name. */
async function removeByName(ctx: Ctx, target: string, graceful: boolean, several: boolean): Promise<number> {
  const found = await findJail(ctx.sys, target);
  if ('error' in found) return fail(ctx, `"${target}" not found`);
  const spec = parseJailArgs([]).spec;
  return removeJail(ctx, found, graceful ? spec : undefined, target, several);
}

/**
 * jail(8)'s stop sequence: exec.stop inside, SIGTERM and the grace period, then jail_remove
 * (SIGKILL for the rest). Without `spec` (-R) only the removal. A failed exec.stop keeps the jail.
 */
async function removeJail(ctx: Ctx, jail: CellInfo, spec: JailSpec | undefined, jailName: string | undefined, several: boolean): Promise<number> {
  if (spec !== undefined) {
    for (const value of pseudoStrings(spec, 'exec.stop')) {
      const problem = await runInJail(ctx.sys, ctx.env, jail.id, commandWords(value), value);
      if (problem !== undefined) return fail(ctx, problem, jailName);
    }
    await termProcs(ctx.sys, jail);
  }
  try {
    await ctx.sys.cell_remove(jail.id);
  } catch {
    // jail(8) ignores jail_remove's answer: a jail that died meanwhile is removed all the same.
  }
  if (ctx.verbose > 0 || (ctx.verbose === 0 && several)) await print(ctx.sys, `${jailName === undefined ? '' : `${jailName}: `}removed\n`);
  return 0;
}
