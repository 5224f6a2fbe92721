// The file utilities run as processes of a booted kernel, through the public API only.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Kernel } from '../../src/index.js';
import { O_CREAT, O_TRUNC, O_WRONLY } from '../../src/kernel/abi.js';

let k: Kernel;

beforeAll(async () => {
  k = await Kernel.boot({ seed: 1 });
});

interface Result {
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], stdin?: string, cwd?: string): Promise<Result> {
  const r = await k.host.exec(argv, { ...(stdin === undefined ? {} : { stdin }), ...(cwd === undefined ? {} : { cwd }) });
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

/** Writes a file through a tiny program, so setup does not depend on the utilities under test. */
async function write(path: string, content: string, mode = 0o644): Promise<void> {
  const r = await k.host.run(
    async (sys) => {
      const fd = await sys.open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
      await sys.write(fd, content);
      await sys.close(fd);
      await sys.chmod(path, mode);
      return 0;
    },
    ['write'],
  );
  expect(r.exitCode).toBe(0);
}

async function ok(argv: string[], stdin?: string, cwd?: string): Promise<string> {
  const r = await run(argv, stdin, cwd);
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  return r.stdout;
}

/** A fresh directory per test, so tests share one kernel without sharing files. */
let dirs = 0;
async function scratch(): Promise<string> {
  const dir = `/tmp/fu${++dirs}`;
  await ok(['mkdir', dir]);
  return dir;
}

describe('echo, true, false, pwd', () => {
  it('echoes operands, -n without the newline', async () => {
    expect(await ok(['echo', 'a', 'b  c'])).toBe('a b  c\n');
    expect(await ok(['echo', '-n', 'x'])).toBe('x');
    expect(await ok(['echo'])).toBe('\n');
  });

  it('true and false give their statuses', async () => {
    expect((await run(['true', 'x'])).exitCode).toBe(0);
    expect((await run(['false'])).exitCode).toBe(1);
  });

  it('pwd prints the working directory', async () => {
    expect(await ok(['pwd'])).toMatch(/^\/.*\n$/);
    const r = await run(['pwd', 'x']);
    expect(r).toMatchObject({ exitCode: 1, stderr: 'usage: pwd [-L | -P]\n' });
  });
});

describe('option errors', () => {
  it('reports an illegal option with the usage line and exits 1', async () => {
    expect(await run(['ls', '-z'])).toEqual({ exitCode: 1, stdout: '', stderr: 'ls: illegal option -- z\nusage: ls [-1Aadl] [file ...]\n' });
    expect((await run(['head', '-n'])).stderr).toBe('head: option requires an argument -- n\nusage: head [-n lines | -c bytes] [file ...]\n');
    expect((await run(['wc', '-q'])).exitCode).toBe(1);
  });
});

describe('ls', () => {
  it('lists a directory sorted, hiding dot files unless -a or -A', async () => {
    const d = await scratch();
    for (const name of ['b', 'a', '.hidden', 'C']) await write(`${d}/${name}`, '');
    expect(await ok(['ls', d])).toBe('C\na\nb\n');
    expect(await ok(['ls', '-a', d])).toBe('.\n..\n.hidden\nC\na\nb\n');
    expect(await ok(['ls', '-A', d])).toBe('.hidden\nC\na\nb\n');
  });

  it('lists files first, then each directory under a header', async () => {
    const d = await scratch();
    await ok(['mkdir', `${d}/x`, `${d}/y`]);
    await write(`${d}/x/in-x`, '');
    await write(`${d}/f`, '');
    expect(await ok(['ls', `${d}/y`, `${d}/x`, `${d}/f`])).toBe(`${d}/f\n\n${d}/x:\nin-x\n\n${d}/y:\n`);
    expect(await ok(['ls', '-d', `${d}/x`])).toBe(`${d}/x\n`);
  });

  it('prints the long format with names from /etc/passwd and /etc/group', async () => {
    const d = await scratch();
    await write(`${d}/file`, 'hello', 0o640);
    await ok(['mkdir', `${d}/sub`]);
    await ok(['ln', '-s', 'file', `${d}/link`]);
    const lines = (await ok(['ls', '-l', d])).split('\n');
    expect(lines[0]).toMatch(/^total \d+$/);
    expect(lines[1]).toMatch(/^-rw-r----- {2}1 root {2}wheel  +5 [A-Z][a-z]{2} [ \d]\d \d\d:\d\d file$/);
    expect(lines[2]).toMatch(/^l[rwx-]{9} {2}1 root {2}wheel  +4 .* link -> file$/);
    expect(lines[3]).toMatch(/^drwxr-xr-x {2}\d root {2}wheel  +\d+ .* sub$/);
    expect(lines).toHaveLength(5);
    // Columns line up: every size ends in the same column.
    const sizeEnds = lines.slice(1, 4).map((l) => l.search(/ [A-Z][a-z]{2} /));
    expect(new Set(sizeEnds).size).toBe(1);
  });

  it('shows a device number instead of a size', async () => {
    expect(await ok(['ls', '-l', '/dev/null'])).toMatch(/^crw-rw-rw- {2}1 root {2}wheel {2}0x[0-9a-f]+ Jan {2}1 00:00 \/dev\/null\n$/);
  });

  it('falls back to numbers for ids without a name', async () => {
    const d = await scratch();
    await write(`${d}/f`, '');
    const r = await k.host.run(async (sys) => (await sys.chown(`${d}/f`, 4242, 4343), 0), ['chown']);
    expect(r.exitCode).toBe(0);
    expect(await ok(['ls', '-l', `${d}/f`])).toMatch(/^-rw-r--r-- {2}1 4242 {2}4343 {2}0 .* \/tmp\/fu\d+\/f\n$/);
  });

  it('reports a missing operand and still lists the rest', async () => {
    const d = await scratch();
    await write(`${d}/f`, '');
    expect(await run(['ls', '/nope', `${d}/f`])).toEqual({ exitCode: 1, stdout: `${d}/f\n`, stderr: 'ls: /nope: No such file or directory\n' });
  });
});

describe('as an unprivileged user', () => {
  it('reports permission errors the way err(3) does', async () => {
    const d = await scratch();
    await ok(['mkdir', '-m', '700', `${d}/private`]);
    await write(`${d}/private/f`, 'secret');
    const asUser = (argv: string[]) => k.host.exec(argv, { uid: 1001 });
    expect(await asUser(['ls', `${d}/private`])).toMatchObject({ exitCode: 1, stdout: '', stderr: `ls: ${d}/private: Permission denied\n` });
    expect(await asUser(['rm', '-f', `${d}/private/f`])).toMatchObject({ exitCode: 1, stderr: `rm: ${d}/private/f: Permission denied\n` });
    expect(await ok(['cat', `${d}/private/f`])).toBe('secret');
  });
});

describe('in pipelines', () => {
  it('head and grep -q stop early, and counts flow through', async () => {
    const r = await run(['sh', '-c', 'dd if=/dev/zero bs=1k count=500 status=none | head -c 10 | wc -c; grep -n ^root: /etc/passwd | wc -l']);
    expect(r).toMatchObject({ exitCode: 0, stdout: '      10\n       1\n' });
  });
});

describe('cat', () => {
  it('concatenates files and stdin', async () => {
    const d = await scratch();
    await write(`${d}/a`, 'A\n');
    await write(`${d}/b`, 'B');
    expect(await ok(['cat', `${d}/a`, '-', `${d}/b`], 'in\n')).toBe('A\nin\nB');
    expect(await ok(['cat'], 'only stdin')).toBe('only stdin');
  });

  it('reports a missing file and goes on', async () => {
    const d = await scratch();
    await write(`${d}/a`, 'A\n');
    expect(await run(['cat', `${d}/missing`, `${d}/a`])).toEqual({ exitCode: 1, stdout: 'A\n', stderr: `cat: ${d}/missing: No such file or directory\n` });
  });

  it('copies large files whole', async () => {
    const d = await scratch();
    const big = 'x'.repeat(200_000) + 'end';
    await write(`${d}/big`, big);
    expect(await ok(['cat', `${d}/big`])).toBe(big);
  });
});

describe('mkdir, rmdir, touch', () => {
  it('mkdir -p makes parents and accepts existing directories; plain mkdir does not', async () => {
    const d = await scratch();
    await ok(['mkdir', '-p', `${d}/a/b/c`]);
    await ok(['mkdir', '-p', `${d}/a/b`]);
    expect(await ok(['ls', `${d}/a/b`])).toBe('c\n');
    expect(await run(['mkdir', `${d}/a`])).toEqual({ exitCode: 1, stdout: '', stderr: `mkdir: ${d}/a: File exists\n` });
    await write(`${d}/file`, '');
    expect((await run(['mkdir', '-p', `${d}/file/x`])).exitCode).toBe(1);
  });

  it('mkdir -m sets the mode', async () => {
    const d = await scratch();
    await ok(['mkdir', '-m', '700', `${d}/private`]);
    expect(await ok(['ls', '-ld', `${d}/private`])).toMatch(/^drwx------ /);
    expect((await run(['mkdir', '-m', 'u+x', `${d}/bad`])).stderr).toBe('mkdir: invalid file mode: u+x\n');
  });

  it('rmdir removes empty directories only', async () => {
    const d = await scratch();
    await ok(['mkdir', '-p', `${d}/full/x`, `${d}/empty`]);
    await ok(['rmdir', `${d}/empty`]);
    expect(await run(['rmdir', `${d}/full`])).toEqual({ exitCode: 1, stdout: '', stderr: `rmdir: ${d}/full: Directory not empty\n` });
    await ok(['rmdir', '-p', 'full/x'], undefined, d);
    expect(await ok(['ls', d])).toBe('');
  });

  it('touch creates empty files and leaves existing ones alone', async () => {
    const d = await scratch();
    await write(`${d}/old`, 'keep');
    await ok(['touch', `${d}/new`, `${d}/old`]);
    expect(await ok(['cat', `${d}/new`, `${d}/old`])).toBe('keep');
    await ok(['touch', '-c', `${d}/not-made`]);
    expect(await ok(['ls', d])).toBe('new\nold\n');
    expect((await run(['touch', '/nope/x'])).stderr).toBe('touch: /nope/x: No such file or directory\n');
  });
});

describe('rm', () => {
  it('removes files and reports missing ones unless -f', async () => {
    const d = await scratch();
    await write(`${d}/f`, '');
    await ok(['rm', `${d}/f`]);
    expect(await run(['rm', `${d}/f`])).toEqual({ exitCode: 1, stdout: '', stderr: `rm: ${d}/f: No such file or directory\n` });
    expect(await run(['rm', '-f', `${d}/f`])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
  });

  it('refuses directories without -r and removes trees with it', async () => {
    const d = await scratch();
    await ok(['mkdir', '-p', `${d}/t/a/b`]);
    await write(`${d}/t/a/b/f`, 'x');
    await write(`${d}/t/g`, 'y');
    expect(await run(['rm', `${d}/t`])).toEqual({ exitCode: 1, stdout: '', stderr: `rm: ${d}/t: is a directory\n` });
    await ok(['rm', '-rf', `${d}/t`]);
    expect(await ok(['ls', d])).toBe('');
    expect((await run(['rm', '.'])).stderr).toBe('rm: "." and ".." may not be removed\n');
  });
});

describe('ln, mv, cp', () => {
  it('ln makes hard and symbolic links, into a directory when the target is one', async () => {
    const d = await scratch();
    await write(`${d}/f`, 'data');
    await ok(['mkdir', `${d}/dir`]);
    await ok(['ln', `${d}/f`, `${d}/hard`]);
    await ok(['ln', '-s', `${d}/f`, `${d}/dir`]);
    expect(await ok(['cat', `${d}/hard`, `${d}/dir/f`])).toBe('datadata');
    expect(await ok(['ls', '-l', `${d}/dir/f`])).toMatch(new RegExp(`^l.* ${d}/dir/f -> ${d}/f\\n$`));
    expect(await run(['ln', `${d}/f`, `${d}/hard`])).toEqual({ exitCode: 1, stdout: '', stderr: `ln: ${d}/hard: File exists\n` });
    await ok(['ln', '-sf', 'elsewhere', `${d}/hard`]);
    expect(await ok(['ls', '-l', `${d}/hard`])).toMatch(/-> elsewhere\n$/);
    expect((await run(['ln', `${d}/missing`, `${d}/x`])).stderr).toBe(`ln: ${d}/missing: No such file or directory\n`);
  });

  it('mv renames, and moves into a directory', async () => {
    const d = await scratch();
    await write(`${d}/a`, 'A');
    await ok(['mkdir', `${d}/dir`]);
    await ok(['mv', `${d}/a`, `${d}/b`]);
    await ok(['mv', `${d}/b`, `${d}/dir`]);
    expect(await ok(['ls', d, `${d}/dir`])).toBe(`${d}:\ndir\n\n${d}/dir:\nb\n`);
    expect(await run(['mv', `${d}/a`, `${d}/c`])).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: `mv: rename ${d}/a to ${d}/c: No such file or directory\n`,
    });
  });

  it('cp copies a file with its mode, into directories, and trees with -R', async () => {
    const d = await scratch();
    await write(`${d}/tool`, '#!/bin/sh\n', 0o750);
    await ok(['cp', `${d}/tool`, `${d}/copy`]);
    expect(await ok(['cat', `${d}/copy`])).toBe('#!/bin/sh\n');
    expect(await ok(['ls', '-l', `${d}/copy`])).toMatch(/^-rwxr-x--- /);
    await ok(['mkdir', '-p', `${d}/src/deep`, `${d}/into`]);
    await write(`${d}/src/deep/f`, 'deep');
    await ok(['ln', '-s', 'deep/f', `${d}/src/link`]);
    expect(await run(['cp', `${d}/src`, `${d}/into`])).toEqual({ exitCode: 1, stdout: '', stderr: `cp: ${d}/src is a directory (not copied).\n` });
    await ok(['cp', '-R', `${d}/src`, `${d}/into`]);
    expect(await ok(['cat', `${d}/into/src/deep/f`, `${d}/into/src/link`])).toBe('deepdeep');
    expect(await ok(['ls', '-l', `${d}/into/src/link`])).toMatch(/-> deep\/f\n$/);
    expect((await run(['cp', `${d}/nope`, `${d}/x`])).stderr).toBe(`cp: ${d}/nope: No such file or directory\n`);
    expect((await run(['cp', `${d}/copy`, `${d}/copy`])).stderr).toBe(`cp: ${d}/copy and ${d}/copy are identical (not copied).\n`);
  });

  it('cp -R of a directory into itself terminates', async () => {
    const d = await scratch();
    await ok(['mkdir', '-p', `${d}/a/b`]);
    await ok(['cp', '-R', `${d}/a`, `${d}/a/b`]);
    expect(await ok(['ls', `${d}/a/b/a`])).toBe('b\n');
  });
});

