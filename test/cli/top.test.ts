/**
 * `cellblock run SCENARIO --top` when stdout is not a terminal: a block of plain lines per
 * virtual second and one at the end, CPU shares as the fair-share scheduler gives them, and a
 * transcript otherwise identical to a run without --top.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTop, size } from '../../src/scenario/top.js';
import { cellblock, freshState } from './cellblock.js';

const SCENARIO = {
  name: 'top',
  cells: [
    { kind: 'jail', name: 'a', path: '/jails/a', rootfs: 'minimal', persist: true, limits: { cpuShares: 1, processes: 3 } },
    { kind: 'jail', name: 'b', path: '/jails/b', rootfs: 'minimal', persist: true, limits: { cpuShares: 3 } },
  ],
  steps: [
    { start: 'a' },
    { start: 'b' },
    { cell: 'a', run: 'spin 2000', concurrent: true },
    { cell: 'b', run: 'spin 3000', concurrent: true },
    { cell: 'a', run: 'sleep 1 & sleep 1 & sleep 1 & wait', comment: 'two spawns refused' },
  ],
};

function run(args: string[]): { status: number | null; stdout: string } {
  const dir = freshState('cellblock-top-');
  const file = join(dir, 'top.scenario.json');
  writeFileSync(file, JSON.stringify(SCENARIO));
  const r = cellblock(['run', file, ...args], { state: dir });
  return { status: r.status, stdout: r.stdout };
}

/** The blocks: title line and rows by cell name. */
function blocks(stdout: string): { title: string; rows: Record<string, string[]> }[] {
  const out: { title: string; rows: Record<string, string[]> }[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('= top at tick ')) out.push({ title: line, rows: {} });
    else if (out.length > 0 && /^ {2}\S/.test(line) && !line.startsWith('  CELL')) {
      const [name, ...cols] = line.trim().split(/\s+/);
      const block = out[out.length - 1]!;
      if (name !== undefined && block.rows[name] === undefined && cols.length === 4) block.rows[name] = cols;
    }
  }
  return out;
}

describe('cellblock run --top (plain)', () => {
  it('prints a table per virtual second and at the end, and changes nothing else', () => {
    const plain = run([]);
    const top = run(['--top']);
    expect(top.status).toBe(0);
    expect(plain.status).toBe(0);
    // Without its blocks, the transcript is the same: observing does not change the run.
    const ROW = /^ {2}\S+ +\d+\.\d +\d+(\.\d)?[BKMGT] +\d+ +\d+$/;
    const transcript = top.stdout.split('\n').filter((line) => !line.startsWith('= top at tick ') && !line.startsWith('  CELL ') && !ROW.test(line));
    expect(transcript.join('\n')).toBe(plain.stdout);
    const found = blocks(top.stdout);
    const ticks = found.map((b) => Number(/tick (\d+)/.exec(b.title)![1]));
    expect(ticks.slice(0, 4)).toEqual([1002, 2002, 3002, 4002]); // the first moment seen past each second
    expect(found[found.length - 1]!.title).toMatch(/\(end\)$/);
    // Shares 1:3 on one CPU, both busy: 25% and 75%.
    for (const block of found.slice(1, 4)) {
      expect(block.rows.a?.[0]).toBe('25.0');
      expect(block.rows.b?.[0]).toBe('75.0');
      expect(block.rows.host?.[0]).toBe('100.0');
      expect(block.rows.a?.[2]).toBe('3'); // its shell, the step's spin and the scenario's step runner
    }
    expect(found[found.length - 1]!.rows.a).toEqual(['3.7', '0B', '0', '2']); // two refused spawns
  });
});

describe('top formatting', () => {
  it('prints sizes as top does and aligns the columns', () => {
    expect([size(0), size(512), size(12 * 1024), size(1.5 * 1024 ** 2), size(3 * 1024 ** 3)]).toEqual(['0B', '512B', '12K', '1.5M', '3.0G']);
    expect(formatTop('top at tick 5', [{ name: 'www', cpu: 12.345, memory: 2048, processes: 4, failures: 1 }])).toEqual([
      '= top at tick 5',
      '  CELL           CPU%     MEM  PROCS   FAIL',
      '  www            12.3    2.0K      4      1',
    ]);
  });
});
