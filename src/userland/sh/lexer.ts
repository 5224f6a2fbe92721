/**
 * Tokens of the POSIX shell language (XCU 2.3), read on demand so that a script runs command
 * by command as dash does. Words come out already split into parts (literal text, quoted
 * text, $parameter, $((arithmetic)), $(command)); reserved words are left to the parser,
 * which alone knows whether a word stands in command position.
 */
import type { HereDoc, ParamOp, Word, WordPart } from './ast.js';
import { ShellSyntaxError } from './errors.js';

export type Token =
  | { readonly type: 'word'; readonly word: Word; readonly start: number; readonly end: number }
  | { readonly type: 'op'; readonly op: string; readonly start: number; readonly end: number }
  | { readonly type: 'io'; readonly fd: number; readonly start: number; readonly end: number }
  | { readonly type: 'newline'; readonly start: number; readonly end: number }
  | { readonly type: 'eof'; readonly start: number; readonly end: number };

const OPERATORS = ['<<-', '&&', '||', ';;', '>>', '<<', '<&', '>&', '<>', '>|', ';', '&', '|', '<', '>', '(', ')'];
const META = new Set([';', '&', '|', '<', '>', '(', ')']);
const SPECIAL_PARAMS = new Set(['@', '*', '#', '?', '$', '!', '0', '-']);
const PARAM_OPS: readonly ParamOp[] = [':-', ':=', ':+', ':?', '##', '%%', '-', '=', '+', '?', '#', '%'];

const isBlank = (c: string): boolean => c === ' ' || c === '\t';
const isNameStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_]/.test(c);
const isNameChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** A word is "plain" when it has no quoting or expansion: only then can it be a reserved word. */
export function isPlain(word: Word): boolean {
  return word.parts.every((p) => p.kind === 'lit' && !p.quoted);
}

/** Collects word parts, merging adjacent literals of the same quoting. */
class PartList {
  readonly parts: WordPart[] = [];

  lit(value: string, quoted: boolean): void {
    const last = this.parts[this.parts.length - 1];
    if (last?.kind === 'lit' && last.quoted === quoted && value !== '') {
      this.parts[this.parts.length - 1] = { kind: 'lit', value: last.value + value, quoted };
    } else {
      this.parts.push({ kind: 'lit', value, quoted });
    }
  }

  push(part: WordPart): void {
    this.parts.push(part);
  }
}

interface PendingHereDoc {
  readonly doc: HereDoc;
  readonly delimiter: string;
  /** `<<-`: leading tabs are removed from body lines and the delimiter line. */
  readonly stripTabs: boolean;
  /** A quoted delimiter: the body is taken literally. */
  readonly literal: boolean;
}

export class Lexer {
  private pos: number;
  private readonly pendingHereDocs: PendingHereDoc[] = [];
  /** In a here-document body a backslash quotes only $ ` \ and newline, not ". */
  private hereDocMode = false;

  constructor(
    readonly src: string,
    start = 0,
  ) {
    this.pos = start;
  }

  get position(): number {
    return this.pos;
  }

  next(): Token {
    this.skipBlanks();
    const start = this.pos;
    const c = this.src[this.pos];
    if (c === undefined) {
      if (this.pendingHereDocs.length > 0) throw this.eofError('unexpected end of file');
      return { type: 'eof', start, end: start };
    }
    if (c === '\n') {
      this.pos++;
      this.readHereDocs();
      return { type: 'newline', start, end: this.pos };
    }
    const op = OPERATORS.find((o) => this.src.startsWith(o, this.pos));
    if (op !== undefined) {
      this.pos += op.length;
      return { type: 'op', op, start, end: this.pos };
    }
    const parts = this.scanParts((ch) => isBlank(ch) || ch === '\n' || META.has(ch), false);
    const raw = this.src.slice(start, this.pos);
    const after = this.src[this.pos];
    if (/^\d+$/.test(raw) && (after === '<' || after === '>')) {
      return { type: 'io', fd: Number(raw), start, end: this.pos };
    }
    return { type: 'word', word: { parts, raw }, start, end: this.pos };
  }

