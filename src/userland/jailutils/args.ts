/**
 * jail(8)'s command-line jail: `param=value`, `param` or `noparam` words, pseudo-parameters
 * (exec.*, mount.*), and `command=...`, which takes the rest of the line as its argument vector.
 * Every bad word is reported, not only the first (jail(8) checks them all before failing).
 */
import { emptyDraft, findParam, isPseudo, parseValue, positiveName, pseudoType, type Draft, type JailParam, type ParamValue } from './params.js';

export interface JailSpec {
  readonly draft: Draft;
  /** Kernel parameters given, with their values, for -m's create-only check. */
  readonly given: ReadonlyMap<JailParam, ParamValue>;
  /** Pseudo-parameters (exec.start, exec.stop, mount.devfs, ...): every value, in order. */
  readonly pseudo: ReadonlyMap<string, readonly ParamValue[]>;
  /** `command=`: one argument vector, run after exec.start. */
  readonly command: readonly string[];
}

/** A pseudo-parameter's string values (exec.start: each one command), empty ones dropped. */
export function pseudoStrings(spec: JailSpec, name: string): string[] {
  return (spec.pseudo.get(name) ?? []).filter((v): v is string => typeof v === 'string' && v !== '');
}

/** A boolean pseudo-parameter: its last value wins. */
export function pseudoFlag(spec: JailSpec, name: string): boolean {
  return spec.pseudo.get(name)?.at(-1) === true;
}

export function parseJailArgs(words: readonly string[]): { spec: JailSpec; errors: string[] } {
  const draft = emptyDraft();
  const given = new Map<JailParam, ParamValue>();
  const pseudo = new Map<string, ParamValue[]>();
  const command: string[] = [];
  const errors: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    const raw = eq < 0 ? undefined : word.slice(eq + 1);
    if (name === 'command') {
      if (raw !== undefined) command.push(raw);
      command.push(...words.slice(i + 1));
      break;
    }
    const positive = positiveName(name);
    const pseudoName = isPseudo(name) ? name : positive !== undefined && isPseudo(positive) ? positive : undefined;
    if (pseudoName !== undefined) {
      const negated = pseudoName !== name;
      const value = negated && pseudoType(pseudoName) !== 'bool' ? { error: `unknown parameter: ${name}` } : parseValue(pseudoName, pseudoType(pseudoName), raw, negated);
      if (typeof value === 'object') errors.push(value.error);
      else pseudo.set(pseudoName, [...(pseudo.get(pseudoName) ?? []), value]);
      continue;
    }
    const found = findParam(name);
    if (found?.param.set === undefined) {
      errors.push(`unknown parameter: ${name}`);
      continue;
    }
    const value = parseValue(found.param.name, found.param.type, raw, found.negated);
    if (typeof value === 'object') {
      errors.push(value.error);
      continue;
    }
    found.param.set(draft, value);
    given.set(found.param, value);
  }
  return { spec: { draft, given, pseudo, command }, errors };
}
