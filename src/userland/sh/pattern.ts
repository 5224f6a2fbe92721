/**
 * Shell pattern matching (XCU 2.13): `*`, `?`, `[...]` with `!` negation, `\` quoting.
 * Used by pathname expansion, `case`, and `${x#pattern}`. Patterns arrive with quoted
 * characters already backslash-escaped.
 */

export function hasGlobChars(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

/** Escapes text so that it matches only itself. */
export function escapePattern(text: string): string {
  return text.replace(/[\\*?[\]]/g, (c) => `\\${c}`);
}

/** Removes the backslash quoting of a pattern, for when it is used as plain text. */
export function unescapePattern(pattern: string): string {
  return pattern.replace(/\\(.)/gs, '$1');
}

const regexEscape = (c: string): string => c.replace(/[\\^$.*+?()[\]{}|/-]/g, (x) => `\\${x}`);

/** The body of an anchored RegExp equivalent to the pattern. */
function patternSource(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) out += regexEscape(pattern[++i]!);
    else if (c === '*') out += '[^]*';
    else if (c === '?') out += '[^]';
    else if (c === '[') {
      const close = bracketEnd(pattern, i);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/\\(.)/g, '$1').replace(/[\\\]^[]/g, (x) => `\\${x}`)}]`;
      i = close;
    } else out += regexEscape(c);
  }
  return out;
}

/** Index of the `]` closing a bracket expression at `open`, or -1. */
function bracketEnd(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === '!' || pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return -1;
}

export function compilePattern(pattern: string): RegExp {
  return new RegExp(`^${patternSource(pattern)}$`);
}

export function matchPattern(pattern: string, text: string): boolean {
  return compilePattern(pattern).test(text);
}

/** `${v#p}` / `${v##p}` / `${v%p}` / `${v%%p}`: removes the shortest or longest match. */
export function trimPattern(value: string, pattern: string, op: '#' | '##' | '%' | '%%'): string {
  const re = compilePattern(pattern);
  const n = value.length;
  if (op === '#' || op === '##') {
    for (let k = 0; k <= n; k++) {
      const len = op === '#' ? k : n - k;
      if (re.test(value.slice(0, len))) return value.slice(len);
    }
  } else {
    for (let k = 0; k <= n; k++) {
      const len = op === '%' ? k : n - k;
      if (re.test(value.slice(n - len))) return value.slice(0, n - len);
    }
  }
  return value;
}