describe('head and tail', () => {
  const lines = Array.from({ length: 15 }, (_, i) => `l${i + 1}\n`).join('');

  it('head prints the first lines or bytes', async () => {
    expect(await ok(['head'], lines)).toBe(lines.split('\n').slice(0, 10).join('\n') + '\n');
    expect(await ok(['head', '-n', '2'], lines)).toBe('l1\nl2\n');
    expect(await ok(['head', '-3'], lines)).toBe('l1\nl2\nl3\n');
    expect(await ok(['head', '-c', '4'], lines)).toBe('l1\nl');
    expect(await run(['head', '-n', 'x'], lines)).toMatchObject({ exitCode: 1, stderr: 'head: illegal line count -- x\n' });
  });

  it('tail prints the last lines, or from line +N', async () => {
    expect(await ok(['tail'], lines)).toBe(lines.split('\n').slice(5).join('\n'));
    expect(await ok(['tail', '-n', '2'], lines)).toBe('l14\nl15\n');
    expect(await ok(['tail', '-2'], 'a\nb\nc')).toBe('b\nc');
    expect(await ok(['tail', '-n', '+14'], lines)).toBe('l14\nl15\n');
    expect(await ok(['tail', '-c', '3'], lines)).toBe('15\n');
  });

  it('puts banners between several files', async () => {
    const d = await scratch();
    await write(`${d}/a`, '1\n2\n');
    await write(`${d}/b`, '3\n');
    expect(await ok(['head', '-n', '1', `${d}/a`, `${d}/b`])).toBe(`==> ${d}/a <==\n1\n\n==> ${d}/b <==\n3\n`);
    expect(await ok(['tail', '-n', '1', `${d}/a`, `${d}/b`])).toBe(`==> ${d}/a <==\n2\n\n==> ${d}/b <==\n3\n`);
    expect((await run(['tail', `${d}/c`])).stderr).toBe(`tail: ${d}/c: No such file or directory\n`);
  });
});

