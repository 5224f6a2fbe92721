/**
 * Runs a scenario: one kernel, its network (the host's address, extra switches, link settings,
 * a capture), its cells, and its steps in order (concurrent steps together), writing a
 * readable transcript. Each run step's expectations are checked; the report counts what held.
 * A step with `at` starts no earlier than that virtual tick. What programs and zoneadm write to
 * the console goes into the transcript as `[console]` lines.
 */
import { Kernel } from '../kernel/kernel.js';
import type { ExecResult } from '../kernel/host-api.js';
import type { Program } from '../kernel/abi.js';
import { CellError } from '../cells/lifecycle-table.js';
import type { ManagedCell } from '../cells/managed.js';
import { isRunStep, type RunStep, type Scenario, type ScenarioStep, type StepExpectation, type UpdateStep } from '../spec/index.js';
import { kernelLimits } from '../cells/limits.js';
import { findInPath } from '../userland/lib.js';
import { PcapWriter } from '../net/pcap.js';
import { applyLinks, pcapSwitch, setUpNetwork } from './network.js';

export interface ScenarioOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  readonly trace?: (line: string) => void;
  /** Receives the transcript, line by line. */
  readonly out: (line: string) => void;
  /** Called with the new kernel before anything runs in it (for observers such as --top). */
  readonly onBoot?: (k: Kernel) => void;
  /**
   * Receives the pcap file of the scenario's captured switch (its `pcap` field's, else the
   * default) as it grows: the header first, then one chunk per frame.
   */
  readonly pcap?: (chunk: Uint8Array) => void;
}

export interface ScenarioReport {
  readonly passed: number;
  readonly failed: number;
  /** Virtual ticks the scenario took. */
  readonly ticks: number;
}

export async function runScenario(scenario: Scenario, options: ScenarioOptions): Promise<ScenarioReport> {
  const seed = options.seed ?? scenario.seed ?? 1;
  const out = options.out;
  const consoleLines = new ConsoleLines(out);
  const network = scenario.network === undefined ? undefined : { ...scenario.network };
  const k = await Kernel.boot({ seed, cpus: scenario.cpus, trace: options.trace, network, consoleOutput: (data) => consoleLines.write(data) });
  options.onBoot?.(k);
  out(`# ${scenario.name ?? 'scenario'} (seed ${seed})`);
  for (const line of setUpNetwork(k, scenario)) out(line);
  if (options.pcap !== undefined) {
    const name = pcapSwitch(scenario);
    k.net.switchNamed(name).captures.push(new PcapWriter({ sink: options.pcap }));
    out(`- capture switch ${name}`);
  }
  let passed = 0;
  let failed = 0;
  const tally = (ok: boolean): void => {
    if (ok) passed++;
    else failed++;
  };
  for (const spec of scenario.cells) {
    const cell = await k.createCell(spec);
    out(`- define ${cell.kind} ${cell.name}: ${cell.state}`);
  }
  const steps = scenario.steps;
  for (let i = 0; i < steps.length; ) {
    const step = steps[i]!;
    if (isConcurrent(step)) {
      const group: ConcurrentStep[] = [];
      while (i < steps.length && isConcurrent(steps[i]!)) group.push(steps[i++] as ConcurrentStep);
      const reports = await Promise.all(group.map((s) => timedStep(k, s)));
      for (const report of reports) tally(report(out));
      continue;
    }
    i++;
    if (isTimed(step)) tally((await timedStep(k, step))(out));
    else tally(await lifecycleStep(k, scenario, step, out));
  }
  consoleLines.flush();
  out(`${passed} passed, ${failed} failed`);
  return { passed, failed, ticks: k.now };
}

/** The console device's output as transcript lines (a partial line waits for its end). */
class ConsoleLines {
  private partial = '';
  private readonly decoder = new TextDecoder();

  constructor(private readonly out: (line: string) => void) {}

  write(data: Uint8Array): void {
    const lines = (this.partial + this.decoder.decode(data, { stream: true })).split('\n');
    this.partial = lines.pop()!;
    for (const line of lines) this.out(`[console] ${line}`);
  }

  flush(): void {
    if (this.partial !== '') this.out(`[console] ${this.partial}`);
    this.partial = '';
  }
}

type Outcome = ExecResult | Error;
type ConcurrentStep = RunStep | UpdateStep;
/** Prints a finished step's transcript lines; true when it met its expectations. */
type Report = (out: (line: string) => void) => boolean;

/** A step that runs on the kernel's timeline (a command, or a live update): it may be concurrent. */
function isTimed(step: ScenarioStep): step is ConcurrentStep {
  return isRunStep(step) || 'update' in step;
}

function isConcurrent(step: ScenarioStep): step is ConcurrentStep {
  return isTimed(step) && step.concurrent === true;
}

/** Runs a run or update step (at its virtual tick), then gives its report. */
async function timedStep(k: Kernel, step: ConcurrentStep): Promise<Report> {
  if ('update' in step) return updateStep(k, step);
  const outcome = await runStep(k, step);
  return (out) => report(out, step, outcome);
}

/**
 * Changes limits live at virtual tick `at`: a host program sleeps until then and calls cell_set,
 * so the change lands at that point of the kernel's timeline, among whatever else runs.
 */
