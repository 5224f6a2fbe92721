// Pure parts of the file utilities, tested without a kernel: option parsing, RE translation,
// dd sizes, ls dates and modes, path helpers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCount, parseSize } from '../../src/userland/fileutils/counts.js';
import { getopt, obsoleteCount, UsageError } from '../../src/userland/fileutils/getopt.js';
import { lsDate } from '../../src/userland/fileutils/long.js';
import { modeString } from '../../src/userland/fileutils/modes.js';
import { basename, dirname, join } from '../../src/userland/fileutils/paths.js';
import { escapeLiteral, translateBasic, translateExtended } from '../../src/userland/fileutils/regex.js';

describe('getopt', () => {
  it('parses grouped flags, attached and separate arguments, and stops at the first operand', () => {
    const o = getopt(['-rf', '-n5', '-m', '755', 'a', '-x'], 'fm:n:r');
    expect(o.list).toEqual([{ flag: 'r' }, { flag: 'f' }, { flag: 'n', arg: '5' }, { flag: 'm', arg: '755' }]);
    expect(o.operands).toEqual(['a', '-x']);
  });

  it('treats -- as the end of options and - as an operand', () => {
    expect(getopt(['--', '-r'], 'r').operands).toEqual(['-r']);
    expect(getopt(['-', '-r'], 'r').operands).toEqual(['-', '-r']);
  });

  it('reports unknown options and missing arguments as BSD getopt words them', () => {
    expect(() => getopt(['-z'], 'al')).toThrow(new UsageError('illegal option -- z'));
    expect(() => getopt(['-n'], 'n:')).toThrow(new UsageError('option requires an argument -- n'));
    expect(() => getopt(['-:'], 'n:')).toThrow(UsageError);
  });

  it('lets the later of two overriding flags win', () => {
    expect(getopt(['-f', '-i'], 'fi').lastOf('fi')).toBe('i');
    expect(getopt(['-if'], 'fi').lastOf('fi')).toBe('f');
    expect(getopt(['-n1', '-n2'], 'n:').value('n')).toBe('2');
  });

  it('rewrites the obsolete -N count', () => {
    expect(obsoleteCount(['head', '-3', 'f'])).toEqual(['head', '-n', '3', 'f']);
    expect(obsoleteCount(['head', '-n3'])).toEqual(['head', '-n3']);
  });
});

describe('regular expression translation', () => {
  const basic = (re: string, text: string): boolean => new RegExp(translateBasic(re)).test(text);
  const extended = (re: string, text: string): boolean => new RegExp(translateExtended(re)).test(text);

  it('gives basic REs their POSIX meaning', () => {
    expect(basic('a+', 'a+')).toBe(true);
    expect(basic('a+', 'aa')).toBe(false);
    expect(basic('(x)', '(x)')).toBe(true);
    expect(basic('\\(ab\\)\\1', 'abab')).toBe(true);
    expect(basic('a\\{2\\}', 'xaa')).toBe(true);
    expect(basic('a\\{2\\}', 'xa')).toBe(false);
    expect(basic('*a', '*a')).toBe(true);
    expect(basic('^ab*$', 'abbb')).toBe(true);
    expect(basic('a^b', 'a^b')).toBe(true);
    expect(basic('a$b', 'a$b')).toBe(true);
    expect(basic('a.c', 'abc')).toBe(true);
    expect(basic('a\\.c', 'abc')).toBe(false);
    expect(basic('x\\|y', 'y')).toBe(true);
  });

  it('translates bracket expressions in both flavours', () => {
    expect(basic('[[:digit:]][[:alpha:]]', '1a')).toBe(true);
    expect(basic('[]x]', ']')).toBe(true);
    expect(basic('[^]x]', ']')).toBe(false);
    expect(basic('[\\]', '\\')).toBe(true);
    expect(extended('^[[:space:]]+(foo|bar)?$', '  bar')).toBe(true);
    expect(() => translateBasic('[abc')).toThrow(SyntaxError);
    expect(() => translateExtended('[[:nope:]]')).toThrow(SyntaxError);
  });

  it('escapes fixed strings so that any text matches itself', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(new RegExp(`^${escapeLiteral(s)}$`).test(s)).toBe(true);
      }),
    );
  });
});

describe('numbers, dates, modes and paths', () => {
  it('parses counts and dd sizes', () => {
    expect(parseCount('12')).toBe(12);
    expect(parseCount('1x')).toBeUndefined();
    expect(parseSize('2k')).toBe(2048);
    expect(parseSize('1m')).toBe(1048576);
    expect(parseSize('2x3b')).toBe(3072);
    expect(parseSize('k')).toBeUndefined();
  });

  it('shows virtual times as dates from the epoch', () => {
    expect(lsDate(0, 0)).toBe('Jan  1 00:00');
    expect(lsDate(61 * 60 * 1000 + 999, 0)).toBe('Jan  1 01:01');
    expect(lsDate(40 * 86400 * 1000, 40 * 86400 * 1000)).toBe('Feb 10 00:00');
    expect(lsDate(0, 400 * 86400 * 1000)).toBe('Jan  1  1970');
  });

  it('renders modes as strmode does', () => {
    expect(modeString(0o040755)).toBe('drwxr-xr-x');
    expect(modeString(0o100644)).toBe('-rw-r--r--');
    expect(modeString(0o120777)).toBe('lrwxrwxrwx');
    expect(modeString(0o104755)).toBe('-rwsr-xr-x');
    expect(modeString(0o041777)).toBe('drwxrwxrwt');
    expect(modeString(0o041776)).toBe('drwxrwxrwT');
    expect(modeString(0o020666)).toBe('crw-rw-rw-');
  });

  it('splits and joins paths', () => {
    expect(basename('/a/b/')).toBe('b');
    expect(basename('/')).toBe('/');
    expect(dirname('/a/b')).toBe('/a');
    expect(dirname('/a')).toBe('/');
    expect(dirname('a')).toBe('.');
    expect(join('/', 'x')).toBe('/x');
    expect(join('d', 'x')).toBe('d/x');
  });
});