  /** Registers a here-document whose body starts after the next newline. */
  hereDoc(doc: HereDoc, delimiter: Word, stripTabs: boolean): void {
    const text = delimiter.parts.map((p) => (p.kind === 'lit' ? p.value : '')).join('');
    const literal = delimiter.parts.some((p) => p.kind !== 'lit' || p.quoted);
    this.pendingHereDocs.push({ doc, delimiter: literal ? text : delimiter.raw, stripTabs, literal });
  }

  /** Reads the bodies of the pending here-documents, which start at the current position. */
  private readHereDocs(): void {
    for (const pending of this.pendingHereDocs.splice(0)) {
      const lines: string[] = [];
      for (;;) {
        if (this.pos >= this.src.length) throw this.eofError('unexpected end of file');
        const nl = this.src.indexOf('\n', this.pos);
        const end = nl < 0 ? this.src.length : nl;
        let line = this.src.slice(this.pos, end);
        this.pos = nl < 0 ? end : end + 1;
        if (pending.stripTabs) line = line.replace(/^\t+/, '');
        if (line === pending.delimiter) break;
        lines.push(`${line}\n`);
      }
      const text = lines.join('');
      if (pending.literal) {
        pending.doc.body = { parts: [{ kind: 'lit', value: text, quoted: true }], raw: text };
      } else {
        const inner = new Lexer(text);
        inner.hereDocMode = true;
        pending.doc.body = { parts: inner.scanParts(() => false, true), raw: text };
      }
    }
  }

