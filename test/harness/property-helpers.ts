/** Helpers for harness tests: load an example target, run a property over a few seeds. */
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { loadTarget, runProperty, type AnyProperty, type RunResult, type Target } from '../../src/harness/index.js';
import type { Mechanism } from '../../src/kernel/unsafe.js';

export const EXAMPLE = (name: string): string => fileURLToPath(new URL(`../../specs/examples/${name}`, import.meta.url));

export async function target(name: string): Promise<Target> {
  const loaded = await loadTarget(EXAMPLE(name), name);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.target;
}

/** The first run among seeds 1..runs that does not pass, with these mechanisms off. */
export async function firstFailure(property: AnyProperty, t: Target, unsafe: readonly Mechanism[], runs: number): Promise<RunResult | undefined> {
  for (let seed = 1; seed <= runs; seed++) {
    const r = await runProperty(property, t, seed, { unsafe });
    if (r.status !== 'pass') return r;
  }
  return undefined;
}

/**
 * Switching `unsafe` off makes `property` fail on `t` within `runs` seeds, with evidence, a shrunk
 * input and a replay command; the same seed passes with every mechanism on. Returns the failure.
 */
export async function failsWithout(property: AnyProperty, t: Target, unsafe: readonly Mechanism[], runs = 12): Promise<RunResult> {
  for (const m of unsafe) expect(property.relies).toContain(m);
  const failed = await firstFailure(property, t, unsafe, runs);
  expect(failed, `${property.name} never failed on ${t.name} without ${unsafe.join(', ')}`).toBeDefined();
  const r = failed!;
  expect(r.status).toBe('fail');
  expect(r.evidence.length).toBeGreaterThan(0);
  expect(r.input.length).toBeGreaterThan(0);
  expect(r.replay).toBe(`cellblock check ${t.name} --property ${property.name} --seed ${r.seed} --runs 1`);
  const safe = await runProperty(property, t, r.seed);
  expect(safe.status, `${property.name} seed ${r.seed} fails with every mechanism on: ${safe.summary}`).toBe('pass');
  return r;
}
