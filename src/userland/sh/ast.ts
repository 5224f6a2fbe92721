/**
 * The shell's syntax tree. Every command node keeps `source`, the exact text it was parsed
 * from: a command that must run in a child shell (a pipeline stage that is a builtin or a
 * compound command, a background list, a subshell) is re-run as `/bin/sh -c <source>`.
 */

/** One piece of a word; `quoted` parts are neither field-split nor globbed. */
export type WordPart =
  | { readonly kind: 'lit'; readonly value: string; readonly quoted: boolean }
  | {
      readonly kind: 'param';
      readonly name: string;
      readonly op: ParamOp | null;
      readonly arg: Word | null;
      readonly quoted: boolean;
    }
  | { readonly kind: 'arith'; readonly expr: Word; readonly quoted: boolean }
  | { readonly kind: 'cmdsub'; readonly source: string; readonly quoted: boolean };

/** `${name<op>word}` operators; `len` is `${#name}`. */
export type ParamOp = '-' | ':-' | '=' | ':=' | '+' | ':+' | '?' | ':?' | '#' | '##' | '%' | '%%' | 'len';

export interface Word {
  readonly parts: readonly WordPart[];
  /** The word as written, quotes included. */
  readonly raw: string;
}

export type RedirectOp = '<' | '>' | '>>' | '>|' | '<>' | '<&' | '>&' | '<<' | '<<-';

export interface Redirect {
  readonly fd: number;
  readonly op: RedirectOp;
  /** The file, descriptor, or for `<<` the delimiter as written. */
  readonly target: Word;
  /** For `<<`: the body, read after the end of the line that holds the redirection. */
  readonly hereDoc?: HereDoc;
}

/**
 * A here-document body. Mutable because the lexer only reaches it after the parser has built
 * the command: the body follows the next newline. Quoted delimiters make a literal body.
 */
export interface HereDoc {
  body: Word;
}

export interface Assignment {
  readonly name: string;
  readonly value: Word;
}

interface Node {
  readonly source: string;
}

interface Compound extends Node {
  readonly redirects: readonly Redirect[];
}

export interface SimpleCommand extends Compound {
  readonly kind: 'simple';
  readonly assigns: readonly Assignment[];
  readonly words: readonly Word[];
}

export interface IfClause extends Compound {
  readonly kind: 'if';
  readonly branches: readonly { readonly cond: List; readonly body: List }[];
  readonly elseBody: List | null;
}

export interface LoopClause extends Compound {
  readonly kind: 'loop';
  /** `until` loops run while the condition fails. */
  readonly until: boolean;
  readonly cond: List;
  readonly body: List;
}

export interface ForClause extends Compound {
  readonly kind: 'for';
  readonly name: string;
  /** null: `for NAME; do` iterates over "$@". */
  readonly items: readonly Word[] | null;
  readonly body: List;
}

export interface CaseClause extends Compound {
  readonly kind: 'case';
  readonly subject: Word;
  readonly items: readonly { readonly patterns: readonly Word[]; readonly body: List }[];
}

export interface Group extends Compound {
  readonly kind: 'group';
  readonly body: List;
}

export interface Subshell extends Compound {
  readonly kind: 'subshell';
  readonly body: List;
  /** The text between the parentheses. */
  readonly bodySource: string;
}

export interface FunctionDef extends Node {
  readonly kind: 'function';
  readonly name: string;
  readonly body: Command;
}

export type Command = SimpleCommand | IfClause | LoopClause | ForClause | CaseClause | Group | Subshell | FunctionDef;

export interface Pipeline extends Node {
  readonly kind: 'pipeline';
  readonly negate: boolean;
  readonly commands: readonly Command[];
}

export interface AndOr extends Node {
  readonly kind: 'andor';
  readonly first: Pipeline;
  readonly rest: readonly { readonly op: '&&' | '||'; readonly pipeline: Pipeline }[];
}

export interface ListItem {
  readonly andOr: AndOr;
  readonly background: boolean;
}

export interface List {
  readonly kind: 'list';
  readonly items: readonly ListItem[];
}