  /** Skips blanks, line continuations and comments (a `#` starting a token). */
  private skipBlanks(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c !== undefined && isBlank(c)) this.pos++;
      else if (c === '\\' && this.src[this.pos + 1] === '\n') this.pos += 2;
      else if (c === '#') {
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
      } else return;
    }
  }

  private eofError(what: string): ShellSyntaxError {
    return new ShellSyntaxError(`syntax error: ${what}`, true);
  }

  /**
   * Reads word parts until `stop` matches an unquoted character. `inDquote` means the text is
   * inside double quotes (or an arithmetic expression): quotes are then literal characters.
   */
  private scanParts(stop: (c: string) => boolean, inDquote: boolean): WordPart[] {
    const out = new PartList();
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined || stop(c)) break;
      if (c === "'" && !inDquote) {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) throw this.eofError('unterminated quoted string');
        out.lit(this.src.slice(this.pos + 1, end), true);
        this.pos = end + 1;
      } else if (c === '"' && !inDquote) {
        this.pos++;
        const inner = this.scanParts((ch) => ch === '"', true);
        if (inner.length === 0) out.lit('', true); // "" is an empty field; "$@" may be none
        for (const part of inner) {
          if (part.kind === 'lit') out.lit(part.value, true);
          else out.push(part);
        }
        if (this.src[this.pos] !== '"') throw this.eofError('unterminated quoted string');
        this.pos++;
      } else if (c === '\\') {
        this.backslash(out, inDquote);
      } else if (c === '$') {
        this.dollar(out, inDquote);
      } else if (c === '`') {
        out.push({ kind: 'cmdsub', source: this.backquote(), quoted: inDquote });
      } else {
        out.lit(c, inDquote);
        this.pos++;
      }
    }
    return out.parts;
  }

  private backslash(out: PartList, inDquote: boolean): void {
    const next = this.src[this.pos + 1];
    if (next === undefined) {
      out.lit('\\', inDquote);
      this.pos++;
    } else if (next === '\n') {
      this.pos += 2;
    } else if (inDquote && !(this.hereDocMode ? '$`\\' : '$`"\\').includes(next)) {
      out.lit('\\', true);
      this.pos++;
    } else {
      out.lit(next, true);
      this.pos += 2;
    }
  }

  private dollar(out: PartList, quoted: boolean): void {
    const src = this.src;
    const at = this.pos + 1;
    const c = src[at];
    if (src.startsWith('((', at)) {
      this.pos = at + 2;
      const text = this.arithText();
      const expr = new Lexer(text).scanParts(() => false, true);
      out.push({ kind: 'arith', expr: { parts: expr, raw: text }, quoted });
    } else if (c === '(') {
      this.pos = at + 1;
      out.push({ kind: 'cmdsub', source: this.commandText(), quoted });
    } else if (c === '{') {
      this.pos = at + 1;
      out.push(this.braceParam(quoted));
    } else if (isNameStart(c)) {
      let end = at;
      while (isNameChar(src[end])) end++;
      out.push({ kind: 'param', name: src.slice(at, end), op: null, arg: null, quoted });
      this.pos = end;
    } else if (c !== undefined && (/\d/.test(c) || SPECIAL_PARAMS.has(c))) {
      out.push({ kind: 'param', name: c, op: null, arg: null, quoted });
      this.pos = at + 1;
    } else {
      out.lit('$', quoted);
      this.pos = at;
    }
  }

  /** The text of `$(( ... ))`, up to the `))` that closes it. */
  private arithText(): string {
    const start = this.pos;
    let depth = 0;
    for (; this.pos < this.src.length; this.pos++) {
      const c = this.src[this.pos];
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0 && this.src[this.pos + 1] === ')') {
          const text = this.src.slice(start, this.pos);
          this.pos += 2;
          return text;
        }
        depth--;
      }
    }
    throw this.eofError('missing "))"');
  }

  /** The source of `$( ... )`: tokens are read (so quotes nest) up to the matching `)`. */
  private commandText(): string {
    const start = this.pos;
    const inner = new Lexer(this.src, start);
    let depth = 0;
    for (;;) {
      const tok = inner.next();
      if (tok.type === 'eof') throw this.eofError('missing ")"');
      if (tok.type !== 'op') continue;
      if (tok.op === '(') depth++;
      else if (tok.op === ')') {
        if (depth === 0) {
          this.pos = tok.end;
          return this.src.slice(start, tok.start);
        }
        depth--;
      }
    }
  }

  /** The source of a `...` substitution, with its backslash escapes undone. */
  private backquote(): string {
    let text = '';
    for (let i = this.pos + 1; i < this.src.length; i++) {
      const c = this.src[i]!;
      if (c === '`') {
        this.pos = i + 1;
        return text;
      }
      const next = this.src[i + 1];
      if (c === '\\' && next !== undefined && '$`\\'.includes(next)) {
        text += next;
        i++;
      } else text += c;
    }
    throw this.eofError('missing "`"');
  }

  /** `${...}` after the brace: a name, then an optional operator and word, then `}`. */
  private braceParam(quoted: boolean): WordPart {
    const src = this.src;
    let length = false;
    if (src[this.pos] === '#' && src[this.pos + 1] !== '}') {
      length = true;
      this.pos++;
    }
    const start = this.pos;
    if (isNameStart(src[this.pos])) {
      while (isNameChar(src[this.pos])) this.pos++;
    } else if (/\d/.test(src[this.pos] ?? '')) {
      while (/\d/.test(src[this.pos] ?? '')) this.pos++;
    } else if (SPECIAL_PARAMS.has(src[this.pos] ?? '')) {
      this.pos++;
    }
    const name = src.slice(start, this.pos);
    if (name === '') throw this.badSubstitution();
    if (length) {
      if (src[this.pos] !== '}') throw this.badSubstitution();
      this.pos++;
      return { kind: 'param', name, op: 'len', arg: null, quoted };
    }
    if (src[this.pos] === '}') {
      this.pos++;
      return { kind: 'param', name, op: null, arg: null, quoted };
    }
    const op = PARAM_OPS.find((o) => src.startsWith(o, this.pos));
    if (op === undefined) {
      if (this.pos >= src.length) throw this.eofError('missing "}"');
      throw this.badSubstitution();
    }
    this.pos += op.length;
    const argStart = this.pos;
    const parts = this.scanParts((c) => c === '}', false);
    if (src[this.pos] !== '}') throw this.eofError('missing "}"');
    const arg: Word = { parts, raw: src.slice(argStart, this.pos) };
    this.pos++;
    return { kind: 'param', name, op, arg, quoted };
  }

  private badSubstitution(): ShellSyntaxError {
    return new ShellSyntaxError('syntax error: bad substitution', false);
  }
}
