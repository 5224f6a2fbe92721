/**
 * `cellblock audit [--json|--markdown]`: the Popek–Goldberg audit of the syscall table
 * (src/harness/audit.ts). Needs no kernel and no state directory. Exit 0 when every sensitive
 * call is mediated; 1 naming each one that is not (on stderr, whatever the format); 2 when both
 * formats are asked for.
 */
import { audit, auditJson, auditMarkdown, auditText, type AuditRow } from '../src/harness/audit.js';
import { SYSCALLS } from '../src/kernel/syscall-table.js';

export interface AuditOptions {
  readonly json?: boolean;
  readonly markdown?: boolean;
  /** The table to audit: the kernel's unless a test hands in another. */
  readonly rows?: readonly AuditRow[];
}

export function auditCommand(options: AuditOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  if (options.json === true && options.markdown === true) {
    err.write('cellblock audit: --json and --markdown are alternatives; name one\n');
    return 2;
  }
  const result = audit(options.rows ?? SYSCALLS);
  out.write(options.json === true ? auditJson(result) : options.markdown === true ? auditMarkdown(result) : auditText(result));
  if (result.ok) return 0;
  err.write(`cellblock audit: sensitive calls not mediated: ${result.unmediated.join(', ')}\n`);
  return 1;
}
