/**
 * prstat(1M), one screen and no refresh loop: process lines from /proc (what the caller may
 * see), sorted by CPU, and with -Z the per-zone summary (PS prstat.c: PSINFO_LINE, ZONE_LINE,
 * TOTAL_LINE; Format_size, Format_time, Format_pct). Trailing blanks of a line are dropped.
 * Simulation gaps: processes have no memory of their own (SIZE and RSS are 0K; a zone's SWAP
 * and RSS are its partition's memory usage), CPU% is the share of its life a process held a
 * CPU, not a decaying average, MEMORY% is 0.0 (no physical memory size), and load averages
 * are 0.00. A zone's TIME is the kernel's CPU ticks for it when reported, else its processes'.
 */
import { HZ, type Program, type Sys } from '../../kernel/abi.js';
import { getopt, UsageError } from '../fileutils/getopt.js';
import { print, printErr } from '../lib.js';
import { readProcesses, type ProcInfo } from '../sysutils/procfs.js';
import { loadIdNames } from '../users.js';
import { cpuOf } from './cpu.js';
import { ownZone } from './zone.js';

const USAGE = `Usage:\tprstat [-acHJLmrRtTvWZ] [-u euidlist] [-U uidlist]
\t[-p pidlist] [-P cpulist] [-C psrsetlist] [-h lgrouplist]
\t[-j projidlist] [-k taskidlist] [-z zoneidlist]
\t[-s key | -S key] [-n nprocs[,nusers]] [-d d|u]
\t[interval [counter]]
`;

const PSINFO_HEADER = '   PID USERNAME  SIZE   RSS STATE  PRI NICE      TIME  CPU PROCESS/NLWP';
const ZONE_HEADER = 'ZONEID    NPROC  SWAP   RSS MEMORY      TIME  CPU ZONE';
/** Lines in the top (processes) and bottom (zones) parts, prstat's defaults without a terminal size. */
const NTOP = 15;
const NBOTTOM = 5;
const STATE: Record<string, string> = { R: 'run', S: 'sleep', T: 'stop', Z: 'zombie' };
const HOST_CELL = 'host';

/** Format_size: kilobytes, or M or G past 10000 of the unit below. */
export function formatSize(kbytes: number): string {
  let size = Math.round(kbytes);
  let tag = 'K';
  if (size >= 10000) {
    size = Math.floor((size + 512) / 1024);
    tag = 'M';
    if (size >= 10000) {
      size = Math.floor((size + 512) / 1024);
      tag = 'G';
    }
  }
  return `${String(size).padStart(4)}${tag}`;
}

/** Format_time: h:mm:ss. */
export function formatTime(seconds: number): string {
  const s = Math.floor(seconds);
  return `${String(Math.floor(s / 3600)).padStart(3)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Format_pct: one decimal below 9.95, else none; clamped to 0..100. */
export function formatPct(value: number): string {
  const v = Math.min(100, Math.max(0, value));
  return v < 9.95 ? v.toFixed(1) : v.toFixed(0);
}

const pct = (s: string): string => `${s.slice(0, 3).padStart(3)}%`;

export const prstat: Program = async (sys, argv) => {
  let opts;
  try {
    opts = getopt(argv.slice(1), 'acHJLmrRtTvWZu:U:p:P:C:h:j:k:z:s:S:n:d:');
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    await printErr(sys, `prstat: ${err.message}\n${USAGE}`);
    return 1;
  }
  const now = await sys.time();
  const procs = (await readProcesses(sys)).filter((p) => p.pid !== 0);
  const share = (p: ProcInfo): number => (now > p.start ? (100 * p.ticks) / (now - p.start) : 0);
  const names = await loadIdNames(sys);
  const top = [...procs].sort((a, b) => share(b) - share(a) || a.pid - b.pid).slice(0, NTOP);
  let out = `${PSINFO_HEADER}\n`;
  for (const p of top) {
    const user = names.user(p.uid).slice(0, 8).padEnd(8);
    const state = (STATE[p.state] ?? '?').padEnd(6);
    const time = formatTime(p.ticks / HZ).padStart(9);
    out += `${String(p.pid).padStart(6)} ${user} ${formatSize(0)} ${formatSize(0)} ${state}  59    0 ${time} ${pct(formatPct(share(p)))} ${p.comm.slice(0, 16)}/1\n`;
  }
  if (opts.has('Z')) out += await zoneSummary(sys, procs, share);
  out += `Total: ${procs.length} processes, ${procs.length} lwps, load averages: 0.00, 0.00, 0.00\n`;
  await print(sys, out);
  return 0;
};

/** The -Z bottom part: one line per zone that has processes, busiest first. */
async function zoneSummary(sys: Sys, procs: readonly ProcInfo[], share: (p: ProcInfo) => number): Promise<string> {
  const own = await ownZone(sys);
  const cells = new Map((await sys.cell_list()).map((c) => [c.name, c]));
  const zones = new Map<string, { procs: ProcInfo[] }>();
  for (const p of procs) {
    const key = p.cell === HOST_CELL || p.cell === own.info.name ? own.name : p.cell;
    const z = zones.get(key) ?? { procs: [] };
    z.procs.push(p);
    zones.set(key, z);
  }
  const rows = [...zones].map(([name, z]) => {
    const info = name === own.name ? own.info : cells.get(name);
    const cpu = info === undefined ? undefined : cpuOf(info);
    const ticks = cpu?.ticks ?? z.procs.reduce((n, p) => n + p.ticks, 0);
    const memory = info === undefined ? 0 : info.resources.memory.usage / 1024;
    return { id: info?.id ?? 0, name, nproc: z.procs.length, ticks, memory, cpu: z.procs.reduce((n, p) => n + share(p), 0) };
  });
  rows.sort((a, b) => b.cpu - a.cpu || a.id - b.id);
  let out = `${ZONE_HEADER}\n`;
  for (const r of rows.slice(0, NBOTTOM)) {
    out += `${String(r.id).padStart(6)} ${String(r.nproc).padStart(8)} ${formatSize(r.memory)} ${formatSize(r.memory)}   ${pct(formatPct(0))} ${formatTime(r.ticks / HZ).padStart(9)} ${pct(formatPct(r.cpu))} ${r.name}\n`;
  }
  return out;
}
