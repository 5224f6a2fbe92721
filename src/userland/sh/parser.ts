/**
 * Recursive-descent parser for the POSIX shell grammar (XCU 2.10), one complete command at a
 * time: `nextCommand()` returns the list up to the next newline, so a script runs line by
 * line and a syntax error further down does not stop earlier lines, as in dash.
 */
import type {
  AndOr,
  Assignment,
  CaseClause,
  Command,
  ForClause,
  Group,
  HereDoc,
  IfClause,
  List,
  ListItem,
  LoopClause,
  Pipeline,
  Redirect,
  RedirectOp,
  SimpleCommand,
  Subshell,
  Word,
} from './ast.js';
import { ShellSyntaxError } from './errors.js';
import { isPlain, Lexer, type Token } from './lexer.js';

const REDIRECT_OPS = new Set<string>(['<', '>', '>>', '>|', '<>', '<&', '>&', '<<', '<<-']);
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'case', 'esac', 'while', 'until', 'for', '{', '}', '!']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The valid variable name of `NAME=value`, or null. */
function assignmentName(word: Word): string | null {
  const first = word.parts[0];
  if (first?.kind !== 'lit' || first.quoted) return null;
  const eq = first.value.indexOf('=');
  if (eq <= 0 || !NAME.test(first.value.slice(0, eq))) return null;
  return first.value.slice(0, eq);
}

function assignment(word: Word, name: string): Assignment {
  const [first, ...rest] = word.parts;
  const value = first?.kind === 'lit' ? first.value.slice(name.length + 1) : '';
  const parts = value === '' ? rest : [{ kind: 'lit' as const, value, quoted: false }, ...rest];
  return { name, value: { parts, raw: word.raw.slice(name.length + 1) } };
}

export class Parser {
  private readonly lexer: Lexer;
  private tok: Token;
  /** End offset of the last consumed token, for node source spans. */
  private lastEnd = 0;

  constructor(private readonly src: string) {
    this.lexer = new Lexer(src);
    this.tok = this.lexer.next();
  }

  /** The next complete command (up to a newline), or null at end of input. */
  nextCommand(): List | null {
    this.skipNewlines();
    if (this.tok.type === 'eof') return null;
    const items: ListItem[] = [];
    for (;;) {
      const andOr = this.andOr();
      const background = this.isOp('&');
      const separated = background || this.isOp(';');
      if (separated) this.advance();
      items.push({ andOr, background });
      const next = this.tok.type as Token['type']; // advance() changed it
      if (next === 'newline') {
        this.advance();
        break;
      }
      if (next === 'eof') break;
      if (!separated) throw this.unexpected();
    }
    return { kind: 'list', items };
  }

  // --- tokens ---

  private advance(): Token {
    const tok = this.tok;
    this.lastEnd = tok.end;
    this.tok = this.lexer.next();
    return tok;
  }

  private isOp(op: string): boolean {
    return this.tok.type === 'op' && this.tok.op === op;
  }

  /** Is the current token the reserved word `name` (an unquoted plain word)? */
  private isWord(name: string): boolean {
    return this.tok.type === 'word' && this.tok.word.raw === name && isPlain(this.tok.word);
  }

  private skipNewlines(): void {
    while (this.tok.type === 'newline') this.advance();
  }

  private unexpected(): ShellSyntaxError {
    const tok = this.tok;
    switch (tok.type) {
      case 'eof':
        return new ShellSyntaxError('syntax error: unexpected end of file', true);
      case 'newline':
        return new ShellSyntaxError('syntax error: unexpected newline', false);
      case 'op':
        return new ShellSyntaxError(`syntax error: unexpected "${tok.op}"`, false);
      case 'io':
        return new ShellSyntaxError(`syntax error: unexpected "${tok.fd}"`, false);
      case 'word':
        return new ShellSyntaxError(`syntax error: unexpected "${tok.word.raw}"`, false);
    }
  }

  private expectWord(name: string): void {
    if (!this.isWord(name)) throw this.unexpected();
    this.advance();
  }

  private expectOp(op: string): void {
    if (!this.isOp(op)) throw this.unexpected();
    this.advance();
  }

  private sourceFrom(start: number): string {
    return this.src.slice(start, this.lastEnd);
  }

  // --- lists ---

