/** Every example scenario in specs/examples runs with every expectation met. */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenario/run.js';
import { loadScenarioFile } from '../../src/spec/index.js';

const EXAMPLES = new URL('../../specs/examples/', import.meta.url);
const scenarios = readdirSync(EXAMPLES).filter((f) => f.endsWith('.scenario.json')).sort();

describe('example scenarios', () => {
  it('include the demo and the web scenario', () => {
    expect(scenarios).toEqual(expect.arrayContaining(['demo.scenario.json', 'web.scenario.json']));
  });

  it.each(scenarios)('%s passes', async (file) => {
    const loaded = await loadScenarioFile(fileURLToPath(new URL(file, EXAMPLES)));
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const lines: string[] = [];
    const r = await runScenario(loaded.scenario, { out: (line) => lines.push(line) });
    expect(lines.filter((l) => l.includes('FAILED')), lines.join('\n')).toEqual([]);
    expect(r.failed).toBe(0);
    expect(r.passed).toBe(loaded.scenario.steps.length);
  });
});
