import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/userland/sh/arith.js';
import type { Command, List, SimpleCommand, Word } from '../../src/userland/sh/ast.js';
import { ShellError, ShellSyntaxError } from '../../src/userland/sh/errors.js';
import { parse } from '../../src/userland/sh/parser.js';
import { matchPattern, trimPattern } from '../../src/userland/sh/pattern.js';

const first = (list: List): Command => list.items[0]!.andOr.first.commands[0]!;
const simple = (src: string): SimpleCommand => {
  const cmd = first(parse(src));
  if (cmd.kind !== 'simple') throw new Error(`not simple: ${cmd.kind}`);
  return cmd;
};
const raws = (words: readonly Word[]): string[] => words.map((w) => w.raw);
const syntaxError = (src: string): string => {
  try {
    parse(src);
  } catch (err) {
    if (err instanceof ShellSyntaxError) return err.message;
    throw err;
  }
  throw new Error(`no syntax error in ${src}`);
};

describe('sh lexer and parser', () => {
  it('splits words and keeps quotes in parts', () => {
    const cmd = simple(`echo 'a b' "c $X" d\\ e`);
    expect(raws(cmd.words)).toEqual(['echo', "'a b'", '"c $X"', 'd\\ e']);
    expect(cmd.words[1]!.parts).toEqual([{ kind: 'lit', value: 'a b', quoted: true }]);
    expect(cmd.words[2]!.parts).toEqual([
      { kind: 'lit', value: 'c ', quoted: true },
      { kind: 'param', name: 'X', op: null, arg: null, quoted: true },
    ]);
    expect(cmd.words[3]!.parts).toEqual([
      { kind: 'lit', value: 'd', quoted: false },
      { kind: 'lit', value: ' ', quoted: true },
      { kind: 'lit', value: 'e', quoted: false },
    ]);
  });

  it('parses parameter forms and substitutions', () => {
    const parts = simple('echo ${A:-x y} ${#B} $? $1 ${10} $((1 + $N)) $(echo hi) `date`').words.slice(1).map((w) => w.parts[0]);
    expect(parts.map((p) => p?.kind)).toEqual(['param', 'param', 'param', 'param', 'param', 'arith', 'cmdsub', 'cmdsub']);
    expect(parts[0]).toMatchObject({ name: 'A', op: ':-', arg: { raw: 'x y' } });
    expect(parts[1]).toMatchObject({ name: 'B', op: 'len' });
    expect(parts[4]).toMatchObject({ name: '10' });
    expect(parts[5]).toMatchObject({ expr: { raw: '1 + $N' } });
    expect(parts[6]).toMatchObject({ source: 'echo hi' });
    expect(parts[7]).toMatchObject({ source: 'date' });
  });

  it('recognizes assignments, redirections and io numbers', () => {
    const cmd = simple('A=1 B="x y" cmd arg >out 2>&1 <in 3>>log C=2');
    expect(cmd.assigns.map((a) => [a.name, a.value.raw])).toEqual([['A', '1'], ['B', '"x y"']]);
    expect(raws(cmd.words)).toEqual(['cmd', 'arg', 'C=2']);
    expect(cmd.redirects.map((r) => [r.fd, r.op, r.target.raw])).toEqual([
      [1, '>', 'out'],
      [2, '>&', '1'],
      [0, '<', 'in'],
      [3, '>>', 'log'],
    ]);
  });

  it('builds and-or lists, pipelines and background items with their source', () => {
    const list = parse('a | b | c && ! d || e & f; g\n# comment\nh');
    expect(list.items.map((i) => [i.andOr.source, i.background])).toEqual([
      ['a | b | c && ! d || e', true],
      ['f', false],
      ['g', false],
      ['h', false],
    ]);
    const ao = list.items[0]!.andOr;
    expect(ao.first.commands).toHaveLength(3);
    expect(ao.rest.map((r) => [r.op, r.pipeline.negate])).toEqual([['&&', true], ['||', false]]);
  });

  it('parses compound commands', () => {
    const src = 'if a; then b; elif c\nthen d; else e; fi > f';
    const cmd = first(parse(src));
    expect(cmd).toMatchObject({ kind: 'if', source: src, elseBody: { items: [{ andOr: { source: 'e' } }] } });
    if (cmd.kind === 'if') expect(cmd.branches).toHaveLength(2);
    expect(first(parse('while a; do b; done'))).toMatchObject({ kind: 'loop', until: false });
    expect(first(parse('until a; do b; done'))).toMatchObject({ kind: 'loop', until: true });
    expect(first(parse('for i in 1 2 3; do echo $i; done'))).toMatchObject({ kind: 'for', name: 'i' });
    const forAll = first(parse('for i\ndo echo $i\ndone'));
    expect(forAll).toMatchObject({ kind: 'for', items: null });
    expect(first(parse('{ a; b; }'))).toMatchObject({ kind: 'group' });
    expect(first(parse('(cd /; ls)'))).toMatchObject({ kind: 'subshell', bodySource: 'cd /; ls' });
    expect(first(parse('f() { echo hi; }'))).toMatchObject({ kind: 'function', name: 'f', source: 'f() { echo hi; }' });
    const c = first(parse('case $x in a|b) echo ab;; *) ;; esac'));
    expect(c).toMatchObject({ kind: 'case' });
    if (c.kind === 'case') expect(c.items.map((i) => raws(i.patterns))).toEqual([['a', 'b'], ['*']]);
  });

  it('reads here-document bodies after the line, literal when the delimiter is quoted', () => {
    const list = parse("cat <<A; cat <<'B'\nbody $x\nA\nraw $y\nB\necho next");
    const docs = list.items.slice(0, 2).map((i) => (first({ kind: 'list', items: [i] }) as SimpleCommand).redirects[0]!.hereDoc!.body);
    expect(docs[0]!.parts).toEqual([
      { kind: 'lit', value: 'body ', quoted: true },
      { kind: 'param', name: 'x', op: null, arg: null, quoted: true },
      { kind: 'lit', value: '\n', quoted: true },
    ]);
    expect(docs[1]!.parts).toEqual([{ kind: 'lit', value: 'raw $y\n', quoted: true }]);
    expect(list.items[2]!.andOr.source).toBe('echo next');
    expect(syntaxError('cat <<EOF\nno end')).toBe('syntax error: unexpected end of file');
  });

  it('treats reserved words as words outside command position', () => {
    expect(raws(simple('echo if then fi }').words)).toEqual(['echo', 'if', 'then', 'fi', '}']);
    expect(raws(simple("'if' x").words)).toEqual(["'if'", 'x']);
  });

  it('reports syntax errors naming the token', () => {
    expect(syntaxError('fi')).toBe('syntax error: unexpected "fi"');
    expect(syntaxError('echo a; ;')).toBe('syntax error: unexpected ";"');
    expect(syntaxError('a &&')).toBe('syntax error: unexpected end of file');
    expect(syntaxError('if true; then')).toBe('syntax error: unexpected end of file');
    expect(syntaxError('echo >')).toBe('syntax error: unexpected end of file');
    expect(syntaxError('(a')).toBe('syntax error: unexpected end of file');
    expect(syntaxError("echo 'x")).toBe('syntax error: unterminated quoted string');
    expect(syntaxError('while a; do b; fi')).toBe('syntax error: unexpected "fi"');
  });

  it('marks incomplete input as continuable, other errors not', () => {
    const atEof = (src: string): boolean => {
      try {
        parse(src);
        return false;
      } catch (err) {
        return (err as ShellSyntaxError).atEof;
      }
    };
    expect(atEof('if true; then\n')).toBe(true);
    expect(atEof('echo "abc\n')).toBe(true);
    expect(atEof('echo $(ls\n')).toBe(true);
    expect(atEof('done\n')).toBe(false);
  });

  it('never throws anything but a syntax error on random input', () => {
    const alphabet = fc.constantFrom(...'ab $(){};|&<>\'"\\`#\n=!0123*?[]-+:%'.split(''), 'if ', 'then ', 'fi', 'do ', 'done', 'for ', 'while ', 'case ', 'esac', ' in ', ';;', '${', '$((', '))');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (chunks) => {
        try {
          parse(chunks.join(''));
        } catch (err) {
          if (!(err instanceof ShellSyntaxError)) throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips: each and-or re-parses from its own source to the same tree', () => {
    const word = fc.constantFrom('a', 'b', "'q r'", '"$x y"', '${v:-d}', '$(c d)', 'x\\ y', '$((1+2))');
    const cmd = fc.tuple(fc.array(word, { minLength: 1, maxLength: 3 }), fc.constantFrom('', ' >f', ' 2>&1', ' <in')).map(([ws, r]) => ws.join(' ') + r);
    const compound = fc.oneof(
      cmd,
      cmd.map((c) => `{ ${c}; }`),
      cmd.map((c) => `if ${c}; then ${c}; fi`),
      cmd.map((c) => `while ${c}; do ${c}; done`),
      cmd.map((c) => `for i in a b; do ${c}; done`),
      cmd.map((c) => `(${c})`),
    );
    const pipeline = fc.array(compound, { minLength: 1, maxLength: 3 }).map((cs) => cs.join(' | '));
    const andOr = fc.tuple(pipeline, fc.array(fc.tuple(fc.constantFrom(' && ', ' || '), pipeline), { maxLength: 2 })).map(([p, rest]) => p + rest.map(([op, q]) => op + q).join(''));
    const script = fc.array(fc.tuple(andOr, fc.constantFrom('; ', ' & ', '\n')), { minLength: 1, maxLength: 4 }).map((xs) => xs.map(([a, s]) => a + s).join(''));
    fc.assert(
      fc.property(script, (src) => {
        for (const item of parse(src).items) {
          const again = parse(item.andOr.source).items;
          expect(again).toHaveLength(1);
          expect(again[0]!.andOr).toEqual(item.andOr);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('sh arithmetic', () => {
  const vars = (init: Record<string, string> = {}) => {
    const m = new Map(Object.entries(init));
    return { get: (n: string) => m.get(n), set: (n: string, v: string) => void m.set(n, v), m };
  };
  it('follows C precedence and integer division', () => {
    expect(evaluate('1 + 2 * 3', vars())).toBe(7);
    expect(evaluate('(1 + 2) * 3', vars())).toBe(9);
    expect(evaluate('7 / 2', vars())).toBe(3);
    expect(evaluate('-7 / 2', vars())).toBe(-3);
    expect(evaluate('7 % 3', vars())).toBe(1);
    expect(evaluate('-3 + -(2)', vars())).toBe(-5);
    expect(evaluate('1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 4 || 5 == 5', vars())).toBe(1);
    expect(evaluate('!0 + !5 + (1 != 1)', vars())).toBe(1);
    expect(evaluate('0x10 + 010', vars())).toBe(24);
    expect(evaluate('1 ? 2 : 3', vars())).toBe(2);
  });
  it('reads and assigns variables by bare name', () => {
    const v = vars({ x: '5', y: '' });
    expect(evaluate('x * 2 + y + unset', v)).toBe(10);
    expect(evaluate('x += 3', v)).toBe(8);
    expect(v.m.get('x')).toBe('8');
    expect(evaluate('0 && (z = 1)', v)).toBe(0);
    expect(v.m.has('z')).toBe(false);
  });
  it('reports errors as dash does', () => {
    expect(() => evaluate('1 / 0', vars())).toThrow(new ShellError('arithmetic expression: division by zero: "1 / 0"'));
    expect(() => evaluate('1 +', vars())).toThrow(new ShellError('arithmetic expression: expecting primary: "1 +"'));
    expect(() => evaluate('x', vars({ x: 'abc' }))).toThrow(new ShellError('Illegal number: abc'));
  });
});

describe('sh patterns', () => {
  it('matches globs', () => {
    expect(matchPattern('*.txt', 'a.txt')).toBe(true);
    expect(matchPattern('*.txt', 'a.txt.bak')).toBe(false);
    expect(matchPattern('?[a-c]\\*', 'xb*')).toBe(true);
    expect(matchPattern('[!a]*', 'abc')).toBe(false);
  });
  it('trims prefixes and suffixes', () => {
    expect(trimPattern('/usr/local/bin', '*/', '#')).toBe('usr/local/bin');
    expect(trimPattern('/usr/local/bin', '*/', '##')).toBe('bin');
    expect(trimPattern('file.tar.gz', '.*', '%')).toBe('file.tar');
    expect(trimPattern('file.tar.gz', '.*', '%%')).toBe('file');
  });
});
