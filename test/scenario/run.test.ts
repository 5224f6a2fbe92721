/**
 * The scenario runner: steps in order, concurrent groups, live updates at a virtual tick,
 * expectations counted, the transcript's closing line.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenario/run.js';
import { validateScenario, type Scenario } from '../../src/spec/index.js';

async function run(value: unknown): Promise<{ lines: string[]; passed: number; failed: number }> {
  const checked = validateScenario(value);
  if (!checked.ok) throw new Error(checked.errors.join('\n'));
  const lines: string[] = [];
  const r = await runScenario(checked.scenario as Scenario, { out: (line) => lines.push(line) });
  return { lines, passed: r.passed, failed: r.failed };
}

const JAIL = { kind: 'jail', name: 'w', path: '/jails/w', rootfs: 'minimal', persist: true, limits: { processes: 3 } };

describe('scenario runner', () => {
  it('raises a limit live at a virtual tick while another step runs', async () => {
    const r = await run({
      cells: [JAIL],
      steps: [
        { start: 'w' },
        // Four processes at once: refused with the limit at 3 (the shell and two sleepers)...
        { cell: 'w', run: 'sleep 1 & sleep 1 & sleep 1; echo after', expect: { stderrContains: 'Resource temporarily unavailable' } },
        // ...allowed once the update at tick 3000 lands, while this step waits for it.
        { cell: 'w', run: 'sleep 3; sleep 1 & sleep 1 & sleep 1; wait; echo done', concurrent: true, expect: { stdout: 'done\n', exitCode: 0 } },
        { update: 'w', set: { processes: 10 }, at: 3000, concurrent: true },
      ],
    });
    expect(r.lines).toContain('- update w processes=10 at 3000');
    expect(r.lines.at(-1)).toBe('4 passed, 0 failed');
    expect([r.passed, r.failed]).toEqual([4, 0]);
  });

  it('counts an unmet expectation as failed and says why', async () => {
    const r = await run({ cells: [], steps: [{ cell: 'host', run: 'echo hi', expect: { stdout: 'bye\n' } }] });
    expect(r.lines).toContain('  FAILED: stdout "hi\\n", expected "bye\\n"');
    expect(r.lines.at(-1)).toBe('0 passed, 1 failed');
  });

  it('rejects an update naming no cell, in validation', () => {
    const checked = validateScenario({ cells: [JAIL], steps: [{ update: 'ww', set: { processes: 1 } }] });
    expect(checked.ok).toBe(false);
    expect(checked.ok ? [] : checked.errors).toContain('steps[0]: unknown cell "ww" (did you mean "w"?)');
  });
});
