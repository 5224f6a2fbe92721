/**
 * `cellblock audit`: the Popek–Goldberg verdict over the syscall table, in three formats, and
 * exit 1 naming a sensitive call the table leaves unmediated.
 */
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SYSCALLS } from '../../src/index.js';
import { audit, auditMarkdown, type AuditRow } from '../../src/harness/audit.js';
import { auditCommand, type AuditOptions } from '../../cmd/audit.js';
import { cellblock } from '../cli/cellblock.js';

function run(options: AuditOptions): { status: number; stdout: string; stderr: string } {
  const out = new PassThrough();
  const err = new PassThrough();
  const status = auditCommand(options, out, err);
  return { status, stdout: String(out.read() ?? ''), stderr: String(err.read() ?? '') };
}

/** A call that reads other cells' state and says nothing about how it is mediated. */
const PEEK: AuditRow = {
  name: 'peek_other_cell', family: 'proc', sensitive: true, mediation: [], gate: undefined, checks: [], charges: [], releases: [], cost: 1,
  doc: 'a made-up call that escapes the monitor',
};

describe('cellblock audit', () => {
  it('passes on the kernel\'s table: every sensitive call is mediated', () => {
    const r = run({});
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CALL +FAMILY +SENSITIVE +MEDIATION +GATE +CHECKS +CHARGES +VERDICT$/);
    expect(lines).toContainEqual(expect.stringMatching(/^sethostname +uts +yes +virtualized,privileged +sys_admin +- +- +ok$/));
    expect(lines).toContainEqual(expect.stringMatching(/^spawn +proc +yes +confined +- +- +processes,openFiles +ok$/));
    const a = audit(SYSCALLS);
    expect(lines.at(-1)).toBe(`${a.total} calls, ${a.sensitive} sensitive, ${a.mediated} mediated: every sensitive call is mediated`);
  });

  it('exits 1 naming a sensitive call that is not mediated, in every format', () => {
    const rows = [...SYSCALLS, PEEK];
    const text = run({ rows });
    expect(text.status).toBe(1);
    expect(text.stderr).toBe('cellblock audit: sensitive calls not mediated: peek_other_cell\n');
    expect(text.stdout).toMatch(/^peek_other_cell +proc +yes +- +- +- +- +UNMEDIATED$/m);
    expect(text.stdout).toMatch(/sensitive but not mediated: peek_other_cell\n$/);

    const json = run({ rows, json: true });
    expect(json.status).toBe(1);
    const parsed = JSON.parse(json.stdout) as { ok: boolean; unmediated: string[]; calls: { name: string; violation: boolean }[] };
    expect(parsed.ok).toBe(false);
    expect(parsed.unmediated).toEqual(['peek_other_cell']);
    expect(parsed.calls.filter((c) => c.violation).map((c) => c.name)).toEqual(['peek_other_cell']);

    const md = run({ rows, markdown: true });
    expect(md.status).toBe(1);
    expect(md.stdout).toContain('**Verdict:** ');
    expect(md.stdout).toContain('sensitive but not mediated: peek_other_cell.');
  });

  it('gives JSON a program can read: every row with its privileges and charges', () => {
    const r = run({ json: true });
    expect(r.status).toBe(0);
    const parsed = JSON.parse(r.stdout) as { ok: boolean; total: number; calls: { name: string; gate: string | null; checks: string[]; charges: string[] }[] };
    expect(parsed.ok).toBe(true);
    expect(parsed.total).toBe(SYSCALLS.length);
    expect(parsed.calls.find((c) => c.name === 'chroot')).toMatchObject({ gate: 'proc_chroot', checks: [] });
    expect(parsed.calls.find((c) => c.name === 'open')).toMatchObject({ gate: null, checks: ['file_dac_read', 'file_dac_write', 'proc_owner'], charges: ['openFiles', 'inodes'] });
  });

  it('prints docs/syscalls.md with --markdown', () => {
    const r = run({ markdown: true });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(new URL('../../docs/syscalls.md', import.meta.url), 'utf8'));
    expect(r.stdout).toBe(auditMarkdown(audit(SYSCALLS)));
  });

  it('refuses --json with --markdown (usage error)', () => {
    const r = run({ json: true, markdown: true });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('is a command of the CLI (cellblock audit)', () => {
    const r = cellblock(['audit', '--markdown']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(auditMarkdown(audit(SYSCALLS)));
    expect(cellblock(['audit', '--json', '--markdown']).status).toBe(2);
  });
});
