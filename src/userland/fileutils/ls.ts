/**
 * ls(1), FreeBSD style: operands sorted by name, files first and then each directory's
 * contents under a `dir:` header when there are several operands; one name a line (-1 is the
 * default as output is not a terminal); -a shows dot files with `.` and `..`, -A dot files
 * without them, -d lists directories themselves, -l the long format (see long.ts).
 */
import type { Program, Stat, Sys } from '../../kernel/abi.js';
import { warn } from '../lib.js';
import { loadIdNames } from '../users.js';
import type { IdNames } from '../users.js';
import { parseArgs } from './getopt.js';
import { longLines } from './long.js';
import type { LongEntry } from './long.js';
import { isDir, isLink } from './modes.js';
import { join } from './paths.js';
import { byName } from './tree.js';
import { Output } from './output.js';

const USAGE = 'ls [-1Aadl] [file ...]';

interface LsFlags {
  readonly long: boolean;
  readonly all: boolean;
  readonly almostAll: boolean;
  readonly directoriesAsFiles: boolean;
}

/** What a listing needs: names and, in the long format, stats and the id-to-name tables. */
interface Lister {
  readonly sys: Sys;
  readonly flags: LsFlags;
  readonly out: Output;
  readonly names?: IdNames;
  readonly now: number;
}

export const ls: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'ls', argv, '1Aadl', USAGE);
  if (!opts) return 1;
  const flags: LsFlags = {
    long: opts.lastOf('1l') === 'l',
    all: opts.has('a'),
    almostAll: opts.has('A'),
    directoriesAsFiles: opts.has('d'),
  };
  const operands = opts.operands.length === 0 ? ['.'] : [...opts.operands].sort(byName);
  const lister: Lister = {
    sys,
    flags,
    out: new Output(sys),
    names: flags.long ? await loadIdNames(sys) : undefined,
    now: flags.long ? await sys.time() : 0,
  };
  let status = 0;
  const files: LongEntry[] = [];
  const dirs: string[] = [];
  for (const operand of operands) {
    try {
      const st = await operandStat(sys, operand, flags);
      if (isDir(st.mode) && !flags.directoriesAsFiles) dirs.push(operand);
      else files.push(await entry(sys, operand, operand, st));
    } catch (err) {
      await warn(sys, 'ls', err, operand);
      status = 1;
    }
  }
  if (files.length > 0) await print(lister, files, false);
  let printed = files.length > 0;
  for (const dir of dirs) {
    if (printed) await lister.out.write('\n');
    if (operands.length > 1) await lister.out.write(`${dir}:\n`);
    printed = true;
    if (!(await listDirectory(lister, dir))) status = 1;
  }
  await lister.out.flush();
  return status;
};

/**
 * Operands that are symbolic links are followed unless the link itself is listed (-l, -d),
 * as FreeBSD's implied -H; a dangling link is listed as the link.
 */
async function operandStat(sys: Sys, path: string, flags: LsFlags): Promise<Stat> {
  const st = await sys.lstat(path);
  if (!isLink(st.mode) || flags.long || flags.directoriesAsFiles) return st;
  return sys.stat(path).catch(() => st);
}

async function entry(sys: Sys, name: string, path: string, st: Stat): Promise<LongEntry> {
  return { name, st, link: isLink(st.mode) ? await sys.readlink(path).catch(() => '') : undefined };
}

/** Lists one directory's entries; answers false when it could not be read. */
async function listDirectory(lister: Lister, dir: string): Promise<boolean> {
  const { sys, flags } = lister;
  let names: string[];
  try {
    names = (await sys.readdir(dir)).map((d) => d.name).filter((n) => n !== '.' && n !== '..');
  } catch (err) {
    await lister.out.flush();
    await warn(sys, 'ls', err, dir);
    return false;
  }
  if (!flags.all && !flags.almostAll) names = names.filter((n) => !n.startsWith('.'));
  if (flags.all) names.push('.', '..');
  names.sort(byName);
  if (!flags.long) {
    await print(lister, names, false);
    return true;
  }
  const entries: LongEntry[] = [];
  let ok = true;
  for (const name of names) {
    const path = join(dir, name);
    try {
      entries.push(await entry(sys, name, path, await sys.lstat(path)));
    } catch (err) {
      await warn(sys, 'ls', err, path);
      ok = false;
    }
  }
  await print(lister, entries, true);
  return ok;
}

/** Writes a group of entries: names alone, or long lines (with `total` for a directory's contents). */
async function print(lister: Lister, entries: readonly LongEntry[] | readonly string[], total: boolean): Promise<void> {
  const { out, names } = lister;
  if (names === undefined) {
    for (const e of entries) await out.write(`${typeof e === 'string' ? e : e.name}\n`);
    return;
  }
  const long = entries.filter((e): e is LongEntry => typeof e !== 'string');
  for (const line of longLines(long, names, lister.now, total)) await out.write(line);
}
