/**
 * Shell arithmetic, `$(( ... ))` (XCU 2.6.4): integer C expressions with variables named
 * bare or with `$` (already expanded by then), assignment (`=`, `+=`, ...) and `?:`.
 * Errors are ShellErrors with dash's wording, minus the line number.
 */
import { ShellError } from './errors.js';

export interface ArithVars {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

type Tok = { t: 'num'; v: number } | { t: 'name'; v: string } | { t: 'op'; v: string } | { t: 'end' };

const OPS = ['<<=', '>>=', '<=', '>=', '==', '!=', '&&', '||', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=',
  '+', '-', '*', '/', '%', '<', '>', '!', '~', '&', '|', '^', '(', ')', '?', ':', '='];

/** Binary operators by precedence level, lowest first. */
const LEVELS: readonly (readonly string[])[] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

/** Parses a number the way C does: 0x hex, leading-0 octal, else decimal. */
export function parseNumber(text: string): number | null {
  const s = text.trim();
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (m === null) return null;
  const body = m[2]!;
  const n = body.startsWith('0x') || body.startsWith('0X') ? parseInt(body.slice(2), 16) : body.startsWith('0') ? parseInt(body, 8) : parseInt(body, 10);
  return m[1] === '-' ? -n : n;
}

function tokenize(expr: string, fail: (what: string) => ShellError): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < expr.length) {
    const rest = expr.slice(i);
    const space = /^\s+/.exec(rest);
    const num = /^[0-9][0-9a-zA-Z]*/.exec(rest);
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (space) i += space[0].length;
    else if (num) {
      const v = parseNumber(num[0]);
      if (v === null) throw fail('expecting EOF');
      out.push({ t: 'num', v });
      i += num[0].length;
    } else if (name) {
      out.push({ t: 'name', v: name[0] });
      i += name[0].length;
    } else {
      const op = OPS.find((o) => rest.startsWith(o));
      if (op === undefined) throw fail('expecting EOF');
      out.push({ t: 'op', v: op });
      i += op.length;
    }
  }
  out.push({ t: 'end' });
  return out;
}

/** Results are integers; -0 prints as 0. */
const toInt = (n: number): number => Math.trunc(n) || 0;

class Evaluator {
  private i = 0;

  constructor(
    private readonly toks: Tok[],
    private readonly vars: ArithVars,
    private readonly fail: (what: string) => ShellError,
  ) {}

  run(): number {
    const v = this.assign(true);
    if (this.peek().t !== 'end') throw this.fail('expecting EOF');
    return v;
  }

  private peek(): Tok {
    return this.toks[this.i]!;
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === op;
  }

  private variable(name: string): number {
    const text = this.vars.get(name) ?? '';
    if (text.trim() === '') return 0;
    const n = parseNumber(text);
    if (n === null) throw new ShellError(`Illegal number: ${text}`);
    return n;
  }

  /** Assignment is right-associative and binds loosest; `live` false skips side effects. */
  private assign(live: boolean): number {
    const t = this.peek();
    const next = this.toks[this.i + 1];
    if (t.t === 'name' && next?.t === 'op' && /^(<<|>>|[-+*/%&|^])?=$/.test(next.v)) {
      this.i += 2;
      const rhs = this.assign(live);
      const value = next.v === '=' ? rhs : this.binary(next.v.slice(0, -1), this.variable(t.v), rhs, live);
      if (live) this.vars.set(t.v, String(value));
      return value;
    }
    return this.ternary(live);
  }

  private ternary(live: boolean): number {
    const cond = this.level(0, live);
    if (!this.isOp('?')) return cond;
    this.i++;
    const a = this.assign(live && cond !== 0);
    if (!this.isOp(':')) throw this.fail('expecting ":"');
    this.i++;
    const b = this.assign(live && cond === 0);
    return cond !== 0 ? a : b;
  }

  private level(n: number, live: boolean): number {
    const ops = LEVELS[n];
    if (ops === undefined) return this.unary(live);
    let left = this.level(n + 1, live);
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || !ops.includes(t.v)) return left;
      this.i++;
      // && and || do not evaluate (or assign in) their right side when the left decides
      const rightLive = live && !(t.v === '&&' && left === 0) && !(t.v === '||' && left !== 0);
      const right = this.level(n + 1, rightLive);
      left = this.binary(t.v, left, right, rightLive);
    }
  }

  private binary(op: string, a: number, b: number, live: boolean): number {
    switch (op) {
      case '||': return a !== 0 || b !== 0 ? 1 : 0;
      case '&&': return a !== 0 && b !== 0 ? 1 : 0;
      case '|': return a | b;
      case '^': return a ^ b;
      case '&': return a & b;
      case '==': return a === b ? 1 : 0;
      case '!=': return a !== b ? 1 : 0;
      case '<': return a < b ? 1 : 0;
      case '>': return a > b ? 1 : 0;
      case '<=': return a <= b ? 1 : 0;
      case '>=': return a >= b ? 1 : 0;
      case '<<': return a << b;
      case '>>': return a >> b;
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      case '/':
      case '%':
        if (b === 0) {
          if (!live) return 0;
          throw this.fail('division by zero');
        }
        return op === '/' ? Math.trunc(a / b) : a % b;
      default:
        throw this.fail('expecting EOF');
    }
  }

  private unary(live: boolean): number {
    const t = this.peek();
    if (t.t === 'op' && ['-', '+', '!', '~'].includes(t.v)) {
      this.i++;
      const v = this.unary(live);
      return t.v === '-' ? -v : t.v === '+' ? v : t.v === '!' ? (v === 0 ? 1 : 0) : ~v;
    }
    return this.primary(live);
  }

  private primary(live: boolean): number {
    const t = this.peek();
    if (t.t === 'num') {
      this.i++;
      return t.v;
    }
    if (t.t === 'name') {
      this.i++;
      return this.variable(t.v);
    }
    if (t.t === 'op' && t.v === '(') {
      this.i++;
      const v = this.assign(live);
      if (!this.isOp(')')) throw this.fail('expecting ")"');
      this.i++;
      return v;
    }
    throw this.fail('expecting primary');
  }
}

/** Evaluates an arithmetic expression (its $ expansions already done). Empty is 0. */
export function evaluate(expr: string, vars: ArithVars): number {
  const fail = (what: string): ShellError => new ShellError(`arithmetic expression: ${what}: "${expr}"`);
  if (expr.trim() === '') return 0;
  return toInt(new Evaluator(tokenize(expr, fail), vars, fail).run());
}
