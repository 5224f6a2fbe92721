/**
 * ipcrm(1), FreeBSD's: removes message queues (-q id, -Q key) and shared memory segments (-m id,
 * -M key) of the caller's IPC namespace, in command-line order; -W removes every one (-v: say
 * which). Messages and exit status (the number of failures) as FreeBSD's, quirks included
 * (`msqid(5): : Invalid argument`). This kernel has no semaphores, so -s and -S get FreeBSD's
 * words for a facility the kernel lacks, as does everything in a cell without SysV IPC.
 */
import { IPC_PRIVATE, IPC_RMID, type Program, type Sys } from '../../kernel/abi.js';
import { getopt, UsageError, type Options } from '../fileutils/getopt.js';
import { errnoOf, errorText, print, printErr } from '../lib.js';

const USAGE =
  'usage: ipcrm [-W] [-v[v]]\n' +
  '             [-q msqid] [-m shmid] [-s semid]\n' +
  '             [-Q msgkey] [-M shmkey] [-S semkey] ...\n';

interface Facility {
  /** ipc.h IPC_TO_STR and IPC_TO_STRING. */
  readonly short: string;
  readonly long: string;
  readonly kind: 'msg' | 'shm';
  /** Removes by id; by key when `key` is given (looked up as msgget(key, 0) does). */
  remove(sys: Sys, id: number, key?: number): Promise<void>;
}

const FACILITIES: Readonly<Record<'Q' | 'M', Facility>> = {
  Q: {
    short: 'msq',
    long: 'message queue',
    kind: 'msg',
    async remove(sys, id, key) {
      await sys.msgctl(key === undefined ? id : await sys.msgget(key, 0), IPC_RMID);
    },
  },
  M: {
    short: 'shm',
    long: 'shared memory segment',
    kind: 'shm',
    async remove(sys, id, key) {
      await sys.shmctl(key === undefined ? id : await sys.shmget(key, 0, 0), IPC_RMID);
    },
  },
};

/** atoi/atol: the leading decimal number, 0 when there is none. */
function leadingInt(text: string): number {
  const n = Number.parseInt(text, 10);
  return Number.isNaN(n) ? 0 : n;
}

async function usage(sys: Sys, complaint: string): Promise<number> {
  await printErr(sys, complaint + USAGE);
  return 1;
}

/** -W: every object of a facility, highest slot first as FreeBSD walks its table. */
async function removeAll(sys: Sys, f: Facility, verbose: number): Promise<number> {
  let failures = 0;
  let ids: number[];
  try {
    ids = (await sys.ipc_list()).filter((o) => o.kind === f.kind).map((o) => o.id);
  } catch (err) {
    if (errnoOf(err) === 'ENOSYS') return 0;
    throw err;
  }
  for (const id of ids.sort((a, b) => (b & 0xffff) - (a & 0xffff))) {
    try {
      await f.remove(sys, id);
      if (verbose > 0) await print(sys, `Removed ${f.long} ${id}\n`);
    } catch (err) {
      if (verbose > 1) await printErr(sys, `ipcrm: ${f.short}id(${id}): : ${errorText(err)}\n`);
      failures++;
    }
  }
  return failures;
}

export const ipcrm: Program = async (sys, argv) => {
  let opts: Options;
  try {
    opts = getopt(argv.slice(1), 'q:m:s:Q:M:S:vW');
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return usage(sys, `ipcrm: ${err.message}\nunrecognized option: -${err.message.slice(-1)}\n`);
  }
  const verbose = opts.list.filter((o) => o.flag === 'v').length;
  let failures = 0;
  for (const { flag, arg } of opts.list) {
    if (flag === 'W') {
      failures += (await removeAll(sys, FACILITIES.Q, verbose)) + (await removeAll(sys, FACILITIES.M, verbose));
      continue;
    }
    if (arg === undefined) continue; // -v
    const upper = flag.toUpperCase();
    if (upper === 'S') {
      failures++;
      await printErr(sys, 'ipcrm: semaphores are not configured in the running kernel\n');
      continue;
    }
    const f = FACILITIES[upper as 'Q' | 'M'];
    const byKey = flag === upper;
    const n = leadingInt(arg);
    if (byKey && n === IPC_PRIVATE) {
      await printErr(sys, `ipcrm: can't remove private ${f.long}s\n`);
      continue;
    }
    try {
      await (byKey ? f.remove(sys, 0, n) : f.remove(sys, n));
    } catch (err) {
      if (errnoOf(err) === undefined) throw err;
      failures++;
      const what = byKey ? `${f.short}s(${n})` : `${f.short}id(${n})`;
      await printErr(sys, errnoOf(err) === 'ENOSYS' ? `ipcrm: ${f.long}s are not configured in the running kernel\n` : `ipcrm: ${what}: : ${errorText(err)}\n`);
    }
  }
  if (opts.operands.length > 0) return usage(sys, `unknown argument: ${opts.operands[0]!}\n`);
  return failures;
};
