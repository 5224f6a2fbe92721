/**
 * Invariants of the syscall table, checked where the table lives.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRIVILEGES, SYSCALLS } from '../../src/index.js';
import { syscallTableMarkdown } from '../../src/kernel/syscall-doc.js';

describe('the syscall table', () => {
  it('mediates every sensitive call', () => {
    const unmediated = SYSCALLS.filter((row) => row.sensitive && row.mediation.length === 0).map((row) => row.name);
    expect(unmediated).toEqual([]);
  });

  it('names only privileges the privilege table knows, and gates every call marked privileged', () => {
    for (const row of SYSCALLS) {
      for (const privilege of [row.gate, ...row.checks]) if (privilege !== undefined) expect(Object.keys(PRIVILEGES)).toContain(privilege);
      if (row.mediation.includes('privileged')) expect(row.gate !== undefined || row.checks.length > 0, row.name).toBe(true);
      if (row.gate !== undefined || row.checks.length > 0) expect(row.mediation, row.name).toContain('privileged');
    }
  });

  it('releases somewhere every resource it charges', () => {
    const released = new Set(SYSCALLS.flatMap((row) => row.releases));
    // Descriptors are also released by exit (every descriptor closes) and disk by unlink/truncate.
    for (const row of SYSCALLS) for (const { resource } of row.charges) expect(released.has(resource) || resource === 'disk' || resource === 'memory', `${row.name} charges ${resource}`).toBe(true);
  });

  it('has unique names and non-negative costs', () => {
    const names = SYSCALLS.map((row) => row.name);
    expect(new Set(names).size).toBe(names.length);
    for (const row of SYSCALLS) expect(row.cost).toBeGreaterThanOrEqual(0);
  });

  it('matches docs/syscalls.md (run `npm run docs` after changing the table)', () => {
    const onDisk = readFileSync(new URL('../../docs/syscalls.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(syscallTableMarkdown());
  });
});