async function updateStep(k: Kernel, step: UpdateStep): Promise<Report> {
  const cell = k.cell(step.update);
  const set = Object.entries(step.set).map(([key, value]) => `${key}=${String(value)}`).join(' ');
  const line = `- update ${step.update} ${set}${step.at === undefined ? '' : ` at ${step.at}`}${step.comment === undefined ? '' : `    # ${step.comment}`}`;
  const id = cell?.id;
  if (cell === undefined || id === undefined) return (out) => fail(out, line, `no running cell: ${step.update}`);
  const limits = kernelLimits(step.set);
  let error = '';
  await k.host.run(async (sys) => {
    const now = await sys.time();
    if ((step.at ?? 0) > now) await sys.sleep(step.at! - now);
    await sys.cell_set(id, { limits }).catch((err: Error) => (error = err.message));
    return 0;
  }, ['scenario-update']);
  if (error !== '') return (out) => fail(out, line, error);
  cell.spec = { ...cell.spec, limits: { ...cell.spec.limits, ...step.set } };
  return (out) => {
    out(line);
    return true;
  };
}

function fail(out: (line: string) => void, line: string, problem: string): boolean {
  out(line);
  out(`  FAILED: ${problem}`);
  return false;
}

function runStep(k: Kernel, step: RunStep): Promise<Outcome> {
  const target = step.cell === 'host' ? k.host : k.cell(step.cell);
  if (target === undefined) return Promise.resolve(new Error(`no such cell: ${step.cell}`));
  const argv = typeof step.run === 'string' ? ['/bin/sh', '-c', step.run] : step.run;
  return target.run(startAt(step.at ?? 0, argv), ['scenario-step'], step.user === undefined ? {} : { uid: step.user }).catch((err: unknown) => err as Error);
}

/** A program that waits for virtual tick `at`, then runs argv with its own stdio and returns its status. */
export function startAt(at: number, argv: readonly string[]): Program {
  return async (sys, _argv, env) => {
    const now = await sys.time();
    if (at > now) await sys.sleep(at - now);
    const path = await findInPath(sys, argv[0]!, env);
    if (path === undefined) {
      await sys.write(2, `${argv[0]}: not found\n`);
      return 127;
    }
    const status = await sys.wait(await sys.spawn(path, argv));
    return status === null ? 1 : (status.exitCode ?? 128 + (status.signal ?? 0));
  };
}

function report(out: (line: string) => void, step: RunStep, outcome: Outcome): boolean {
  const command = typeof step.run === 'string' ? step.run : step.run.join(' ');
  const problems = outcome instanceof Error ? [outcome.message] : check(step.expect, outcome);
  out(`[${step.cell}]${step.user === undefined || step.user === 0 ? '#' : '$'} ${command}${step.comment === undefined ? '' : `    # ${step.comment}`}`);
  if (!(outcome instanceof Error)) {
    for (const line of (outcome.stdout + outcome.stderr).split('\n').slice(0, -1)) out(`  ${line}`);
  }
  if (problems.length === 0) return true;
  for (const problem of problems) out(`  FAILED: ${problem}`);
  return false;
}

/** What an expectation finds wrong with a result (none: exit status 0 is expected). */
export function check(expect: StepExpectation | undefined, r: ExecResult): string[] {
  const problems: string[] = [];
  const wantCode = expect?.exitCode ?? (expect?.stdout === undefined && expect?.stdoutContains === undefined && expect?.stdoutMatches === undefined && expect?.stderrContains === undefined ? 0 : undefined);
  if (wantCode !== undefined && r.exitCode !== wantCode) problems.push(`exit status ${r.exitCode}, expected ${wantCode}`);
  if (expect?.stdout !== undefined && r.stdout !== expect.stdout) problems.push(`stdout ${JSON.stringify(r.stdout)}, expected ${JSON.stringify(expect.stdout)}`);
  for (const part of list(expect?.stdoutContains)) if (!r.stdout.includes(part)) problems.push(`stdout lacks ${JSON.stringify(part)}`);
  for (const part of list(expect?.stderrContains)) if (!r.stderr.includes(part)) problems.push(`stderr lacks ${JSON.stringify(part)}`);
  if (expect?.stdoutMatches !== undefined && !new RegExp(expect.stdoutMatches, 'm').test(r.stdout)) problems.push(`stdout does not match /${expect.stdoutMatches}/`);
  return problems;
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

async function lifecycleStep(k: Kernel, scenario: Scenario, step: Exclude<ScenarioStep, RunStep | UpdateStep>, out: (line: string) => void): Promise<boolean> {
  const [op, name] = 'start' in step ? ['start', step.start] : 'stop' in step ? ['stop', step.stop] : ['destroy', step.destroy];
  out(`- ${op} ${name}${step.comment === undefined ? '' : `    # ${step.comment}`}`);
  const cell = k.cell(name);
  try {
    if (cell === undefined) throw new CellError(`no such cell: ${name}`);
    await lifecycle(cell, op);
    // A started cell's own links take the scenario's settings (its interfaces are new ones).
    if (op === 'start') applyLinks(k, scenario, name);
    return true;
  } catch (err) {
    if (!(err instanceof CellError)) throw err;
    out(`  FAILED: ${err.message}`);
    return false;
  }
}

/** start brings a cell up from wherever it is (a configured zone is installed first). */
async function lifecycle(cell: ManagedCell, op: string): Promise<void> {
  if (op === 'destroy') return cell.destroy();
  if (op === 'start') return cell.bringUp();
  await cell.transition(op);
}
