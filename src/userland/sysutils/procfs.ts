/**
 * The process list as ps(1) sees it: whatever /proc shows the caller, which is the kernel's
 * business (a cell sees only its own processes). Nothing here asks the kernel anything else.
 */
import type { Sys } from '../../kernel/abi.js';
import { errnoOf, readAll, readFile } from '../lib.js';

export interface ProcInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly uid: number;
  readonly gid: number;
  /** Name: the command name. */
  readonly comm: string;
  /** The state letter: R, S, T or Z. */
  readonly state: string;
  /** The cell the process runs in; "host" for the host. */
  readonly cell: string;
  /** CPU time used, in ticks. */
  readonly ticks: number;
  /** Virtual tick the process started at. */
  readonly start: number;
  readonly args: readonly string[];
}

/** Parses `/proc/<pid>/status`: one `Key:\tvalue` per line. */
function parseStatus(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

function num(fields: Map<string, string>, key: string): number {
  const n = Number(fields.get(key) ?? NaN);
  return Number.isFinite(n) ? n : 0;
}

async function readCmdline(sys: Sys, path: string): Promise<string[]> {
  const fd = await sys.open(path);
  try {
    const args = new TextDecoder().decode(await readAll(sys, fd)).split('\0');
    if (args.at(-1) === '') args.pop();
    return args;
  } finally {
    await sys.close(fd);
  }
}

/** One process, or undefined when it exited between readdir and read (a normal race). */
export async function readProcess(sys: Sys, pid: number): Promise<ProcInfo | undefined> {
  try {
    const fields = parseStatus(await readFile(sys, `/proc/${pid}/status`));
    const args = await readCmdline(sys, `/proc/${pid}/cmdline`);
    return {
      pid,
      ppid: num(fields, 'PPid'),
      uid: num(fields, 'Uid'),
      gid: num(fields, 'Gid'),
      comm: fields.get('Name') ?? '',
      state: (fields.get('State') ?? '?').charAt(0),
      cell: fields.get('Cell') ?? '',
      ticks: num(fields, 'Ticks'),
      start: num(fields, 'Start'),
      args,
    };
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    return undefined;
  }
}

/** Every process /proc shows, sorted by pid. */
export async function readProcesses(sys: Sys): Promise<ProcInfo[]> {
  const pids = (await sys.readdir('/proc'))
    .map((d) => d.name)
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => a - b);
  const procs: ProcInfo[] = [];
  for (const pid of pids) {
    const p = await readProcess(sys, pid);
    if (p !== undefined) procs.push(p);
  }
  return procs;
}
