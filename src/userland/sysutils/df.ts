/**
 * df(1), FreeBSD layout: every mount of /proc/mounts (the caller's mount namespace), or the
 * mounts holding the given files, with sizes in 1K blocks (-h: human-readable).
 *
 *   Filesystem 1K-blocks Used Avail Capacity  Mounted on
 *   memfs          65536   12 65524     0%    /
 */
import type { Program, StatFs, Sys } from '../../kernel/abi.js';
import { parseArgs } from '../fileutils/getopt.js';
import { print, warn } from '../lib.js';
import { type MountEntry, mountOf, readMounts } from './mounts.js';

const USAGE = 'df [-h | -k] [file | filesystem ...]';

interface Row {
  readonly mount: MountEntry;
  readonly fs: StatFs;
}

/** humanize_number(3) as df -h calls it: at most three digits and a unit, one decimal below 10. */
export function humanize(bytes: number): string {
  const units = ['B', 'K', 'M', 'G', 'T', 'P', 'E'];
  let value = bytes;
  let unit = 0;
  while (Math.round(value) >= 1000 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const decimal = value.toFixed(1);
  const digits = unit > 0 && decimal.length <= 3 ? decimal : String(Math.round(value));
  return `${digits}${units[unit]!}`;
}

function sizes(fs: StatFs, human: boolean): [string, string, string] {
  const used = fs.blocks - fs.bfree;
  const show = (blocks: number): string =>
    human ? humanize(blocks * fs.bsize) : String(Math.floor((blocks * fs.bsize) / 1024));
  return [show(fs.blocks), show(used), show(fs.bfree)];
}

function capacity(fs: StatFs): string {
  const used = fs.blocks - fs.bfree;
  const total = used + fs.bfree;
  return `${String(total === 0 ? 100 : Math.round((used / total) * 100)).padStart(5)}%`;
}

/** FreeBSD's prtstat: columns as wide as their widest value, Capacity and Mounted on fixed. */
function render(rows: readonly Row[], human: boolean): string {
  const cells = rows.map((r) => [r.mount.source, ...sizes(r.fs, human)]);
  const headers = ['Filesystem', human ? 'Size' : '1K-blocks', 'Used', 'Avail'];
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string =>
    c[0]!.padEnd(widths[0]!) + c.slice(1).map((v, i) => ` ${v.padStart(widths[i + 1]!)}`).join('');
  let out = `${line(headers)} Capacity  Mounted on\n`;
  rows.forEach((r, i) => {
    out += `${line(cells[i]!)}   ${capacity(r.fs)}    ${r.mount.target}\n`;
  });
  return out;
}

async function absolute(sys: Sys, path: string): Promise<string> {
  if (path.startsWith('/')) return path;
  const cwd = await sys.getcwd();
  return `${cwd === '/' ? '' : cwd}/${path}`;
}

export const df: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'df', argv, 'hk', USAGE);
  if (opts === undefined) return 1;
  const human = opts.lastOf('hk') === 'h';
  const mounts = await readMounts(sys);
  const rows: Row[] = [];
  let status = 0;

  if (opts.operands.length === 0) {
    for (const mount of mounts) {
      try {
        rows.push({ mount, fs: await sys.statfs(mount.target) });
      } catch {
        // As FreeBSD's getmntinfo: a mount that cannot be queried is left out.
      }
    }
  }
  for (const path of opts.operands) {
    try {
      const fs = await sys.statfs(path);
      const mount = mountOf(mounts, await absolute(sys, path));
      if (mount !== undefined) rows.push({ mount, fs });
    } catch (err) {
      await warn(sys, 'df', err, path);
      status = 1;
    }
  }
  if (rows.length > 0) await print(sys, render(rows, human));
  return status;
};
