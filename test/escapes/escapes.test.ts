/**
 * Runs the escape corpus (corpus.ts): every attempt must meet its expected outcome, and with the
 * mechanism it names switched off (src/kernel/unsafe.ts) the same attempt must escape, so no
 * entry passes by doing nothing. Each attempt gets a fresh world.
 */
import { describe, expect, it } from 'vitest';
import { MECHANISM_NAMES } from '../../src/kernel/unsafe.js';
import { buildWorld } from '../harness/world.js';
import { CORPUS, type Escape } from './corpus.js';

async function attempt(e: Escape, unsafe: boolean): Promise<string> {
  const w = await buildWorld({ attacker: e.cell, params: e.params, unsafe: unsafe ? [e.mechanism] : [] });
  let outcome = '';
  const r = await w.a.run(async (sys) => {
    outcome = await e.program(sys, { pids: w.pids });
    return 0;
  }, ['escape'], { uid: e.uid });
  if (r.exitCode !== 0 || r.stderr !== '') return `exit ${r.exitCode}: ${r.stderr.trim()}`;
  return e.after === undefined ? outcome : `${outcome} | ${e.after(w)}`;
}

describe('the escape corpus', () => {
  it('has at least 40 entries, uniquely named, each citing its class', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CORPUS.map((e) => e.name)).size).toBe(CORPUS.length);
    for (const e of CORPUS) expect(e.cites, e.name).toMatch(/CVE-\d{4}-\d+|\(\d\)/);
    for (const e of CORPUS) expect(e.escaped, e.name).not.toBe(e.expected);
  });

  it('relies on every mechanism the harness can switch off', () => {
    const used = new Set(CORPUS.map((e) => e.mechanism));
    // Mechanisms added for the property checks (after cellHierarchy) may have no escape entry.
    const mine = MECHANISM_NAMES.slice(0, MECHANISM_NAMES.indexOf('cellHierarchy') + 1);
    expect(mine.filter((m) => !used.has(m))).toEqual([]);
  });
});

describe.each(CORPUS.map((e) => [e.name, e] as const))('%s', (_name, e) => {
  it(`is stopped: ${e.expected.trim()}`, async () => {
    expect(await attempt(e, false)).toBe(e.expected);
  });

  it(`escapes once ${e.mechanism} is switched off`, async () => {
    expect(await attempt(e, true)).toBe(e.escaped);
  });
});