  /**
   * A compound list: and-ors separated by `;`, `&` or newlines, up to a token `stop` accepts
   * (a reserved word in command position, `)`, `;;`) or end of input.
   */
  private term(stop: () => boolean, allowEmpty = false): List {
    const items: ListItem[] = [];
    this.skipNewlines();
    while (!stop() && this.tok.type !== 'eof') {
      const andOr = this.andOr();
      const background = this.isOp('&');
      const separated = background || this.isOp(';') || this.tok.type === 'newline';
      if (background || this.isOp(';')) this.advance();
      this.skipNewlines();
      items.push({ andOr, background });
      if (!separated) break;
    }
    if (items.length === 0 && !allowEmpty) throw this.unexpected();
    return { kind: 'list', items };
  }

  private stopAtWords(...words: string[]): () => boolean {
    return () => words.some((w) => this.isWord(w));
  }

  private andOr(): AndOr {
    const start = this.tok.start;
    const first = this.pipeline();
    const rest: { op: '&&' | '||'; pipeline: Pipeline }[] = [];
    while (this.isOp('&&') || this.isOp('||')) {
      const op = (this.advance() as { op: '&&' | '||' }).op;
      this.skipNewlines();
      rest.push({ op, pipeline: this.pipeline() });
    }
    return { kind: 'andor', first, rest, source: this.sourceFrom(start) };
  }

  private pipeline(): Pipeline {
    const start = this.tok.start;
    const negate = this.isWord('!');
    if (negate) this.advance();
    const commands = [this.command()];
    while (this.isOp('|')) {
      this.advance();
      this.skipNewlines();
      commands.push(this.command());
    }
    return { kind: 'pipeline', negate, commands, source: this.sourceFrom(start) };
  }

  // --- commands ---

  private command(): Command {
    const tok = this.tok;
    const start = tok.start;
    if (this.isOp('(')) return this.subshell(start);
    if (tok.type === 'word' && isPlain(tok.word) && RESERVED.has(tok.word.raw)) {
      switch (tok.word.raw) {
        case 'if':
          return this.ifClause(start);
        case 'while':
        case 'until':
          return this.loop(start);
        case 'for':
          return this.forClause(start);
        case 'case':
          return this.caseClause(start);
        case '{':
          return this.group(start);
        default:
          throw this.unexpected();
      }
    }
    return this.simple(start);
  }

  private redirects(): Redirect[] {
    const out: Redirect[] = [];
    for (let r = this.redirect(); r !== null; r = this.redirect()) out.push(r);
    return out;
  }

  /** One redirection at the current token, or null when there is none. */
  private redirect(): Redirect | null {
    let fd: number | null = null;
    if (this.tok.type === 'io') {
      fd = this.tok.fd;
      this.advance();
    }
    const tok = this.tok;
    if (tok.type !== 'op' || !REDIRECT_OPS.has(tok.op)) {
      if (fd !== null) throw this.unexpected();
      return null;
    }
    const op = tok.op as RedirectOp;
    this.advance();
    const target = this.tok;
    if (target.type !== 'word') throw this.unexpected();
    const fdOrDefault = fd ?? (op.startsWith('<') ? 0 : 1);
    if (op === '<<' || op === '<<-') {
      // registered before advancing: the next token may be the newline the body follows
      const hereDoc: HereDoc = { body: { parts: [], raw: '' } };
      this.lexer.hereDoc(hereDoc, target.word, op === '<<-');
      this.advance();
      return { fd: fdOrDefault, op, target: target.word, hereDoc };
    }
    this.advance();
    return { fd: fdOrDefault, op, target: target.word };
  }

  private simple(start: number): Command {
    const assigns: Assignment[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const r = this.redirect();
      if (r !== null) {
        redirects.push(r);
        continue;
      }
      const tok = this.tok;
      if (tok.type !== 'word') break;
      const name = words.length === 0 ? assignmentName(tok.word) : null;
      if (name !== null) assigns.push(assignment(tok.word, name));
      else words.push(tok.word);
      this.advance();
    }
    if (assigns.length + words.length + redirects.length === 0) throw this.unexpected();
    const first = words[0];
    if (words.length === 1 && assigns.length === 0 && redirects.length === 0 && this.isOp('(') && first !== undefined) {
      return this.functionDef(start, first);
    }
    const cmd: SimpleCommand = { kind: 'simple', assigns, words, redirects, source: this.sourceFrom(start) };
    return cmd;
  }

