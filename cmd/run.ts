/**
 * `cellblock run SCENARIO.json [--seed N] [--trace FILE] [--top] [--pcap FILE]`: one fresh
 * kernel (the state directory is not touched), the scenario's network, cells and steps, a
 * transcript on stdout; exit 0 exactly when every expectation holds, 1 when one fails, 2 when
 * the scenario is invalid. `--top` adds a live table of the cells (src/scenario/top.ts): redrawn
 * in place on a terminal, a block of plain lines per virtual second otherwise. `--pcap FILE`
 * (else the scenario's `pcap` file) writes the captured switch's traffic as a pcap file.
 */
import { runScenario } from '../src/scenario/run.js';
import { pcapFile } from '../src/scenario/network.js';
import { withPcapFile } from './pcap-file.js';
import { TopView } from '../src/scenario/top.js';
import { loadScenarioFile } from '../src/spec/index.js';
import { report } from './session.js';
import { withTraceFile } from './trace-file.js';

export async function runCommand(args: { file: string; seed: number | undefined; trace: string | undefined; top?: boolean; pcap?: string }): Promise<number> {
  const loaded = await loadScenarioFile(args.file);
  if (!loaded.ok) {
    for (const line of loaded.errors) process.stderr.write(`${line}\n`);
    return 2;
  }
  const write = (text: string): void => void process.stdout.write(text);
  let top: TopView | undefined;
  const out = (line: string): void => (top === undefined ? write(`${line}\n`) : top.out(line));
  const onBoot = args.top === true ? (k: ConstructorParameters<typeof TopView>[0]) => void (top = new TopView(k, { tty: process.stdout.isTTY === true, write })) : undefined;
  return withTraceFile(args.trace, async (trace) => {
    try {
      return await withPcapFile(args.pcap ?? pcapFile(loaded.scenario), async (pcap) => {
        const result = await runScenario(loaded.scenario, { seed: args.seed, trace, out, onBoot, pcap });
        top?.finish();
        return result.failed === 0 ? 0 : 1;
      });
    } catch (err) {
      return report(err);
    }
  });
}
