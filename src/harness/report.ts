/**
 * What a check reports: a summary table (one row per property and target: runs, passes,
 * failures, the channels declared, metrics), every violation with its evidence, its shrunk input
 * and the command that replays it, and every declared channel with what went through it; or all
 * of it as JSON. Pure functions of the results. No state.
 */
import type { RunResult } from './property.js';
import type { ChannelReport } from './channels.js';

export interface Row {
  readonly property: string;
  readonly target: string;
  readonly runs: number;
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
  /** Channels declared in any run, by name. */
  readonly channels: readonly string[];
  /** Each metric's lowest and highest value over the runs. */
  readonly metrics: Readonly<Record<string, { readonly min: number; readonly max: number }>>;
}

export interface Summary {
  readonly runs: number;
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
  readonly rows: readonly Row[];
  /** Failed and erred runs, in plan order. */
  readonly violations: readonly RunResult[];
  /** Declared channels per property and target, merged over runs. */
  readonly channels: readonly { readonly property: string; readonly target: string; readonly channels: readonly ChannelReport[] }[];
}

export function summarize(results: readonly RunResult[]): Summary {
  const rows = new Map<string, { row: Row; channels: Map<string, ChannelReport> }>();
  for (const r of results) {
    const key = `${r.property}\0${r.target}`;
    let entry = rows.get(key);
    if (entry === undefined) {
      entry = { row: { property: r.property, target: r.target, runs: 0, passed: 0, failed: 0, errors: 0, channels: [], metrics: {} }, channels: new Map() };
      rows.set(key, entry);
    }
    const row = entry.row;
    const metrics: Record<string, { min: number; max: number }> = { ...row.metrics };
    for (const [name, value] of Object.entries(r.metrics)) {
      const m = metrics[name];
      metrics[name] = m === undefined ? { min: value, max: value } : { min: Math.min(m.min, value), max: Math.max(m.max, value) };
    }
    for (const c of r.channels) {
      const had = entry.channels.get(c.name);
      const cells = [...new Set([...(had?.cells ?? []), ...c.cells])];
      const evidence = [...(had?.evidence ?? []), ...c.evidence].slice(0, 3);
      entry.channels.set(c.name, { ...c, cells, evidence });
    }
    entry.row = {
      ...row,
      runs: row.runs + 1,
      passed: row.passed + (r.status === 'pass' ? 1 : 0),
      failed: row.failed + (r.status === 'fail' ? 1 : 0),
      errors: row.errors + (r.status === 'error' ? 1 : 0),
      channels: [...entry.channels.keys()].sort(),
      metrics,
    };
  }
  const list = [...rows.values()];
  return {
    runs: results.length,
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    errors: results.filter((r) => r.status === 'error').length,
    rows: list.map((e) => e.row),
    violations: results.filter((r) => r.status !== 'pass'),
    channels: list.filter((e) => e.channels.size > 0).map((e) => ({ property: e.row.property, target: e.row.target, channels: [...e.channels.values()] })),
  };
}

/** The summary table, the declared channels, then every violation. */
export function summaryText(s: Summary, artifactPaths: ReadonlyMap<RunResult, readonly string[]> = new Map()): string {
  const head = ['PROPERTY', 'TARGET', 'RUNS', 'PASS', 'FAIL', 'ERROR', 'CHANNELS (declared)', 'METRICS'];
  const body = s.rows.map((r) => [
    r.property,
    r.target,
    String(r.runs),
    String(r.passed),
    String(r.failed),
    String(r.errors),
    r.channels.join(',') || '-',
    Object.entries(r.metrics)
      .filter(([name]) => name === 'share' || name === 'overhead')
      .map(([name, m]) => `${name} ${m.min === m.max ? m.min : `${m.min}..${m.max}`}`)
      .join(' ') || '-',
  ]);
  const lines = [table([head, ...body]), ''];
  if (s.channels.length > 0) {
    lines.push('Declared channels (allowed by the cells\' mechanisms, not counted as violations):');
    const seen = new Set<string>();
    for (const entry of s.channels) {
      for (const c of entry.channels) {
        const key = `${c.name} ${entry.target}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const shown = c.evidence.length === 0 ? 'no difference seen' : `e.g. ${c.evidence[0]}`;
        lines.push(`  ${c.name} (${entry.target}: ${c.cells.join(', ')}): ${c.mechanism}; ${shown}`);
      }
    }
    lines.push('');
  }
  for (const v of s.violations) {
    lines.push(`${v.status === 'fail' ? 'VIOLATION' : 'ERROR'} ${v.property} on ${v.target}, seed ${v.seed}: ${v.summary ?? ''}`);
    for (const e of v.evidence) lines.push(`    ${e}`);
    if (v.input.length > 0) {
      lines.push(`  input${v.shrinks > 0 ? ` (shrunk in ${v.shrinks} steps)` : ''}:`);
      for (const i of v.input) lines.push(`    ${i}`);
    }
    for (const path of artifactPaths.get(v) ?? []) lines.push(`  scenario: ${path} (cellblock run ${path})`);
    if (v.replay !== '') lines.push(`  replay: ${v.replay}`);
    lines.push('');
  }
  const verdict = s.failed + s.errors === 0 ? 'all properties hold' : `${s.failed} violation${s.failed === 1 ? '' : 's'}, ${s.errors} error${s.errors === 1 ? '' : 's'}`;
  lines.push(`${s.runs} runs: ${s.passed} passed, ${s.failed} failed, ${s.errors} errors: ${verdict}`);
  return lines.join('\n') + '\n';
}

function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}
