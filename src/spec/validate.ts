/**
 * Whole-document validation: the schema's errors and the semantic findings, every one at once,
 * each prefixed with where it is: `www: ...` for a spec, `demo.scenario.json: cells[1] (db): ...`
 * or `steps[3]: ...` in a scenario.
 */
import type { ErrorObject } from 'ajv';
import { describeError, type Noun, pathSegments } from './messages.js';
import { validators } from './schemas.js';
import { cellNameOf, checkCell, checkScenario, type Finding } from './semantic.js';
import type { CellSpec, Scenario } from './types.js';

export type SpecResult = { ok: true; spec: CellSpec } | { ok: false; errors: string[] };
export type ScenarioResult = { ok: true; scenario: Scenario } | { ok: false; errors: string[] };

function nounOf(cell: unknown): Noun {
  return (cell as { kind?: unknown } | null)?.kind === 'zone' ? 'property' : 'parameter';
}

/** How a cell is named in messages: its name, else its kind, else "cell". */
function cellLabel(cell: unknown): string {
  const kind = (cell as { kind?: unknown } | null)?.kind;
  return cellNameOf(cell) ?? (typeof kind === 'string' && kind !== '' ? kind : 'cell');
}

/** Where a finding is in a scenario: its prefix, a sort key, and the fields' noun below it. */
interface Place {
  readonly where: string;
  readonly order: number;
  readonly noun: Noun;
  readonly depth: number;
}

function placeInScenario(value: unknown, at: readonly string[]): Place {
  const [section, index] = at;
  if (index !== undefined && (section === 'cells' || section === 'steps')) {
    const i = Number(index);
    if (section === 'steps') return { where: `steps[${i}]`, order: 2e9 + i, noun: 'field', depth: 2 };
    const cell = (value as { cells: unknown[] }).cells[i];
    const name = cellNameOf(cell);
    return { where: `cells[${i}]${name === undefined ? '' : ` (${name})`}`, order: 1e9 + i, noun: nounOf(cell), depth: 2 };
  }
  return { where: '', order: 0, noun: 'field', depth: 0 };
}

function schemaFindings(errors: readonly ErrorObject[] | null | undefined, nounAt: (at: readonly string[]) => [Noun, number]): Finding[] {
  const findings: Finding[] = [];
  for (const error of errors ?? []) {
    const at = pathSegments(error.instancePath);
    const [noun, depth] = nounAt(at);
    const text = describeError(error, at.slice(depth), noun);
    if (text !== undefined) findings.push({ at, text });
  }
  return findings;
}

function joined(...parts: (string | undefined)[]): string {
  return parts.filter((p) => p !== undefined && p !== '').join(': ');
}

function unique(lines: readonly string[]): string[] {
  return [...new Set(lines)];
}

/** Checks a jail or zone spec. `source` (a file name) prefixes every message when given. */
export function validateSpec(value: unknown, source?: string): SpecResult {
  const valid = validators().cell(value);
  const noun = nounOf(value);
  const findings = [...schemaFindings(validators().cell.errors, () => [noun, 0]), ...checkCell(value)];
  if (valid && findings.length === 0) return { ok: true, spec: value as CellSpec };
  return { ok: false, errors: unique(findings.map((f) => joined(source, cellLabel(value), f.text))) };
}

/** Checks a scenario, its cells and its steps. `source` prefixes every message when given. */
export function validateScenario(value: unknown, source?: string): ScenarioResult {
  const valid = validators().scenario(value);
  const placed = (at: readonly string[]): Place => placeInScenario(value, at);
  const findings = [
    ...schemaFindings(validators().scenario.errors, (at) => [placed(at).noun, placed(at).depth]),
    ...checkScenario(value),
  ];
  if (valid && findings.length === 0) return { ok: true, scenario: value as Scenario };
  const sorted = findings.map((f, i) => ({ f, i, place: placed(f.at) })).sort((a, b) => a.place.order - b.place.order || a.i - b.i);
  return { ok: false, errors: unique(sorted.map(({ f, place }) => joined(source, place.where, f.text))) };
}

/** A scenario is an object with cells or steps; anything else is checked as a cell spec. */
export function isScenarioLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !('kind' in value) && ('cells' in value || 'steps' in value);
}
