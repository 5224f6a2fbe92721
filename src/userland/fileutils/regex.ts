/**
 * POSIX regular expressions (as grep reads them) translated to JavaScript RegExp source.
 * Basic REs: `\( \) \{ \} \|` group, count and alternate (GNU's `\+ \?` too) while the bare
 * characters are literals; `*` first is literal; `^`/`$` anchor only at the ends. Extended
 * REs are JavaScript's own syntax but for bracket expressions. In both, bracket expressions
 * take `[:alpha:]`-style classes, a leading `]` as a literal, and `\` as a plain character.
 * Not supported: collating elements `[. .]`, equivalence classes `[= =]`.
 */

const CLASSES: Readonly<Record<string, string>> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: '0-9A-Za-z',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\x00-\\x1f\\x7f',
  xdigit: '0-9A-Fa-f',
};

/** Characters that need a backslash to be literal in JavaScript. */
const JS_SPECIAL = /[\\^$.*+?()[\]{}|/-]/g;

export function escapeLiteral(text: string): string {
  return text.replace(JS_SPECIAL, '\\$&');
}

/** Copies the bracket expression starting at `re[start] === '['`; returns its JS form and where it ends. */
function bracket(re: string, start: number): [string, number] {
  let i = start + 1;
  let out = '[';
  if (re[i] === '^') {
    out += '^';
    i++;
  }
  if (re[i] === ']') {
    out += '\\]';
    i++;
  }
  for (; i < re.length; i++) {
    const c = re[i]!;
    if (c === ']') return [out + ']', i + 1];
    const cls = c === '[' && re[i + 1] === ':' ? /^\[:([a-z]+):\]/.exec(re.slice(i)) : null;
    if (cls) {
      const set = CLASSES[cls[1]!];
      if (set === undefined) throw new SyntaxError(`invalid character class ${cls[1]}`);
      out += set;
      i += cls[0].length - 1;
    } else {
      out += c === '\\' || c === '[' ? `\\${c}` : c;
    }
  }
  throw new SyntaxError('brackets ([ ]) not balanced');
}

/** A basic RE (grep's default) as JavaScript source. */
export function translateBasic(re: string): string {
  let out = '';
  // Where `*` is a literal and `^` an anchor: at the start, after `\(` and after `\|`.
  let atStart = true;
  for (let i = 0; i < re.length; ) {
    const c = re[i]!;
    const starting = atStart;
    atStart = false;
    if (c === '\\' && i + 1 < re.length) {
      const e = re[i + 1]!;
      i += 2;
      if ('(|'.includes(e)) atStart = true;
      if ('(){}|+?'.includes(e)) out += e;
      else if (e === '<' || e === '>') out += '\\b';
      else if (/[1-9wWsSbB]/.test(e)) out += `\\${e}`;
      else out += escapeLiteral(e);
    } else if (c === '[') {
      const [part, end] = bracket(re, i);
      out += part;
      i = end;
    } else {
      i++;
      if (c === '^' && starting) out += '^';
      else if (c === '$' && (i === re.length || re.startsWith('\\)', i) || re.startsWith('\\|', i))) out += '$';
      else if (c === '*' && !starting) out += '*';
      else if (c === '.') out += '.';
      else out += escapeLiteral(c);
      if (c === '^' && starting) atStart = true;
    }
  }
  return out;
}

/** An extended RE (grep -E) as JavaScript source: only bracket expressions need translating. */
export function translateExtended(re: string): string {
  let out = '';
  for (let i = 0; i < re.length; ) {
    const c = re[i]!;
    if (c === '\\' && i + 1 < re.length) {
      const e = re[i + 1]!;
      out += e === '<' || e === '>' ? '\\b' : `\\${e}`;
      i += 2;
    } else if (c === '[') {
      const [part, end] = bracket(re, i);
      out += part;
      i = end;
    } else {
      out += c === '/' ? '\\/' : c;
      i++;
    }
  }
  return out;
}
