/**
 * Word expansion (XCU 2.6): tilde, parameters, command substitution, arithmetic, then field
 * splitting on IFS and pathname expansion. Quoted text is never split or globbed; a field
 * remembers, beside its text, a pattern in which quoted characters are escaped, so globbing
 * and `case` see exactly the unquoted metacharacters.
 */
import type { Word, WordPart } from './ast.js';
import { evaluate } from './arith.js';
import { ShellError } from './errors.js';
import { compilePattern, escapePattern, hasGlobChars, unescapePattern, trimPattern } from './pattern.js';
import type { ShellState } from './state.js';

export interface ExpandHooks {
  /** Runs `source` in a child shell and returns its standard output. */
  commandSubstitution(source: string): Promise<string>;
  /** Names in a directory, or null when it cannot be read. */
  readdir(path: string): Promise<string[] | null>;
  exists(path: string): Promise<boolean>;
}

interface Field {
  text: string;
  pattern: string;
  glob: boolean;
}

const IFS_WHITESPACE = ' \t\n';

/** Accumulates fields; `split` false means one field and no splitting (assignments etc.). */
class Fields {
  readonly done: Field[] = [];
  private cur: Field | null = null;

  constructor(
    readonly split: boolean,
    private readonly ifs: string,
  ) {}

  private open(): Field {
    this.cur ??= { text: '', pattern: '', glob: false };
    return this.cur;
  }

  /** Ends the current field, creating an empty one if `force`. */
  breakField(force: boolean): void {
    if (force) this.open();
    if (this.cur !== null) this.done.push(this.cur);
    this.cur = null;
  }

  quoted(s: string): void {
    const f = this.open();
    f.text += s;
    f.pattern += escapePattern(s);
  }

  /** Unquoted text from the source: globbed but not split. */
  literal(s: string): void {
    if (s === '') return;
    const f = this.open();
    f.text += s;
    f.pattern += s;
    if (hasGlobChars(s)) f.glob = true;
  }

  /** The unquoted result of an expansion: split on IFS, then globbed. */
  expanded(s: string): void {
    if (!this.split) return this.literal(s);
    let afterWhitespace = false;
    for (const c of s) {
      if (!this.ifs.includes(c)) {
        this.literal(c);
        afterWhitespace = false;
      } else if (IFS_WHITESPACE.includes(c)) {
        if (this.cur !== null) {
          this.breakField(false);
          afterWhitespace = true;
        }
      } else {
        // a non-white delimiter next to white space counts once
        if (!(this.cur === null && afterWhitespace)) this.breakField(true);
        afterWhitespace = false;
      }
    }
  }

  finish(): Field[] {
    if (!this.split) return [this.cur ?? { text: '', pattern: '', glob: false }];
    this.breakField(false);
    return this.done;
  }
}

const joinPath = (dir: string, name: string): string => (dir === '' ? name : dir.endsWith('/') ? dir + name : `${dir}/${name}`);

export class Expander {
  constructor(
    private readonly state: ShellState,
    private readonly hooks: ExpandHooks,
  ) {}

  /** Command words: every expansion, field splitting and globbing. */
  async words(words: readonly Word[]): Promise<string[]> {
    const out: string[] = [];
    for (const word of words) {
      for (const field of await this.build(word, true)) {
        if (!field.glob) {
          out.push(field.text);
          continue;
        }
        const matches = await this.glob(field.pattern);
        if (matches.length === 0) out.push(field.text);
        else out.push(...matches);
      }
    }
    return out;
  }

  /** One string, no splitting or globbing: assignment values, redirection targets. */
  async word(word: Word): Promise<string> {
    return (await this.build(word, false))[0]!.text;
  }

  /** A pattern for `case` and `${x#...}`: quoted characters escaped. */
  async pattern(word: Word): Promise<string> {
    return (await this.build(word, false))[0]!.pattern;
  }

  private async build(word: Word, split: boolean): Promise<Field[]> {
    const fields = new Fields(split, this.state.ifs());
    for (const part of this.tilde(word.parts)) await this.part(part, fields);
    return fields.finish();
  }

  /** `~` and `~/...` at the start of a word become $HOME. */
  private tilde(parts: readonly WordPart[]): readonly WordPart[] {
    const first = parts[0];
    if (first?.kind !== 'lit' || first.quoted || !first.value.startsWith('~')) return parts;
    const slash = first.value.indexOf('/');
    const prefix = slash < 0 ? first.value : first.value.slice(0, slash);
    const home = this.state.get('HOME');
    if (prefix !== '~' || home === undefined || (slash < 0 && parts.length > 1)) return parts;
    return [{ kind: 'lit', value: home, quoted: true }, { kind: 'lit', value: first.value.slice(prefix.length), quoted: false }, ...parts.slice(1)];
  }

