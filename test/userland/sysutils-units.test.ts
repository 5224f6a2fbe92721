// Pure parts of the system utilities, tested without a kernel.
import { describe, expect, it } from 'vitest';
import { humanize } from '../../src/userland/sysutils/df.js';
import { mountOf, type MountEntry } from '../../src/userland/sysutils/mounts.js';
import { cpuTime, KEYWORDS, parseFormat } from '../../src/userland/sysutils/ps-fields.js';
import { signalName, signalNames, signalNumber } from '../../src/userland/sysutils/signals.js';
import { parseDuration } from '../../src/userland/sysutils/sleep.js';
import { formatTable } from '../../src/userland/sysutils/table.js';

describe('ps fields', () => {
  it('formats CPU time as m:ss.cc from ticks', () => {
    expect(cpuTime(0)).toBe('0:00.00');
    expect(cpuTime(1234)).toBe('0:01.23');
    expect(cpuTime(61_005)).toBe('1:01.00');
    expect(cpuTime(600_000)).toBe('10:00.00');
  });

  it('parses -o lists with commas, blanks and renamed headers', () => {
    const fields = parseFormat('pid,ppid comm');
    expect(typeof fields).not.toBe('string');
    expect((fields as { header: string }[]).map((f) => f.header)).toEqual(['PID', 'PPID', 'COMMAND']);
    const renamed = parseFormat('pid,args=THE COMMAND, LINE');
    expect((renamed as { header: string }[]).map((f) => f.header)).toEqual(['PID', 'THE COMMAND, LINE']);
    expect(parseFormat('pid,bogus')).toBe('bogus');
  });

  it('names the cell column CELL and the FreeBSD alias JAIL', () => {
    expect(KEYWORDS.cell!.header).toBe('CELL');
    expect(KEYWORDS.jail!.header).toBe('JAIL');
  });
});

describe('formatTable', () => {
  it('aligns numbers right, text left, and trims trailing blanks', () => {
    const out = formatTable(
      [
        { header: 'PID', align: 'right', minWidth: 5 },
        { header: 'COMMAND', align: 'left' },
      ],
      [
        ['1', 'init'],
        ['123', 'sh'],
      ],
    );
    expect(out).toBe('  PID COMMAND\n    1 init\n  123 sh\n');
  });
});

describe('signals', () => {
  it('translates names in any case, with or without SIG, and numbers', () => {
    expect(signalNumber('TERM')).toBe(15);
    expect(signalNumber('sigkill')).toBe(9);
    expect(signalNumber('9')).toBe(9);
    expect(signalNumber('BOGUS')).toBeUndefined();
    expect(signalName(1)).toBe('HUP');
    expect(signalNames().slice(0, 4)).toEqual(['HUP', 'INT', 'QUIT', 'KILL']);
  });
});

describe('sleep durations', () => {
  it('accepts decimals and FreeBSD unit suffixes', () => {
    expect(parseDuration('1.5')).toBe(1.5);
    expect(parseDuration('.25')).toBe(0.25);
    expect(parseDuration('2m')).toBe(120);
    expect(parseDuration('1h')).toBe(3600);
    expect(parseDuration('-1')).toBeUndefined();
    expect(parseDuration('abc')).toBeUndefined();
  });
});

describe('df helpers', () => {
  it('humanizes sizes as humanize_number does', () => {
    expect(humanize(0)).toBe('0B');
    expect(humanize(999)).toBe('999B');
    expect(humanize(1536)).toBe('1.5K');
    expect(humanize(64 * 1024 * 1024)).toBe('64M');
  });

  it('finds the mount holding a path by the longest mount point', () => {
    const m = (target: string): MountEntry => ({ source: 's', target, fstype: 'memfs', options: [] });
    const mounts = [m('/'), m('/proc'), m('/tmp')];
    expect(mountOf(mounts, '/proc/1/status')?.target).toBe('/proc');
    expect(mountOf(mounts, '/procx')?.target).toBe('/');
    expect(mountOf(mounts, '/tmp')?.target).toBe('/tmp');
  });
});