describe('wc', () => {
  it('counts in BSD columns, with a total for several files', async () => {
    const d = await scratch();
    await write(`${d}/a`, 'one two\nthree\n');
    await write(`${d}/b`, 'four\n');
    expect(await ok(['wc', `${d}/a`])).toBe(`       2       3      14 ${d}/a\n`);
    expect(await ok(['wc', '-l', `${d}/a`, `${d}/b`])).toBe(`       2 ${d}/a\n       1 ${d}/b\n       3 total\n`);
    expect(await ok(['wc', '-w'], ' a b\tc\n')).toBe('       3\n');
    expect(await ok(['wc', '-c'], 'héllo')).toBe('       6\n');
    expect(await ok(['wc', '-m'], 'héllo')).toBe('       5\n');
    expect(await run(['wc', `${d}/zz`])).toEqual({ exitCode: 1, stdout: '', stderr: `wc: ${d}/zz: No such file or directory\n` });
  });

  it('agrees with a direct count on any text written by a program', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '\t', 'é') }), async (text) => {
        const path = `/tmp/wc-prop-${++n}`;
        await write(path, text);
        const out = await ok(['wc', path]);
        const bytes = new TextEncoder().encode(text).length;
        const lines = text.split('\n').length - 1;
        const words = text.split(/[ \t\n]+/).filter((w) => w !== '').length;
        const col = (x: number): string => String(x).padStart(8);
        expect(out).toBe(`${col(lines)}${col(words)}${col(bytes)} ${path}\n`);
      }),
      { numRuns: 25 },
    );
  });
});

