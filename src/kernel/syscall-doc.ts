/**
 * docs/syscalls.md, generated from the syscall table and the privilege table (never written
 * by hand: a test fails when the file is stale; `npm run docs` rewrites it).
 */
import { PRIVILEGES, type Privilege } from './privileges.js';
import { SYSCALLS } from './syscall-table.js';

export function syscallTableMarkdown(): string {
  const lines = [
    '# Syscall table',
    '',
    'Generated from `src/kernel/syscall-table.ts` by `npm run docs`; do not edit.',
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
  const list = (items: readonly string[]): string => (items.length === 0 ? '' : items.map((i) => `\`${i}\``).join(', '));
  for (const row of SYSCALLS) {
    lines.push(
      `| \`${row.name}\` | ${row.family} | ${row.sensitive ? 'yes' : 'no'} | ${row.mediation.join(', ')} | ${row.gate === undefined ? '' : `\`${row.gate}\``} | ${list(row.checks)} | ${list(row.charges.map((c) => c.resource))} | ${list(row.releases)} | ${row.cost} | ${row.doc} |`,
    );
  }
  lines.push('', '## Privileges', '', '| privilege | grants |', '| --- | --- |');
  for (const [name, what] of Object.entries(PRIVILEGES) as [Privilege, string][]) lines.push(`| \`${name}\` | ${what} |`);
  return lines.join('\n') + '\n';
}
