/**
 * Disk and inode usage outlives a CLI invocation: each invocation boots from the state
 * directory, and the files a cell made stay charged to it (stats shows the same usage; removing
 * them gives it back; the quota still counts them), across a stop and start too.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellblock as run, freshState, type CliResult } from './cellblock.js';

function session(): { cellblock: (...args: string[]) => CliResult; dir: string } {
  const dir = freshState('cellblock-ledger-');
  return { cellblock: (...args) => run(args, { state: dir }), dir };
}

function usage(stdout: string): { disk: number; inodes: number } {
  const stats = JSON.parse(stdout) as Record<string, { usage: number }>;
  return { disk: stats.disk!.usage, inodes: stats.inodes!.usage };
}

describe('disk ledger across invocations', () => {
  it('keeps each cell\'s disk and inode usage, gives it back on removal, and still enforces the quota', () => {
    const { cellblock, dir } = session();
    const spec = join(dir, 'www.json');
    writeFileSync(spec, JSON.stringify({ kind: 'jail', name: 'www', path: '/jails/www', rootfs: 'minimal', persist: true, 'mount.devfs': true, limits: { disk: '8K', inodes: 10 } }));
    expect(cellblock('create', spec, '--start').status).toBe(0);
    expect(usage(cellblock('stats', 'www', '--json').stdout)).toEqual({ disk: 0, inodes: 0 }); // the sample's files are not charged
    expect(cellblock('exec', 'www', '--', 'sh', '-c', 'mkdir /tmp/d && dd if=/dev/zero of=/tmp/d/f bs=1k count=3 2>/dev/null && echo abc > /tmp/g').status).toBe(0);
    const after = usage(cellblock('stats', 'www', '--json').stdout);
    expect(after).toEqual({ disk: 3072 + 4, inodes: 3 });
    // state.json names the owners: www's three files, and /jails and /jails/www the host made.
    const rows = (JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { host: { disk: [number, string | null, [string, number][]][] } }).host.disk;
    expect(rows.filter((row) => row[1] === 'www').map((row) => row[2])).toEqual(expect.arrayContaining([[], [['www', 3072]], [['www', 4]]]));
    expect(rows.map((row) => row[1]).sort()).toEqual(['host', 'host', 'www', 'www', 'www']);

    // The quota counts what earlier invocations wrote: 8192 - 3076 bytes are left.
    const full = cellblock('exec', 'www', '--', 'sh', '-c', 'dd if=/dev/zero of=/tmp/h bs=1k count=5');
    expect(full.status).not.toBe(0);
    expect(full.stderr).toContain('dd: /tmp/h: Disk quota exceeded');
    expect(full.stderr).toContain('4+0 records out'); // 3076 + 4 × 1024 fit, a fifth KiB would not
    expect(usage(cellblock('stats', 'www', '--json').stdout)).toEqual({ disk: 3076 + 4096, inodes: 4 });

    // Stopped and started again (two invocations): the files are still its own.
    expect(cellblock('stop', 'www').status).toBe(0);
    expect(cellblock('start', 'www').status).toBe(0);
    expect(usage(cellblock('stats', 'www', '--json').stdout)).toEqual({ disk: 3076 + 4096, inodes: 4 });

    // Removing the files gives back exactly what they hold.
    expect(cellblock('exec', 'www', '--', 'sh', '-c', 'rm -r /tmp/d /tmp/g /tmp/h').status).toBe(0);
    expect(usage(cellblock('stats', 'www', '--json').stdout)).toEqual({ disk: 0, inodes: 0 });
  }, 120_000); // ten CLI invocations, each booting a kernel

  it('refuses a malformed ledger in state.json and leaves the file as it is', () => {
    const { cellblock, dir } = session();
    expect(cellblock('exec', 'host', '--', 'true').status).toBe(0);
    const file = join(dir, 'state.json');
    const state = JSON.parse(readFileSync(file, 'utf8')) as { host: Record<string, unknown> };
    state.host.disk = [[1, 'www', [['www', -5]]]];
    const text = JSON.stringify(state);
    writeFileSync(file, text);
    const r = cellblock('list');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('"host.disk"');
    expect(readFileSync(file, 'utf8')).toBe(text);
  }, 60_000);
});