describe('grep', () => {
  const text = 'apple\nBanana\ncherry pie\n(paren)\n';

  it('selects lines and gives 0 on a match, 1 without', async () => {
    expect(await run(['grep', 'an'], text)).toEqual({ exitCode: 0, stdout: 'Banana\n', stderr: '' });
    expect(await run(['grep', 'zzz'], text)).toEqual({ exitCode: 1, stdout: '', stderr: '' });
    expect(await ok(['grep', '-i', 'BAN'], text)).toBe('Banana\n');
    expect(await ok(['grep', '-v', 'a'], text)).toBe('cherry pie\n');
    expect(await ok(['grep', '-c', 'p'], text)).toBe('3\n');
    expect(await ok(['grep', '-n', 'e'], text)).toBe('1:apple\n3:cherry pie\n4:(paren)\n');
    expect(await run(['grep', '-q', 'pie'], text)).toEqual({ exitCode: 0, stdout: '', stderr: '' });
  });

  it('reads basic REs by default and extended ones with -E', async () => {
    expect(await ok(['grep', '(paren)'], text)).toBe('(paren)\n');
    expect(await ok(['grep', '^\\(p\\)\\?[a-c]'], text)).toBe('apple\ncherry pie\n');
    expect(await ok(['grep', '-E', '^(B|c)[[:alpha:]]+$'], text)).toBe('Banana\n');
    expect(await ok(['grep', '-F', '.'], 'a.b\nab\n')).toBe('a.b\n');
  });

  it('prefixes file names with several files, and exits 2 on an error', async () => {
    const d = await scratch();
    await write(`${d}/a`, 'x1\ny\n');
    await write(`${d}/b`, 'x2\n');
    expect(await ok(['grep', 'x', `${d}/a`, `${d}/b`])).toBe(`${d}/a:x1\n${d}/b:x2\n`);
    expect(await ok(['grep', '-l', 'x', `${d}/a`, `${d}/b`])).toBe(`${d}/a\n${d}/b\n`);
    expect(await run(['grep', 'x', `${d}/missing`, `${d}/a`])).toEqual({
      exitCode: 2,
      stdout: `${d}/a:x1\n`,
      stderr: `grep: ${d}/missing: No such file or directory\n`,
    });
    expect((await run(['grep', 'x', `${d}/missing`])).exitCode).toBe(2);
    expect(await run(['grep', '-E', '(', `${d}/a`])).toMatchObject({ exitCode: 2, stdout: '' });
  });
});

