// The shell runs as a process of a booted kernel, through the public API only.
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

async function sh(script: string, options: { stdin?: string; args?: string[]; uid?: number } = {}): Promise<Result> {
  const r = await k.host.exec(['sh', '-c', script, ...(options.args ?? [])], {
    ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    ...(options.uid === undefined ? {} : { uid: options.uid }),
  });
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

/** Writes a file through a tiny program, so setup does not depend on the shell under test. */
async function write(path: string, content: string, mode = 0o644): Promise<void> {
  const r = await k.host.run(async (sys) => {
    const fd = await sys.open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
    await sys.write(fd, content);
    await sys.close(fd);
    await sys.chmod(path, mode);
    return 0;
  });
  expect(r.exitCode).toBe(0);
}

describe('sh: words and expansion', () => {
  it('quotes: single, double with $, backslash', async () => {
    const r = await sh(`X=val; echo 'a  $X' "b  $X" c\\ \\$X "q\\"\\$" ''`);
    expect(r).toEqual({ exitCode: 0, stdout: 'a  $X b  val c $X q"$ \n', stderr: '' });
  });

  it('splits unquoted expansions on IFS and keeps quoted ones whole', async () => {
    const r = await sh('a="1  2 3"; set -- $a; echo $#; set -- "$a"; echo $#; IFS=:; p=x:y; for i in $p; do echo "<$i>"; done');
    expect(r.stdout).toBe('3\n1\n<x>\n<y>\n');
  });

  it('expands positional and special parameters', async () => {
    const r = await sh('echo "$0|$1|$2|$#|$*"; for a in "$@"; do echo "[$a]"; done; for a; do echo "($a)"; done', { args: ['zero', 'one', 'two words'] });
    expect(r.stdout).toBe('zero|one|two words|2|one two words\n[one]\n[two words]\n(one)\n(two words)\n');
  });

  it('gives "$@" no fields without arguments, "" one empty field', async () => {
    const r = await sh('set --; set -- "$@" ""; echo $#');
    expect(r.stdout).toBe('1\n');
  });

  it('knows $? $$ and $!', async () => {
    const r = await sh('false; echo $?; echo $$ > /tmp/sh-pid; sh -c "echo \\$\\$" >> /tmp/sh-pid; sleep 1 & echo "bg=$!"; cat /tmp/sh-pid');
    const [status, bg, mine, child] = r.stdout.trim().split('\n');
    expect(status).toBe('1');
    expect(bg).toMatch(/^bg=\d+$/);
    expect(Number(mine)).toBeGreaterThan(1);
    expect(Number(child)).not.toBe(Number(mine));
  });

  it('has ${} forms', async () => {
    const r = await sh('p=/usr/local/bin.x; echo ${p##*/} ${p%.*} ${#p} ${u:-dflt} ${u-}${p:+set} ${v:=new} $v ${HOME}');
    expect(r.stdout).toBe('bin.x /usr/local/bin 16 dflt set new new /root\n');
  });

  it('does arithmetic', async () => {
    const r = await sh('x=7; y=2; echo $((x / y)) $(($x % y)) $((-x + 1)) $(( (1 + 2) * 3 )) $((x > y && !(y == 3))) $((x <= 6 || y != 2)) $((x >= 7))');
    expect(r.stdout).toBe('3 1 -6 9 1 0 1\n');
  });

  it('reports arithmetic errors with status 2', async () => {
    const r = await sh('echo $((1 / 0)); echo after');
    expect(r).toEqual({ exitCode: 2, stdout: '', stderr: 'sh: arithmetic expression: division by zero: "1 / 0"\n' });
  });

  it('substitutes commands', async () => {
    const r = await sh('x=$(echo a; echo b); echo "[$x]" `echo c` $(echo $(echo nested))');
    expect(r.stdout).toBe('[a\nb] c nested\n');
  });

  it('expands globs, leaving a pattern without match as it is', async () => {
    const r = await sh('cd /bin && echo ca* && echo *.none');
    expect(r.stdout).toBe('cat\n*.none\n');
  });
});

describe('sh: lists and pipelines', () => {
  it('runs ; && || and !', async () => {
    const r = await sh('true && echo a || echo b; false && echo c || echo d; ! false; echo $?');
    expect(r.stdout).toBe('a\nd\n0\n');
  });

  it('pipes any number of stages; the status is the last stage', async () => {
    const r = await sh('echo hello | cat | cat | cat; false | true; echo $?; true | false; echo $?');
    expect(r.stdout).toBe('hello\n0\n1\n');
  });

  it('runs builtins and compound commands inside pipelines, with unexported variables', async () => {
    const r = await sh('A=inner; { echo "$A"; echo two; } | cat; echo "x y" | { read a b; echo "$b-$a"; }; for i in 1 2; do echo $i; done | cat');
    expect(r.stdout).toBe('inner\ntwo\ny-x\n1\n2\n');
  });

  it('read takes one line at a time from a pipe', async () => {
    const r = await sh('echo "l1\nl2\nl3" | { read a; read b; cat; }; read c; echo "[$a$b$c]"', { stdin: 'from stdin\n' });
    expect(r.stdout).toBe('l3\n[from stdin]\n');
  });

  it('read sets the variable and fails at end of file', async () => {
    const r = await sh('echo "a b c" | { read x y; echo "$x|$y"; }; read z; echo "$?[$z]"', { stdin: '' });
    expect(r.stdout).toBe('a|b c\n1[]\n');
  });
});

describe('sh: redirections', () => {
  it('writes, appends and reads files', async () => {
    const r = await sh('echo one > /tmp/sh-r; echo two >> /tmp/sh-r; cat < /tmp/sh-r; echo three > /tmp/sh-r; cat /tmp/sh-r');
    expect(r.stdout).toBe('one\ntwo\nthree\n');
  });

  it('sends stderr with 2> and 2>&1, in order', async () => {
    const r = await sh('ls /nope 2>/tmp/sh-err; cat /tmp/sh-err; ls /nope 2>&1 | cat; ls /nope 2>&1 >/tmp/sh-out | cat > /tmp/sh-both; cat /tmp/sh-both');
    const msg = 'ls: /nope: No such file or directory\n';
    expect(r.stdout).toBe(msg + msg + msg);
    expect(r.stderr).toBe('');
  });

  it('redirects builtins and compound commands', async () => {
    const r = await sh('cd /nope 2>/dev/null; echo $?; { echo a; ls /nope; } > /tmp/sh-g 2>&1; cat /tmp/sh-g; while read l; do echo "<$l>"; done < /tmp/sh-g');
    expect(r.stdout).toBe('2\na\nls: /nope: No such file or directory\n<a>\n<ls: /nope: No such file or directory>\n');
  });

  it('feeds here-documents, expanded unless the delimiter is quoted', async () => {
    const r = await sh("x=v; cat <<EOF\n$x \\$x $(echo s)\nEOF\ncat <<'E'\n$x\nE\nwhile read l; do echo \"<$l>\"; done <<-T\n\ta\n\tT\n");
    expect(r).toEqual({ exitCode: 0, stdout: 'v $x s\n$x\n<a>\n', stderr: '' });
  });

  it('does not run the command when a redirection fails', async () => {
    const r = await sh('echo hi > /nope/f; echo $?; cat < /nope/g; echo $?; echo x >&7; echo $?');
    expect(r).toEqual({
      exitCode: 0,
      stdout: '1\n1\n1\n',
      stderr: 'sh: cannot create /nope/f: No such file or directory\nsh: cannot open /nope/g: No such file or directory\nsh: 7: Bad file descriptor\n',
    });
  });
});

describe('sh: compound commands', () => {
  it('if / elif / else', async () => {
    const r = await sh('for n in 1 2 3; do if [ $n = 1 ]; then echo one; elif [ $n = 2 ]; then echo two; else echo many; fi; done');
    expect(r.stdout).toBe('one\ntwo\nmany\n');
  });

  it('while and until, with break and continue', async () => {
    const r = await sh('i=0; while [ $i -lt 5 ]; do i=$((i+1)); [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done; until [ $i = 0 ]; do i=$((i-1)); done; echo end $i');
    expect(r.stdout).toBe('1\n3\nend 0\n');
  });

  it('multi-line scripts with comments', async () => {
    const r = await sh('# a comment\nfor w in a b # trailing comment\ndo\n  echo "$w"\ndone\n\necho last');
    expect(r.stdout).toBe('a\nb\nlast\n');
  });

  it('groups, subshells, functions and case', async () => {
    const r = await sh('x=1; (x=2; cd /tmp; echo "$x $PWD"); echo "$x"; pwd; f() { echo "f $1 $#"; return 3; }; f a b; echo $?; case abc in x*) echo no;; a?c|z) echo yes;; esac');
    expect(r.stdout).toBe('2 /tmp\n1\n/\nf a 2\n3\nyes\n');
  });
});

describe('sh: builtins and variables', () => {
  it('exports variables and prefix assignments only to that command', async () => {
    const r = await sh('A=plain; export B=exp; C=pre sh -c \'echo "[$A][$B][$C]"\'; echo "[$C]"; unset B; sh -c \'echo "[$B]"\'');
    expect(r.stdout).toBe('[][exp][pre]\n[]\n[]\n');
  });

  it('cd: no argument goes $HOME, - goes back, failure is status 2', async () => {
    const r = await sh('cd /tmp; pwd; cd; pwd; cd -; cd /nope; echo $?');
    expect(r.stdout).toBe('/tmp\n/root\n/tmp\n2\n');
    expect(r.stderr).toBe('sh: cd: /nope: No such file or directory\n');
  });

  it('exit: with a number, and with none ($?)', async () => {
    expect((await sh('exit 3; echo no')).exitCode).toBe(3);
    expect((await sh('false; exit')).exitCode).toBe(1);
    expect(await sh('exit x')).toEqual({ exitCode: 2, stdout: '', stderr: 'sh: exit: Illegal number: x\n' });
  });

  it('shift, set --, set -e, eval, :', async () => {
    const r = await sh('set -- a b c; shift; echo "$@"; shift 2; echo $#; eval "v=1; echo ev"; : ignored; echo $v; set -e; false; echo no');
    expect(r).toEqual({ exitCode: 1, stdout: 'b c\n0\nev\n1\n', stderr: '' });
  });

  it('set -e ignores failures in conditions and && lists', async () => {
    const r = await sh('set -e; if false; then :; fi; false && true; ! true; while false; do :; done; echo survived');
    expect(r.stdout).toBe('survived\n');
  });
});

describe('sh: processes', () => {
  it('runs background jobs; wait waits for one or all', async () => {
    const r = await sh('{ sleep 1; exit 3; } & p=$!; sleep 2 & wait $p; echo "one $?"; wait; echo "all $?"; wait $p; echo "again $?"');
    expect(r.stdout).toBe('one 3\nall 0\nagain 127\n');
  });

  it('gives 128+n for a child killed by a signal', async () => {
    const r = await sh('sleep 100 & kill -9 $!; wait $!; echo $?; sh -c \'kill -15 $$\'; echo $?');
    expect(r.stdout).toBe('137\n143\n');
  });

  it('a loop of builtins still lets other processes run', async () => {
    const r = await sh('while :; do :; done & sleep 1; kill $!; wait $!; echo $?');
    expect(r.stdout).toBe('143\n');
  });

  it('command not found is 127, not executable is 126', async () => {
    await write('/tmp/sh-noexec', 'echo hi\n', 0o644);
    const r = await sh('nosuch; echo $?; /tmp/sh-noexec; echo $?; /nope/cmd; echo $?');
    expect(r.stdout).toBe('127\n126\n127\n');
    expect(r.stderr).toBe('sh: nosuch: not found\nsh: /tmp/sh-noexec: Permission denied\nsh: /nope/cmd: not found\n');
  });

  it('searches $PATH', async () => {
    const r = await sh('PATH=/nowhere; cat /dev/null; s=$?; PATH=/tmp:/bin; echo $s found; unset PATH; echo default');
    expect(r).toEqual({ exitCode: 0, stdout: '127 found\ndefault\n', stderr: 'sh: cat: not found\n' });
  });
});

describe('sh: invocation', () => {
  it('reports syntax errors with status 2, after running earlier lines', async () => {
    const r = await sh('echo before\nif true; then echo x; fi; fi\necho after');
    expect(r).toEqual({ exitCode: 2, stdout: 'before\n', stderr: 'sh: syntax error: unexpected "fi"\n' });
  });

  it('runs script files: sh file args, and by path through #!/bin/sh', async () => {
    await write('/tmp/sh-script', '#!/bin/sh\n# a script\necho "$0 $1 $#"\nexit 5\n', 0o755);
    const byName = await k.host.exec(['sh', '/tmp/sh-script', 'a', 'b']);
    expect(byName.stdout).toBe('/tmp/sh-script a 2\n');
    expect(byName.exitCode).toBe(5);
    const r = await sh('/tmp/sh-script x; echo $?');
    expect(r.stdout).toBe('/tmp/sh-script x 1\n5\n');
    const missing = await k.host.exec(['sh', '/tmp/sh-none']);
    expect(missing).toMatchObject({ exitCode: 127, stderr: 'sh: cannot open /tmp/sh-none: No such file or directory\n' });
  });

  it('reads a script from stdin when it is not a tty', async () => {
    const r = await k.host.exec(['sh'], { stdin: 'echo a\nx=$((2+2))\necho $x\n' });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'a\n4\n', stderr: '' });
  });

  it('is interactive on a tty: prompts, continues lines, survives errors', async () => {
    const input = 'echo a\nif true; then\necho b\nfi\nfi\nnosuch\necho "$?"\nexit 4\necho no\n';
    const root = await k.host.exec(['sh'], { stdin: input, tty: true });
    expect(root.stdout).toBe('a\nb\n127\n');
    expect(root.stderr).toBe('# # > > # sh: syntax error: unexpected "fi"\n# sh: nosuch: not found\n# # ');
    expect(root.exitCode).toBe(4);
    const user = await k.host.exec(['sh'], { stdin: 'echo u\n', tty: true, uid: 1000 });
    expect(user).toMatchObject({ exitCode: 0, stdout: 'u\n', stderr: '$ $ ' });
  });

  it('stops runaway function recursion', async () => {
    const r = await sh('f() { f; }; f; echo after');
    expect(r).toEqual({ exitCode: 2, stdout: '', stderr: 'sh: f: function nesting too deep\n' });
  });

  it('never crashes on random input: every failure is a shell message and a status', async () => {
    const chunk = fc.constantFrom(...'a $(){};|&<>\'"\\`#\n=!01*?-:/'.split(''), 'echo ', 'cat ', 'if ', 'then ', 'fi', 'for ', ' in ', 'do ', 'done', 'case ', 'esac', ';;', '${', '$((', '))', '$x', '2>&1', '<<E\n', 'E\n', 'read ', 'cd ', 'exit ', 'set -e', 'shift ', 'export ', 'unset ', 'eval ', 'f()', 'break ', '$?');
    await fc.assert(
      fc.asyncProperty(fc.array(chunk, { maxLength: 25 }), async (chunks) => {
        const r = await sh(chunks.join(''));
        expect(r.exitCode).toBeGreaterThanOrEqual(0);
        expect(r.exitCode).toBeLessThan(256);
        for (const line of r.stderr.split('\n').filter((l) => l !== '')) expect(line).toMatch(/^(sh|cat|cd): /);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
