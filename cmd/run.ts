/**
 * `cellblock run SCENARIO.json [--seed N] [--trace FILE]`: one fresh kernel (the state directory
 * is not touched), the scenario's cells and steps, a transcript on stdout; exit 0 exactly when
 * every expectation holds, 1 when one fails, 2 when the scenario is invalid.
 */
import { runScenario } from '../src/scenario/run.js';
import { loadScenarioFile } from '../src/spec/index.js';
import { report } from './session.js';
import { withTraceFile } from './trace-file.js';

export async function runCommand(args: { file: string; seed: number | undefined; trace: string | undefined }): Promise<number> {
  const loaded = await loadScenarioFile(args.file);
  if (!loaded.ok) {
    for (const line of loaded.errors) process.stderr.write(`${line}\n`);
    return 2;
  }
  return withTraceFile(args.trace, async (trace) => {
    try {
      const result = await runScenario(loaded.scenario, { seed: args.seed, trace, out: (line) => process.stdout.write(`${line}\n`) });
      return result.failed === 0 ? 0 : 1;
    } catch (err) {
      return report(err);
    }
  });
}