  private functionDef(start: number, nameWord: Word): Command {
    if (!isPlain(nameWord) || !NAME.test(nameWord.raw)) throw this.unexpected();
    this.advance();
    this.expectOp(')');
    this.skipNewlines();
    const body = this.command();
    if (body.kind === 'simple' || body.kind === 'function') throw new ShellSyntaxError('syntax error: function body must be a compound command', false);
    return { kind: 'function', name: nameWord.raw, body, source: this.sourceFrom(start) };
  }

  private ifClause(start: number): IfClause {
    const branches: { cond: List; body: List }[] = [];
    let elseBody: List | null = null;
    this.advance();
    for (;;) {
      const cond = this.term(this.stopAtWords('then'));
      this.expectWord('then');
      const body = this.term(this.stopAtWords('elif', 'else', 'fi'));
      branches.push({ cond, body });
      if (this.isWord('elif')) {
        this.advance();
        continue;
      }
      if (this.isWord('else')) {
        this.advance();
        elseBody = this.term(this.stopAtWords('fi'));
      }
      this.expectWord('fi');
      break;
    }
    return { kind: 'if', branches, elseBody, redirects: this.redirects(), source: this.sourceFrom(start) };
  }

  private loop(start: number): LoopClause {
    const until = this.isWord('until');
    this.advance();
    const cond = this.term(this.stopAtWords('do'));
    const body = this.doGroup();
    return { kind: 'loop', until, cond, body, redirects: this.redirects(), source: this.sourceFrom(start) };
  }

  private doGroup(): List {
    this.expectWord('do');
    const body = this.term(this.stopAtWords('done'));
    this.expectWord('done');
    return body;
  }

  private forClause(start: number): ForClause {
    this.advance();
    const nameTok = this.tok;
    if (nameTok.type !== 'word' || !isPlain(nameTok.word) || !NAME.test(nameTok.word.raw)) throw this.unexpected();
    this.advance();
    let items: Word[] | null = null;
    this.skipNewlines();
    if (this.isWord('in')) {
      this.advance();
      items = [];
      for (let t = this.tok; t.type === 'word'; t = this.tok) {
        items.push(t.word);
        this.advance();
      }
      if (this.isOp(';') || this.tok.type === 'newline') this.advance();
      else throw this.unexpected();
      this.skipNewlines();
    } else if (this.isOp(';')) {
      this.advance();
      this.skipNewlines();
    }
    const body = this.doGroup();
    return { kind: 'for', name: nameTok.word.raw, items, body, redirects: this.redirects(), source: this.sourceFrom(start) };
  }

  private caseClause(start: number): CaseClause {
    this.advance();
    const subjectTok = this.tok;
    if (subjectTok.type !== 'word') throw this.unexpected();
    this.advance();
    this.skipNewlines();
    this.expectWord('in');
    this.skipNewlines();
    const items: { patterns: Word[]; body: List }[] = [];
    while (!this.isWord('esac')) {
      if (this.isOp('(')) this.advance();
      const patterns: Word[] = [];
      for (;;) {
        const tok = this.tok;
        if (tok.type !== 'word') throw this.unexpected();
        patterns.push(tok.word);
        this.advance();
        if (!this.isOp('|')) break;
        this.advance();
      }
      this.expectOp(')');
      const body = this.term(() => this.isOp(';;') || this.isWord('esac'), true);
      items.push({ patterns, body });
      if (!this.isOp(';;')) break;
      this.advance();
      this.skipNewlines();
    }
    this.expectWord('esac');
    return { kind: 'case', subject: subjectTok.word, items, redirects: this.redirects(), source: this.sourceFrom(start) };
  }

  private group(start: number): Group {
    this.advance();
    const body = this.term(this.stopAtWords('}'));
    this.expectWord('}');
    return { kind: 'group', body, redirects: this.redirects(), source: this.sourceFrom(start) };
  }

  private subshell(start: number): Subshell {
    this.advance();
    const bodyStart = this.tok.start;
    const body = this.term(() => this.isOp(')'));
    const bodySource = this.src.slice(bodyStart, this.lastEnd);
    this.expectOp(')');
    return { kind: 'subshell', body, bodySource, redirects: this.redirects(), source: this.sourceFrom(start) };
  }
}

/** Parses a whole source text into one list (throws ShellSyntaxError). */
export function parse(src: string): List {
  const parser = new Parser(src);
  const items: ListItem[] = [];
  for (let cmd = parser.nextCommand(); cmd !== null; cmd = parser.nextCommand()) items.push(...cmd.items);
  return { kind: 'list', items };
}
