/**
 * The user and group databases, /etc/passwd and /etc/group, read through `Sys` as getpwent(3)
 * and getgrent(3) do. Each cell has its own files, so the same uid may have a different name in
 * each cell. A missing or unreadable file is an empty database: tools then print numbers.
 */
import type { Sys } from '../kernel/abi.js';
import { errnoOf, readFile } from './lib.js';

export interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly gecos: string;
  readonly home: string;
  readonly shell: string;
}

export interface GroupEntry {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

/** Reads a colon-separated database, skipping comments and lines with a bad numeric id. */
async function readDatabase(sys: Sys, path: string): Promise<string[][]> {
  let text: string;
  try {
    text = await readFile(sys, path);
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'));
}

function id(field: string | undefined): number | undefined {
  return field !== undefined && /^\d+$/.test(field) ? Number(field) : undefined;
}

export async function readPasswd(sys: Sys): Promise<PasswdEntry[]> {
  const entries: PasswdEntry[] = [];
  for (const f of await readDatabase(sys, '/etc/passwd')) {
    const uid = id(f[2]);
    const gid = id(f[3]);
    if (uid === undefined || gid === undefined) continue;
    entries.push({ name: f[0]!, uid, gid, gecos: f[4] ?? '', home: f[5] ?? '', shell: f[6] ?? '' });
  }
  return entries;
}

export async function readGroups(sys: Sys): Promise<GroupEntry[]> {
  const entries: GroupEntry[] = [];
  for (const f of await readDatabase(sys, '/etc/group')) {
    const gid = id(f[2]);
    if (gid === undefined) continue;
    const members = (f[3] ?? '').split(',').filter((m) => m !== '');
    entries.push({ name: f[0]!, gid, members });
  }
  return entries;
}

/** getpwuid(3): the name of `uid`, or undefined when /etc/passwd has none. */
export async function userName(sys: Sys, uid: number): Promise<string | undefined> {
  return (await readPasswd(sys)).find((u) => u.uid === uid)?.name;
}

/** getgrgid(3): the name of `gid`, or undefined when /etc/group has none. */
export async function groupName(sys: Sys, gid: number): Promise<string | undefined> {
  return (await readGroups(sys)).find((g) => g.gid === gid)?.name;
}

/** getpwnam(3). */
export async function lookupUser(sys: Sys, name: string): Promise<PasswdEntry | undefined> {
  return (await readPasswd(sys)).find((u) => u.name === name);
}

/** getgrnam(3). */
export async function lookupGroup(sys: Sys, name: string): Promise<GroupEntry | undefined> {
  return (await readGroups(sys)).find((g) => g.name === name);
}

/** getgrouplist(3): the user's primary group, then every group listing it as a member. */
export async function groupList(sys: Sys, user: PasswdEntry): Promise<number[]> {
  const gids = [user.gid];
  for (const g of await readGroups(sys)) {
    if (g.members.includes(user.name) && !gids.includes(g.gid)) gids.push(g.gid);
  }
  return gids;
}

/** Both databases read once, for tools that name many ids (ls -l, ps). */
export interface IdNames {
  /** The user name of `uid`, or the number as text when it has none. */
  user(uid: number): string;
  /** The group name of `gid`, or the number as text when it has none. */
  group(gid: number): string;
}

export async function loadIdNames(sys: Sys): Promise<IdNames> {
  const users = new Map<number, string>();
  const groups = new Map<number, string>();
  // The first entry for an id wins, as getpwuid's linear scan does.
  for (const u of await readPasswd(sys)) if (!users.has(u.uid)) users.set(u.uid, u.name);
  for (const g of await readGroups(sys)) if (!groups.has(g.gid)) groups.set(g.gid, g.name);
  return {
    user: (uid) => users.get(uid) ?? String(uid),
    group: (gid) => groups.get(gid) ?? String(gid),
  };
}