  private async part(part: WordPart, fields: Fields): Promise<void> {
    const emit = (s: string): void => (part.quoted ? fields.quoted(s) : fields.expanded(s));
    switch (part.kind) {
      case 'lit':
        return part.quoted ? fields.quoted(part.value) : fields.literal(part.value);
      case 'param':
        if ((part.name === '@' || part.name === '*') && part.op === null) return this.positional(part.name, part.quoted, fields);
        return emit(await this.param(part));
      case 'arith': {
        const text = await this.word(part.expr);
        const vars = { get: (n: string) => this.state.get(n), set: (n: string, v: string) => this.state.set(n, v) };
        return emit(String(evaluate(text, vars)));
      }
      case 'cmdsub':
        return emit((await this.hooks.commandSubstitution(part.source)).replace(/\n+$/, ''));
    }
  }

  /** $@ and $*, quoted or not. */
  private positional(name: '@' | '*', quoted: boolean, fields: Fields): void {
    const params = this.state.positional;
    if (quoted && name === '*') {
      const ifs = this.state.get('IFS');
      return fields.quoted(params.join(ifs === undefined ? ' ' : ifs.slice(0, 1)));
    }
    if (!fields.split) {
      const joined = params.join(' ');
      return quoted ? fields.quoted(joined) : fields.literal(joined);
    }
    params.forEach((p, i) => {
      if (i > 0) fields.breakField(quoted);
      if (quoted) fields.quoted(p);
      else fields.expanded(p);
    });
  }

  /** The value of a parameter, or undefined when unset. */
  value(name: string): string | undefined {
    const s = this.state;
    switch (name) {
      case '?': return String(s.lastStatus);
      case '$': return String(s.pid);
      case '!': return s.lastBackground === null ? undefined : String(s.lastBackground);
      case '#': return String(s.positional.length);
      case '0': return s.arg0;
      case '-': return s.optionFlags();
      case '@':
      case '*': return s.positional.length === 0 ? undefined : s.positional.join(' ');
    }
    if (/^\d+$/.test(name)) return s.positional[Number(name) - 1];
    return s.get(name);
  }

  private async param(part: Extract<WordPart, { kind: 'param' }>): Promise<string> {
    const { name, op } = part;
    const value = this.value(name);
    if (op === null) return value ?? '';
    if (op === 'len') return String((value ?? '').length);
    const missing = value === undefined || (op.startsWith(':') && value === '');
    const arg = async (): Promise<string> => (part.arg === null ? '' : this.word(part.arg));
    switch (op) {
      case '-':
      case ':-':
        return missing ? arg() : value!;
      case '=':
      case ':=': {
        if (!missing) return value!;
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ShellError(`${name}: cannot assign in this way`);
        const v = await arg();
        this.state.set(name, v);
        return v;
      }
      case '+':
      case ':+':
        return missing ? '' : arg();
      case '?':
      case ':?': {
        if (!missing) return value!;
        const message = await arg();
        throw new ShellError(`${name}: ${message !== '' ? message : op === '?' ? 'parameter not set' : 'parameter null or not set'}`);
      }
      default: {
        const pattern = part.arg === null ? '' : await this.pattern(part.arg);
        return trimPattern(value ?? '', pattern, op);
      }
    }
  }

  /** Pathname expansion: sorted matches of the pattern, directory by directory. */
  private async glob(pattern: string): Promise<string[]> {
    let paths = [pattern.startsWith('/') ? '/' : ''];
    const segments = pattern.split('/').filter((s) => s !== '');
    for (const seg of segments) {
      if (!hasGlobChars(seg)) {
        paths = paths.map((p) => joinPath(p, unescapePattern(seg)));
        continue;
      }
      const re = compilePattern(seg);
      const next: string[] = [];
      for (const dir of paths) {
        const names = await this.hooks.readdir(dir === '' ? '.' : dir);
        for (const name of (names ?? []).sort()) {
          if (name.startsWith('.') && !seg.startsWith('.') && !seg.startsWith('\\.')) continue;
          if (re.test(name)) next.push(joinPath(dir, name));
        }
      }
      paths = next;
    }
    const found: string[] = [];
    for (const p of paths) if (await this.hooks.exists(p)) found.push(p);
    return found;
  }
}