describe('dd', () => {
  it('copies blocks and prints the BSD summary', async () => {
    const d = await scratch();
    await write(`${d}/in`, 'abcdefghij');
    const r = await run(['dd', `if=${d}/in`, `of=${d}/out`, 'bs=4']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/^2\+1 records in\n2\+1 records out\n10 bytes transferred in \d+\.\d{6} secs \(\d+ bytes\/sec\)\n$/);
    expect(await ok(['cat', `${d}/out`])).toBe('abcdefghij');
  });

  it('honours count, skip and seek, with size suffixes', async () => {
    const d = await scratch();
    await write(`${d}/in`, 'x'.repeat(3000));
    const r = await run(['dd', `if=${d}/in`, `of=${d}/out`, 'bs=1k', 'count=2', 'status=noxfer']);
    expect(r).toEqual({ exitCode: 0, stdout: '', stderr: '2+0 records in\n2+0 records out\n' });
    expect(await ok(['wc', '-c', `${d}/out`])).toBe(`    2048 ${d}/out\n`);
    await write(`${d}/digits`, '0123456789');
    expect((await run(['dd', `if=${d}/digits`, 'bs=2', 'skip=2', 'count=2', 'status=none'])).stdout).toBe('4567');
    await write(`${d}/target`, '..........');
    await ok(['dd', `if=${d}/digits`, `of=${d}/target`, 'bs=3', 'seek=1', 'count=1', 'conv=notrunc', 'status=none']);
    expect(await ok(['cat', `${d}/target`])).toBe('...012....');
  });

  it('reads stdin when no if= is given, and complains about bad operands', async () => {
    expect(await run(['dd', 'status=none'], 'piped')).toEqual({ exitCode: 0, stdout: 'piped', stderr: '' });
    expect(await run(['dd', 'bogus=1'])).toMatchObject({ exitCode: 1, stderr: 'dd: unknown operand bogus\n' });
    expect(await run(['dd', 'bs=12q'])).toMatchObject({ exitCode: 1, stderr: 'dd: 12q: illegal numeric value\n' });
    expect(await run(['dd', 'if=/nope'])).toMatchObject({ exitCode: 1 });
    expect((await run(['dd', 'if=/nope'])).stderr).toMatch(/^dd: \/nope: No such file or directory\n0\+0 records in\n/);
  });
});

