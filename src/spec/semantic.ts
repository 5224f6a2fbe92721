/**
 * The checks a schema cannot express: reserved names, a jail's mount options, a zone's rctls and capped-memory
 * (zone-rctls.ts), network fields and a scenario's addresses and switches (network.ts), cell names unique in a scenario, a dotted jail's parent defined before it,
 * steps naming cells that exist, regular expressions that compile. They read the value
 * defensively: the schema may have failed on it too.
 */
import { parseMountOptions } from '../cells/fstab.js';
import { nearest } from '../util/nearest.js';
import { checkZoneControls } from './zone-rctls.js';
import { checkCellNetwork, checkScenarioNetwork } from './network.js';

/** A finding: the JSON-pointer segments of what it is about, and what is wrong. */
export interface Finding {
  readonly at: readonly string[];
  readonly text: string;
}

/** The name the cell `value` goes by, or undefined when it has none yet. */
export function cellNameOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const name = v.kind === 'zone' ? v.zonename : v.kind === 'jail' ? v.name : (v.name ?? v.zonename);
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** Names with a meaning of their own: the host cell in cellblock, the global zone in Solaris. */
const RESERVED: Readonly<Record<string, string>> = { host: 'the host cell', global: 'the global zone' };

export function checkCell(value: unknown): Finding[] {
  const zone = (value as { kind?: unknown } | null)?.kind === 'zone';
  const controls = [...(zone ? [...checkZoneControls(value), ...checkZoneFs(value)] : checkMountLines(value)), ...checkCellNetwork(value)];
  const name = cellNameOf(value);
  if (name === undefined || RESERVED[name] === undefined) return controls;
  const field = zone ? 'zonename' : 'name';
  return [{ at: [], text: `"${field}" must not be "${name}" (it names ${RESERVED[name]})` }, ...controls];
}

/** The options of a jail's `mount` lines, as mount(8) would take them (the schema checks the lines' shape). */
function checkMountLines(value: unknown): Finding[] {
  const findings: Finding[] = [];
  list(record(value).mount).forEach((line, i) => {
    const options = typeof line === 'string' ? line.trim().split(/\s+/)[3] : undefined;
    const parsed = options === undefined ? undefined : parseMountOptions(options);
    if (parsed !== undefined && 'error' in parsed) findings.push({ at: [], text: `"mount[${i}]": ${parsed.error}` });
  });
  return findings;
}

/** A zone's fs resources: options as mount(8) takes them, and a lofs special that is a global zone path. */
function checkZoneFs(value: unknown): Finding[] {
  const findings: Finding[] = [];
  list(record(value).fs).forEach((item, i) => {
    const fs = record(item);
    const options = list(fs.options).filter((o): o is string => typeof o === 'string');
    const parsed = parseMountOptions(options.join(','));
    if ('error' in parsed) findings.push({ at: [], text: `"fs[${i}].options": ${parsed.error}` });
    if (fs.type === 'lofs' && typeof fs.special === 'string' && !fs.special.startsWith('/')) {
      findings.push({ at: [], text: `"fs[${i}].special" must be an absolute path of the global zone for lofs (got "${fs.special}")` });
    }
  });
  return findings;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function checkCells(cells: readonly unknown[]): { findings: Finding[]; names: string[] } {
  const findings: Finding[] = [];
  const first = new Map<string, number>();
  cells.forEach((cell, i) => {
    const at = ['cells', String(i)];
    findings.push(...checkCell(cell).map((f) => ({ at, text: f.text })));
    const name = cellNameOf(cell);
    if (name === undefined) return;
    const earlier = first.get(name);
    if (earlier !== undefined) findings.push({ at, text: `"${name}" is already the name of cells[${earlier}]` });
    else first.set(name, i);
    const dot = name.lastIndexOf('.');
    if (record(cell).kind === 'jail' && dot > 0) {
      const parent = name.slice(0, dot);
      if ((first.get(parent) ?? i) >= i) findings.push({ at, text: `parent jail "${parent}" is not defined before it` });
    }
  });
  return { findings, names: [...first.keys()] };
}

const ACTIONS = ['cell', 'start', 'stop', 'destroy', 'update'] as const;

function checkStep(step: Record<string, unknown>, at: string[], names: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  for (const action of ACTIONS) {
    const target = step[action];
    if (typeof target !== 'string') continue;
    if (target === 'host') {
      if (action !== 'cell') findings.push({ at, text: `cannot ${action} the host` });
    } else if (!names.includes(target)) {
      const guess = nearest(target, [...names, 'host']);
      findings.push({ at, text: `unknown cell "${target}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`}` });
    }
  }
  const pattern = record(step.expect).stdoutMatches;
  if (typeof pattern === 'string') {
    try {
      new RegExp(pattern);
    } catch (err) {
      findings.push({ at, text: `"expect.stdoutMatches" is not a valid regular expression: ${(err as Error).message}` });
    }
  }
  return findings;
}

export function checkScenario(value: unknown): Finding[] {
  const scenario = record(value);
  const { findings, names } = checkCells(list(scenario.cells));
  findings.push(...checkScenarioNetwork(value));
  list(scenario.steps).forEach((step, i) => findings.push(...checkStep(record(step), ['steps', String(i)], names)));
  return findings;
}
