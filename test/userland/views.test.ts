/**
 * The accounting views, all read from the same partitions: /proc/user_beancounters (OpenVZ),
 * rctl (FreeBSD), prctl and prstat -Z (Solaris). Checked from inside cells: exact formats, a
 * cell sees only its own rows, and the numbers follow the counters through a fork bomb.
 */
import { describe, expect, it } from 'vitest';
import { HostApi, type CellInfo, type Kernel } from '../../src/index.js';
import { readFile } from '../../src/userland/lib.js';
import { cpuOf } from '../../src/userland/rctlutils/cpu.js';
import { scaled } from '../../src/userland/rctlutils/prctl.js';
import { formatPct, formatSize, formatTime } from '../../src/userland/rctlutils/prstat.js';
import { boot, errnoOf } from '../kernel/helpers.js';
import { cellWith, partitionOf } from '../cells/helpers.js';

/** A cell with devfs and procfs mounted and these limits. */
const viewCell = (k: Kernel, name: string, limits: Record<string, number>): Promise<HostApi> => cellWith(k, name, limits, { procfs: true });

const counters = (k: Kernel, name: string) => partitionOf(k, name).snapshot();

/**
 * Forks sleepers until the cell refuses `extra` times, then reads `view` (if any) from inside
 * while they are alive; returns it with the partition's counters at that moment. The sleepers
 * outlive the bomb by seconds, so views run from the host right after still see them.
 */
async function bombThen(k: Kernel, cell: HostApi, extra: number, view?: string) {
  let text = '';
  let snap = cell.cell.partition.snapshot();
  const r = await cell.run(async (sys) => {
    let refused = 0;
    while (refused < extra) if ((await errnoOf(sys.spawn('/bin/sleep', ['sleep', '5']))) === 'EAGAIN') refused++;
    if (view !== undefined) text = await readFile(sys, view);
    snap = cell.cell.partition.snapshot();
    return 0;
  });
  expect(r.exitCode).toBe(0);
  return { text, snap };
}

const L = '9223372036854775807';
const row = (lead: string, name: string, ...v: (number | string)[]): string => `${lead} ${name.padEnd(12)} ${v.map((x) => String(x).padStart(20)).join(' ')}\n`;
const HEADER = 'Version: 2.5\n       uid  resource                     held              maxheld              barrier                limit              failcnt\n';

describe('/proc/user_beancounters', () => {
  it('shows a cell only its own block, with the counters after a fork bomb', async () => {
    const k = await boot();
    const bomb = await viewCell(k, 'bomb', { processes: 5, openFiles: 64 });
    await viewCell(k, 'other', {});
    const { text, snap: c } = await bombThen(k, bomb, 3, '/proc/user_beancounters');
    expect(c.processes).toMatchObject({ usage: 5, peak: 5, failcnt: 3 });
    const id = bomb.cell.id;
    expect(text).toBe(
      HEADER +
        row(`${String(id).padStart(10)}:`, 'privvmpages', 0, 0, L, L, 0) +
        row(' '.repeat(11), 'numproc', 5, 5, L, 5, 3) +
        row(' '.repeat(11), 'numothersock', 0, 0, L, L, 0) +
        row(' '.repeat(11), 'numfile', c.openFiles.usage + 1, c.openFiles.peak, L, 64, 0), // + the descriptor reading it
    );
  });

  it('shows the host every block, uid 0 first, then the cells by id', async () => {
    const k = await boot();
    const a = await viewCell(k, 'a', { processes: 7 });
    const b = await viewCell(k, 'b', {});
    const r = await k.host.exec(['cat', '/proc/user_beancounters']);
    const leads = r.stdout.split('\n').filter((l) => /^ +\d+:/.test(l)).map((l) => Number(l.slice(0, 10)));
    expect(leads).toEqual([0, a.cell.id, b.cell.id]);
    expect(r.stdout).toContain(row(' '.repeat(11), 'numproc', 0, 0, L, 7, 0));
  });
});