describe('env', () => {
  it('prints the environment and runs a utility with changes', async () => {
    const out = await ok(['env', '-i', 'A=1', 'B=two']);
    expect(out).toBe('A=1\nB=two\n');
    expect(await ok(['env', '-i', 'PATH=/bin', 'X=y', 'env'])).toBe('PATH=/bin\nX=y\n');
    expect(await ok(['env', 'PATH=/bin', 'echo', 'hi'])).toBe('hi\n');
    expect((await run(['env', 'PATH=/bin', 'false'])).exitCode).toBe(1);
  });

  it('gives 127 when the utility is not found', async () => {
    expect(await run(['env', 'PATH=/bin', 'no-such-tool'])).toEqual({ exitCode: 127, stdout: '', stderr: 'env: no-such-tool: No such file or directory\n' });
  });
});

describe('test and [', () => {
  const cases: [string[], number][] = [
    [[], 1],
    [[''], 1],
    [['x'], 0],
    [['-n', ''], 1],
    [['-z', ''], 0],
    [['a', '=', 'a'], 0],
    [['a', '!=', 'a'], 1],
    [['!', 'a', '=', 'b'], 0],
    [['3', '-lt', '10'], 0],
    [['10', '-le', '3'], 1],
    [['-d', '/tmp'], 0],
    [['-f', '/tmp'], 1],
    [['-e', '/nope'], 1],
    [['-x', '/bin/ls'], 0],
    [['-d', '/tmp', '-a', '-e', '/nope'], 1],
    [['-d', '/tmp', '-o', '-e', '/nope'], 0],
    [['(', 'x', ')'], 0],
    [['!', '(', '-n', 'x', ')', '-o', 'a', '=', 'b'], 1],
  ];

  it.each(cases)('test %j gives %i', async (args, code) => {
    expect(await run(['test', ...args])).toEqual({ exitCode: code, stdout: '', stderr: '' });
    expect(await run(['[', ...args, ']'])).toEqual({ exitCode: code, stdout: '', stderr: '' });
  });

  it('tests symbolic links and sizes', async () => {
    const d = await scratch();
    await write(`${d}/f`, 'x');
    await write(`${d}/empty`, '');
    await ok(['ln', '-s', 'f', `${d}/l`]);
    expect((await run(['test', '-h', `${d}/l`])).exitCode).toBe(0);
    expect((await run(['test', '-L', `${d}/f`])).exitCode).toBe(1);
    expect((await run(['test', '-s', `${d}/f`])).exitCode).toBe(0);
    expect((await run(['test', '-s', `${d}/empty`])).exitCode).toBe(1);
  });

  it('exits 2 on syntax errors', async () => {
    expect(await run(['[', 'x'])).toEqual({ exitCode: 2, stdout: '', stderr: '[: missing ]\n' });
    expect(await run(['test', 'a', '-eq', '1'])).toEqual({ exitCode: 2, stdout: '', stderr: 'test: a: bad number\n' });
    expect(await run(['test', 'a', 'b'])).toEqual({ exitCode: 2, stdout: '', stderr: 'test: b: unexpected operator\n' });
    expect(await run(['test', '(', 'a', 'b', 'c', 'd'])).toMatchObject({ exitCode: 2 });
  });
});
