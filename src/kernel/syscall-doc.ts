/**
 * docs/syscalls.md, generated from the syscall table and the privilege table through the audit
 * (src/harness/audit.ts: the same markdown as `cellblock audit --markdown`). Never written by
 * hand: a test fails when the file is stale; `npm run docs` rewrites it.
 */
import { audit, auditMarkdown } from '../harness/audit.js';
import { SYSCALLS } from './syscall-table.js';

export function syscallTableMarkdown(): string {
  return auditMarkdown(audit(SYSCALLS));
}
