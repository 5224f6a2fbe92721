/**
 * Fuzzing: random command sequences keep isolation and accounting on the examples; with a
 * mechanism switched off a sequence breaks an invariant, shrinks to a step or two, and is written
 * as a scenario that `cellblock run`'s runner replays: it fails on the faulty kernel, at the
 * invariant, and passes on a sound one.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Kernel, type BootOptions } from '../../src/index.js';
import { fuzz, FUZZ_LIMITS, withFuzzLimits } from '../../src/harness/fuzz.js';
import { runProperty, type AnyProperty, type RunResult } from '../../src/harness/index.js';
import { runScenario } from '../../src/scenario/run.js';
import { validateScenario, type Scenario } from '../../src/spec/index.js';
import type { Mechanism } from '../../src/kernel/unsafe.js';
import { firstFailure, target } from './property-helpers.js';

const property = fuzz as unknown as AnyProperty;

afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs a scenario as `cellblock run` does, every kernel booted with `unsafe` switched off. */
async function replay(scenario: Scenario, unsafe: readonly Mechanism[]): Promise<{ failed: number; transcript: string }> {
  const boot = Kernel.boot.bind(Kernel);
  const spy = vi.spyOn(Kernel, 'boot').mockImplementation((options?: BootOptions) => boot({ ...options, unsafe }));
  const lines: string[] = [];
  try {
    const report = await runScenario(scenario, { out: (line) => lines.push(line) });
    return { failed: report.failed, transcript: lines.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

function scenarioOf(r: RunResult): Scenario {
  expect(r.artifacts).toHaveLength(1);
  const checked = validateScenario(JSON.parse(r.artifacts[0]!.content));
  if (!checked.ok) throw new Error(checked.errors.join('\n'));
  return checked.scenario;
}

describe('fuzz', () => {
  it('keeps every invariant on the examples', async () => {
    for (const name of ['www.jail.json', 'demo.scenario.json']) {
      const t = await target(name);
      for (let seed = 1; seed <= 3; seed++) expect((await runProperty(property, t, seed)).status).toBe('pass');
    }
  });

  it('gives fuzzed cells small limits where their spec sets none, and keeps the spec\'s own', () => {
    const spec = withFuzzLimits({ kind: 'jail', name: 'x', path: '/x', limits: { processes: 3 } });
    expect(spec.limits).toEqual({ ...FUZZ_LIMITS, processes: 3 });
  });

  it('writes an escape through `..` as a scenario that fails on the faulty kernel and passes on a sound one', async () => {
    const r = (await firstFailure(property, await target('demo.scenario.json'), ['confinement'], 10))!;
    expect(r).toBeDefined();
    expect(r.summary).toMatch(/^step \d+ \(".*\.\.\/\.\.\/\.\.\/\.\.\/.*" in \w+\) broke isolation/);
    expect(r.input.length).toBeLessThanOrEqual(2); // shrunk
    const scenario = scenarioOf(r);
    expect(scenario.seed).toBe(r.seed);
    const faulty = await replay(scenario, ['confinement']);
    expect(faulty.failed).toBeGreaterThan(0);
    expect(faulty.transcript).toMatch(/FAILED: stdout .*, expected /);
    const sound = await replay(scenario, []);
    expect(sound.failed).toBe(0);
  });

  it('writes a breach of limits as a scenario whose accounting probe fails on the faulty kernel', async () => {
    const r = (await firstFailure(property, await target('www.jail.json'), ['admission'], 20))!;
    expect(r).toBeDefined();
    expect(r.evidence.join('\n')).toMatch(/accounting: .*(peak \d+ > limit \d+|maxheld \d+ > limit \d+)/);
    const scenario = scenarioOf(r);
    const faulty = await replay(scenario, ['admission']);
    expect(faulty.failed).toBeGreaterThan(0);
    expect(faulty.transcript).toMatch(/FAILED: stdout ".*(maxheld|memory\.peak)/);
    expect((await replay(scenario, [])).failed).toBe(0);
  });

  it('writes a hostname that reaches the host as a scenario pinning what the host and the others see', async () => {
    const r = (await firstFailure(property, await target('db.zone.json'), ['utsVirtualization'], 10))!;
    expect(r).toBeDefined();
    expect(r.summary).toMatch(/^step \d+ \("hostname \w+" in db2?\) broke isolation/);
    expect(r.evidence.join('\n')).toMatch(/^isolation: host saw: localhost\n.*; now: \w+\n/ms);
    const scenario = scenarioOf(r);
    expect((await replay(scenario, ['utsVirtualization'])).failed).toBeGreaterThan(0);
    expect((await replay(scenario, [])).failed).toBe(0);
  });
});
