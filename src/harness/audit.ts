/**
 * The Popek–Goldberg audit of the syscall table: every call with its family, sensitivity,
 * mediation, privileges and charged resources, and the verdict that the sensitive calls are a
 * subset of the mediated ones (a monitor can be built when every sensitive instruction traps).
 * A pure function of the rows it is given, so a test can hand it a table that lies; rendered as
 * a text table (`cellblock audit`), JSON (`--json`) and markdown (`--markdown`, which is
 * docs/syscalls.md). No state.
 */
import { PRIVILEGES } from '../kernel/privileges.js';

/** What the audit reads of a row: SyscallRow fits, and so does a test's made-up row. */
export interface AuditRow {
  readonly name: string;
  readonly family: string;
  readonly sensitive: boolean;
  readonly mediation: readonly string[];
  readonly gate: string | undefined;
  readonly checks: readonly string[];
  readonly charges: readonly { readonly resource: string }[];
  readonly releases: readonly string[];
  readonly cost: number;
  readonly doc: string;
}

export interface AuditedCall {
  readonly name: string;
  readonly family: string;
  readonly sensitive: boolean;
  readonly mediation: readonly string[];
  readonly gate: string | null;
  readonly checks: readonly string[];
  readonly charges: readonly string[];
  readonly releases: readonly string[];
  readonly cost: number;
  readonly doc: string;
  /** Sensitive and not mediated: the table admits a call that escapes the monitor. */
  readonly violation: boolean;
}

export interface Audit {
  readonly calls: readonly AuditedCall[];
  readonly total: number;
  readonly sensitive: number;
  readonly mediated: number;
  /** The sensitive calls with no mediation, in table order; empty when the verdict holds. */
  readonly unmediated: readonly string[];
  /** Every sensitive call is mediated. */
  readonly ok: boolean;
}

export function audit(rows: readonly AuditRow[]): Audit {
  const calls = rows.map((row): AuditedCall => ({
    name: row.name,
    family: row.family,
    sensitive: row.sensitive,
    mediation: [...row.mediation],
    gate: row.gate ?? null,
    checks: [...row.checks],
    charges: row.charges.map((c) => c.resource),
    releases: [...row.releases],
    cost: row.cost,
    doc: row.doc,
    violation: row.sensitive && row.mediation.length === 0,
  }));
  const unmediated = calls.filter((c) => c.violation).map((c) => c.name);
  return {
    calls,
    total: calls.length,
    sensitive: calls.filter((c) => c.sensitive).length,
    mediated: calls.filter((c) => c.mediation.length > 0).length,
    unmediated,
    ok: unmediated.length === 0,
  };
}

/** The verdict in one line. */
export function verdict(a: Audit): string {
  const counts = `${a.total} calls, ${a.sensitive} sensitive, ${a.mediated} mediated`;
  return a.ok
    ? `${counts}: every sensitive call is mediated`
    : `${counts}: sensitive but not mediated: ${a.unmediated.join(', ')}`;
}

/** A plain text table, columns padded, then the verdict. */
export function auditText(a: Audit): string {
  const head = ['CALL', 'FAMILY', 'SENSITIVE', 'MEDIATION', 'GATE', 'CHECKS', 'CHARGES', 'VERDICT'];
  const rows = a.calls.map((c) => [
    c.name,
    c.family,
    c.sensitive ? 'yes' : 'no',
    c.mediation.join(',') || '-',
    c.gate ?? '-',
    c.checks.join(',') || '-',
    c.charges.join(',') || '-',
    c.violation ? 'UNMEDIATED' : 'ok',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line), '', verdict(a)].join('\n') + '\n';
}

export function auditJson(a: Audit): string {
  return JSON.stringify(a, null, 2) + '\n';
}

/** docs/syscalls.md: the table, the verdict and the privilege table. */
export function auditMarkdown(a: Audit): string {
  const lines = [
    '# Syscall table',
    '',
    'Generated from `src/kernel/syscall-table.ts` by `npm run docs` (the same text as',
    '`cellblock audit --markdown`); do not edit.',
    '',
    'A call is *sensitive* when it can read or change state beyond the caller\'s own process and cell.',
    'Mediation says how the kernel keeps it inside the cell: `virtualized` (answered from the cell\'s own',
    'namespace), `confined` (resolved within the caller\'s view: its root, the processes it may see),',
    '`privileged` (needs a privilege). *Gate* is the privilege checked before the handler runs; *checks*',
    'are privileges the handler asks for in some cases. Costs are in virtual ticks.',
    '',
    '| call | family | sensitive | mediation | gate | checks | charges | releases | cost | what it does |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const list = (items: readonly string[]): string => items.map((i) => `\`${i}\``).join(', ');
  for (const c of a.calls) {
    lines.push(
      `| \`${c.name}\` | ${c.family} | ${c.sensitive ? 'yes' : 'no'} | ${c.mediation.join(', ')} | ${c.gate === null ? '' : `\`${c.gate}\``} | ${list(c.checks)} | ${list(c.charges)} | ${list(c.releases)} | ${c.cost} | ${c.doc} |`,
    );
  }
  lines.push(
    '',
    '## Audit',
    '',
    'Popek and Goldberg: a monitor can be built when every sensitive instruction is privileged. Here: every',
    'sensitive call must be mediated at the boundary (`cellblock audit` exits 1 naming any that is not).',
    'A test runs every call marked insensitive inside a cell and checks nothing outside it changed',
    '(test/harness/insensitive.test.ts), so the table cannot lie about sensitivity.',
    '',
    `**Verdict:** ${verdict(a)}.`,
  );
  lines.push('', '## Privileges', '', '| privilege | grants |', '| --- | --- |');
  for (const [name, what] of Object.entries(PRIVILEGES)) lines.push(`| \`${name}\` | ${what} |`);
  return lines.join('\n') + '\n';
}
