/**
 * ipcs(1), FreeBSD's: the message queues and shared memory segments of the caller's IPC
 * namespace, in FreeBSD's columns (printf widths kept, trailing blanks dropped). -q or -m shows
 * one facility (the last given wins, as in FreeBSD); -a -b -c -o -p -t add columns; -u shows one
 * user's objects. Times are the virtual clock as hh:mm:ss since boot. In a cell without SysV IPC
 * the tables are empty, as FreeBSD's sysctls give a jail without allow.sysvipc.
 */
import type { IpcInfo, MsgInfo, Program, ShmInfo, Sys } from '../../kernel/abi.js';
import { HZ } from '../../kernel/abi.js';
import { parseArgs } from '../fileutils/getopt.js';
import { errnoOf, print, printErr } from '../lib.js';
import { loadIdNames, lookupUser, type IdNames } from '../users.js';

const USAGE = 'ipcs [-abcmopqt] [-u user]';

interface Extras {
  readonly biggest: boolean;
  readonly creator: boolean;
  readonly outstanding: boolean;
  readonly pid: boolean;
  readonly time: boolean;
}

/** FreeBSD's fmt_perm: two flag places, then rwa for owner, group, other. */
export function formatMode(mode: number): string {
  let out = '--';
  for (const shift of [6, 3, 0]) {
    const bits = (mode >> shift) & 7;
    out += (bits & 4 ? 'r' : '-') + (bits & 2 ? 'w' : '-') + (bits & 1 ? 'a' : '-');
  }
  return out;
}

/** cvt_time: "no-entry" for never, else the virtual time of day. */
export function formatTime(ticks: number): string {
  if (ticks === 0) return 'no-entry';
  const s = Math.floor(ticks / HZ);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${String(Math.floor(s / 3600) % 24).padStart(2)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

const right = (value: string | number, width: number): string => String(value).padStart(width);
const left = (value: string, width: number): string => value.padEnd(width);

function header(title: string, x: Extras, outstanding: string, biggest: string, pids: string, times: string): string {
  let line = `T ${right('ID', 12)} ${right('KEY', 12)} ${left('MODE', 11)} ${left('OWNER', 8)} ${left('GROUP', 8)}`;
  if (x.creator) line += ` ${left('CREATOR', 8)} ${left('CGROUP', 8)}`;
  if (x.outstanding) line += outstanding;
  if (x.biggest) line += biggest;
  if (x.pid) line += pids;
  if (x.time) line += times;
  return `${title}:\n${line.trimEnd()}\n`;
}

function common(letter: string, o: IpcInfo, names: IdNames, x: Extras): string {
  let line = `${letter} ${right(o.id, 12)} ${right(o.key, 12)} ${formatMode(o.mode)} ${left(names.user(o.uid), 8)} ${left(names.group(o.gid), 8)}`;
  if (x.creator) line += ` ${left(names.user(o.cuid), 8)} ${left(names.group(o.cgid), 8)}`;
  return line;
}

function msgRow(q: MsgInfo, names: IdNames, x: Extras): string {
  let line = common('q', q, names, x);
  if (x.outstanding) line += ` ${right(q.cbytes, 12)} ${right(q.qnum, 12)}`;
  if (x.biggest) line += ` ${right(q.qbytes, 20)}`;
  if (x.pid) line += ` ${right(q.lspid, 12)} ${right(q.lrpid, 12)}`;
  if (x.time) line += ` ${formatTime(q.stime)} ${formatTime(q.rtime)} ${formatTime(q.ctime)}`;
  return `${line.trimEnd()}\n`;
}

function shmRow(m: ShmInfo, names: IdNames, x: Extras): string {
  let line = common('m', m, names, x);
  if (x.outstanding) line += ` ${right(m.nattch, 12)}`;
  if (x.biggest) line += ` ${right(m.segsz, 12)}`;
  if (x.pid) line += ` ${right(m.cpid, 12)} ${right(m.lpid, 12)}`;
  if (x.time) line += ` ${formatTime(m.atime)} ${formatTime(m.dtime)} ${formatTime(m.ctime)}`;
  return `${line.trimEnd()}\n`;
}

/** The caller's objects; none where SysV IPC is not configured (ENOSYS). */
async function listObjects(sys: Sys): Promise<IpcInfo[]> {
  try {
    return await sys.ipc_list();
  } catch (err) {
    if (errnoOf(err) === 'ENOSYS') return [];
    throw err;
  }
}

export const ipcs: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'ipcs', argv, 'abcmopqtu:', USAGE);
  if (opts === undefined) return 1;
  const all = opts.has('a');
  const x: Extras = {
    biggest: all || opts.has('b'),
    creator: all || opts.has('c'),
    outstanding: all || opts.has('o'),
    pid: all || opts.has('p'),
    time: all || opts.has('t'),
  };
  const shown = opts.lastOf('qm');
  let owner: number | undefined;
  const user = opts.value('u');
  if (user !== undefined) {
    owner = /^\d+$/.test(user) ? Number(user) : (await lookupUser(sys, user))?.uid;
    if (owner === undefined) {
      await printErr(sys, 'ipcs: getpwnam failed: No such user\n');
      return 1;
    }
  }
  const objects = (await listObjects(sys)).filter((o) => owner === undefined || o.uid === owner);
  const names = await loadIdNames(sys);
  let out = '';
  if (shown !== 'm') {
    out += header('Message Queues', x, ` ${right('CBYTES', 20)} ${right('QNUM', 20)}`, ` ${right('QBYTES', 20)}`, ` ${right('LSPID', 12)} ${right('LRPID', 12)}`, ` ${left('STIME', 8)} ${left('RTIME', 8)} ${left('CTIME', 8)}`);
    for (const o of objects) if (o.kind === 'msg') out += msgRow(o, names, x);
    out += '\n';
  }
  if (shown !== 'q') {
    out += header('Shared Memory', x, ` ${right('NATTCH', 12)}`, ` ${right('SEGSZ', 12)}`, ` ${right('CPID', 12)} ${right('LPID', 12)}`, ` ${left('ATIME', 8)} ${left('DTIME', 8)} ${left('CTIME', 8)}`);
    for (const o of objects) if (o.kind === 'shm') out += shmRow(o, names, x);
    out += '\n';
  }
  await print(sys, out);
  return 0;
};