describe('rctl', () => {
  it('prints the 25 racct resources for a jail, maxproc and openfiles from its partition', async () => {
    const k = await boot();
    const bomb = await viewCell(k, 'www', { processes: 4 });
    await bombThen(k, bomb, 2);
    const c = counters(k, 'www');
    const r = await k.host.exec(['rctl', '-u', 'jail:www']);
    expect(r.exitCode).toBe(0);
    const names = ['cputime', 'datasize', 'stacksize', 'coredumpsize', 'memoryuse', 'memorylocked', 'maxproc', 'openfiles', 'vmemoryuse', 'pseudoterminals', 'swapuse', 'nthr', 'msgqqueued', 'msgqsize', 'nmsgq', 'nsem', 'nsemop', 'nshm', 'shmsize', 'wallclock', 'pcpu', 'readbps', 'writebps', 'readiops', 'writeiops'];
    const want = names.map((n) => `${n}=${n === 'maxproc' ? c.processes.usage : n === 'openfiles' ? c.openFiles.usage : n === 'memoryuse' ? c.memory.usage : 0}\n`).join('');
    expect(r.stdout).toBe(want);
    expect(c.processes.usage).toBe(3); // the bomb exited, its sleepers remain
  });

  it('lists limits as deny rules, adds and removes them, and words errors as rctl(8)', async () => {
    const k = await boot();
    const www = await viewCell(k, 'www', { processes: 20, openFiles: 64 });
    expect((await k.host.exec(['rctl'])).stdout).toBe('jail:www:maxproc:deny=20\njail:www:openfiles:deny=64\n');
    expect((await k.host.exec(['sh', '-c', 'rctl -a jail:www:maxproc:deny=30 && rctl jail:www:maxproc'])).stdout).toBe('jail:www:maxproc:deny=30\n');
    expect(counters(k, 'www').processes.limit).toBe(30);
    expect((await k.host.exec(['sh', '-c', 'rctl -r jail:www:openfiles && rctl'])).stdout).toBe('jail:www:maxproc:deny=30\n');
    const bad = await k.host.exec(['rctl', '-u', 'jail:nosuch']);
    expect(bad).toMatchObject({ exitCode: 1, stderr: "rctl: failed to show resource consumption for 'jail:nosuch': No such process\n" });
    const two = await k.host.exec(['rctl', '-a', 'jail:www:maxproc:deny=1x', 'jail:www:nthr:deny=5']);
    expect(two.exitCode).toBe(2);
    expect(two.stderr).toBe("rctl: malformed rule 'jail:www:maxproc:deny=1x': invalid numeric value '1x'\nrctl: failed to add rule 'jail:www:nthr:deny=5': Operation not supported\n");
    const inside = await www.exec(['rctl', '-u', 'jail:www']);
    expect(inside).toMatchObject({ exitCode: 1, stderr: "rctl: failed to show resource consumption for 'jail:www': Operation not permitted\n" });
  });
});

describe('prctl', () => {
  it('prints zone.max-processes as Solaris does, usage following the partition', async () => {
    const k = await boot();
    const z = await viewCell(k, 'z1', { processes: 3 });
    await bombThen(k, z, 1);
    const r = await k.host.exec(['prctl', '-n', 'zone.max-processes', '-i', 'zone', 'z1']);
    expect(r.stdout).toBe(
      `zone: ${z.cell.id}: z1\n` +
        'NAME    PRIVILEGE       VALUE    FLAG   ACTION                       RECIPIENT\n' +
        'zone.max-processes\n' +
        '        usage               2    \n' +
        '        privileged          3       -   deny                                 -\n' +
        '        system          2.15G     max   deny                                 -\n',
    );
    const own = await k.host.exec(['prctl', '-P', '-n', 'zone.max-processes', '-i', 'zone', String(z.cell.id)]);
    const now = counters(k, 'z1').processes.usage;
    expect(own.stdout).toBe(`zone: ${z.cell.id}: z1\nzone.max-processes usage ${now} - - -\nzone.max-processes privileged 3 - deny -\nzone.max-processes system 2147483647 max deny -\n`);
    expect(await z.exec(['prctl', '-i', 'zone', 'global'])).toMatchObject({ exitCode: 1, stderr: 'prctl: global: unknown zone\n' });
  });

  it('scales values as uint64toscaled', () => {
    expect([scaled(100, false), scaled(65535, false), scaled(2147483647, false), scaled(2 ** 64, true), scaled(1536, true)]).toEqual(['100', '65.5K', '2.15G', '16.0E', '1.50K']);
  });
});

describe('prstat -Z', () => {
  it('shows a zone its own processes and its own summary line only', async () => {
    const k = await boot();
    const z = await viewCell(k, 'z1', {});
    await viewCell(k, 'z2', {});
    const r = await z.exec(['prstat', '-Z']);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('   PID USERNAME  SIZE   RSS STATE  PRI NICE      TIME  CPU PROCESS/NLWP');
    expect(lines[1]).toMatch(/^ {3}\s*\d+ root {8}0K {4}0K run {5}59 {4}0 {3}0:00:00 +[\d.]+% prstat\/1$/);
    const zoneAt = lines.indexOf('ZONEID    NPROC  SWAP   RSS MEMORY      TIME  CPU ZONE');
    expect(zoneAt).toBe(2); // prstat alone: the other cell's and the host's processes are not shown
    expect(lines[zoneAt + 1]).toMatch(new RegExp(`^ {5}${z.cell.id} {8}1 {4}0K {4}0K {3}0\\.0% {3}0:00:00 +[\\d.]+% z1$`));
    expect(lines[zoneAt + 2]).toBe('Total: 1 processes, 1 lwps, load averages: 0.00, 0.00, 0.00');
  });

  it('formats sizes, times and percentages as prstat.c', () => {
    expect([formatSize(0), formatSize(9999), formatSize(10000), formatSize(20000 * 1024)]).toEqual(['   0K', '9999K', '  10M', '  20G']);
    expect([formatTime(0), formatTime(3725)]).toEqual(['  0:00:00', '  1:02:05']);
    expect([formatPct(0), formatPct(9.94), formatPct(9.96), formatPct(150)]).toEqual(['0.0', '9.9', '10', '100']);
  });
});

describe('CPU in cell_get', () => {
  it('is read when present and treated as missing otherwise', () => {
    const base = { id: 1, name: 'x' } as unknown as CellInfo;
    expect(cpuOf(base)).toBeUndefined();
    expect(cpuOf({ ...base, cpu: { ticks: 5, shares: 10, cap: 50 } } as CellInfo)).toEqual({ ticks: 5, shares: 10, cap: 50 });
    expect(cpuOf({ ...base, cpu: { ticks: 5, shares: 10, cap: null } } as unknown as CellInfo)?.cap).toBeNull();
  });
});
