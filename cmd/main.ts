/**
 * The cellblock CLI (yargs): a thin layer over the public API in src/index.ts.
 * Exit status: the command's own status for exec and shell; otherwise 0 ok, 1 failed, 2 usage
 * or spec error.
 */
import yargs, { type Argv } from 'yargs';
import { createCommand, destroyCommand, inspectCommand, lifecycleCommand, listCommand, statsCommand, updateCommand } from './cells.js';
import { execCommand, shellCommand } from './exec.js';
import { runCommand } from './run.js';
import { setHostNetwork } from './session.js';
import { validateCommand } from './validate.js';
import { auditCommand } from './audit.js';
import { nearest } from '../src/util/nearest.js';

const DEMO_SCENARIO = new URL('../specs/examples/demo.scenario.json', import.meta.url).pathname;

const COMMANDS = ['create', 'start', 'stop', 'install', 'uninstall', 'exec', 'list', 'ls', 'inspect', 'stats', 'update', 'destroy', 'shell', 'validate', 'run', 'demo', 'audit', 'check'] as const;

const LIFECYCLE = [
  ['start', 'start a cell (a configured zone is installed first)'],
  ['stop', 'stop a cell: its processes are killed (a jail runs exec.stop first)'],
  ['install', 'install a zone: populate zonepath/root from its rootfs'],
  ['uninstall', 'uninstall a zone: remove zonepath/root'],
] as const;

export async function main(argv: readonly string[]): Promise<number> {
  const first = argv[0];
  if (first !== undefined && !first.startsWith('-') && !(COMMANDS as readonly string[]).includes(first)) {
    const guess = nearest(first, COMMANDS);
    process.stderr.write(`cellblock: unknown command "${first}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`}\n`);
    return 2;
  }
  let status = 0;
  const named = <T>(y: Argv<T>) => y.positional('name', { type: 'string', demandOption: true, describe: 'cell name' });
  let parser = yargs([...argv])
    .scriptName('cellblock')
    .usage('$0 <command> [options]')
    .option('state', { type: 'string', global: true, describe: 'state directory (default: $CELLBLOCK_STATE, else ~/.cellblock)' })
    .option('network', { type: 'string', global: true, describe: 'the host\'s address and prefix (default 192.0.2.1/24), kept in the state directory' })
    .middleware((a) => setHostNetwork(a.network))
    .command(
      'create <file>',
      'define a cell from a JSON spec (jail: defined; zone: configured)',
      (y) => y.positional('file', { type: 'string', demandOption: true }).option('start', { type: 'boolean', default: false, describe: 'go on to running' }),
      async (a) => {
        status = await createCommand({ state: a.state, file: a.file, start: a.start });
      },
    );
  for (const [op, describe] of LIFECYCLE) {
    parser = parser.command(`${op} <name>`, describe, named, async (a) => {
      status = await lifecycleCommand({ state: typeof a.state === 'string' ? a.state : undefined, op, name: a.name });
    });
  }
  parser = parser
    .command(
      'exec <cell> [command..]',
      'run a command in a cell ("host" is the host), passing stdin, stdout and stderr through',
      (y) =>
        y
          .positional('cell', { type: 'string', demandOption: true })
          .positional('command', { type: 'string', array: true, describe: 'command and arguments (after --)' })
          .option('seed', { type: 'number', default: 1, describe: 'seed of the kernel\'s PRNG' })
          .option('cpus', { type: 'number', default: 1, describe: 'simulated CPUs' })
          .option('trace', { type: 'string', describe: 'write a JSON Lines syscall trace to FILE' })
          .option('user', { alias: 'u', type: 'number', describe: 'run as this uid' }),
      async (a) => {
        status = await execCommand({
          state: a.state,
          cell: a.cell,
          command: [...(a.command ?? []), ...((a['--'] as unknown[] | undefined) ?? [])].map(String),
          seed: a.seed,
          cpus: a.cpus,
          trace: a.trace,
          uid: a.user,
        });
      },
    )
    .command(
      ['list', 'ls'],
      'list the host and its cells: NAME KIND STATE ID PARENT HOSTNAME ADDRESSES PATH',
      (y) => y.option('json', { type: 'boolean', default: false }),
      async (a) => {
        status = await listCommand({ state: a.state, json: a.json });
      },
    )
    .command(
      'inspect <name>',
      'show a cell\'s spec, state, privileges and limits',
      (y) => named(y).option('json', { type: 'boolean', default: false }),
      async (a) => {
        status = await inspectCommand({ state: a.state, name: a.name, json: a.json });
      },
    )
    .command(
      'stats <name>',
      'resource usage of a running cell: usage, peak, barrier, limit, failcnt per resource',
      (y) => named(y).option('json', { type: 'boolean', default: false }),
      async (a) => {
        status = await statsCommand({ state: a.state, name: a.name, json: a.json });
      },
    )
    .command(
      'update <name>',
      'change a cell\'s limits live (--set processes=20 --set disk=2M); kept in its spec',
      (y) => named(y).option('set', { type: 'string', array: true, demandOption: true, describe: 'KEY=VALUE, a limits field' }),
      async (a) => {
        status = await updateCommand({ state: a.state, name: a.name, set: a.set.map(String) });
      },
    )
    .command(
      'destroy <name>',
      'stop a cell and forget its definition (its files stay)',
      (y) => named(y).option('recursive', { type: 'boolean', default: false, describe: 'destroy its child cells too' }),
      async (a) => {
        status = await destroyCommand({ state: a.state, name: a.name, recursive: a.recursive });
      },
    )
    .command(
      'shell [cell]',
      'an interactive sh in a cell (default: host)',
      (y) => y.positional('cell', { type: 'string', default: 'host' }).option('user', { alias: 'u', type: 'number' }),
      async (a) => {
        status = await shellCommand({ state: a.state, cell: a.cell, uid: a.user });
      },
    )
    .command(
      'validate <files..>',
      'check spec and scenario files; every error at once',
      (y) => y.positional('files', { type: 'string', array: true, demandOption: true }),
      async (a) => {
        status = await validateCommand(a.files.map(String), process.stdout, process.stderr);
      },
    )
    .command(
      'run <scenario>',
      'run a scenario in a fresh kernel: a transcript, exit 0 exactly when every expectation holds',
      (y) =>
        y
          .positional('scenario', { type: 'string', demandOption: true })
          .option('seed', { type: 'number', describe: 'override the scenario\'s seed' })
          .option('trace', { type: 'string', describe: 'write a JSON Lines syscall trace to FILE' })
          .option('top', { type: 'boolean', default: false, describe: 'show a live table of the cells (CPU, memory, processes, failures)' })
          .option('pcap', { type: 'string', describe: 'write the captured switch\'s traffic (the scenario\'s pcap switch, else default) to FILE' }),
      async (a) => {
        status = await runCommand({ file: a.scenario, seed: a.seed, trace: a.trace, top: a.top, pcap: a.pcap });
      },
    )
    .command('demo', 'run the demo scenario (specs/examples/demo.scenario.json)', {}, async () => {
      status = await runCommand({ file: DEMO_SCENARIO, seed: undefined, trace: undefined });
    })
    .command(
      'audit',
      'audit the syscall table: every sensitive call must be mediated (exit 1 naming any that is not)',
      (y) =>
        y
          .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' })
          .option('markdown', { type: 'boolean', default: false, describe: 'markdown, as docs/syscalls.md' }),
      (a) => {
        status = auditCommand({ json: a.json, markdown: a.markdown }, process.stdout, process.stderr);
      },
    )
    .command(
      'check [targets..]',
      'check the isolation properties on spec and scenario files (default: specs/examples); exit 1 on a violation',
      (y) =>
        y
          .positional('targets', { type: 'string', array: true, describe: 'spec and scenario files' })
          .option('property', { type: 'string', array: true, describe: 'only this property (repeatable)' })
          .option('seed', { type: 'number', default: 1, describe: 'seed of the first run; run i has seed N + i' })
          .option('runs', { type: 'number', default: 10, describe: 'runs of each property on each target' })
          .option('workers', { type: 'number', describe: 'worker threads (default: one per CPU for 16 runs or more)' })
          .option('shard', { type: 'string', describe: 'I/N: run only every N-th run, from the I-th' })
          .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' }),
      async (a) => {
        // Loaded on demand: the harness (and fast-check) costs every other command nothing.
        const { checkCommand } = await import('./check.js');
        status = await checkCommand({
          targets: (a.targets ?? []).map(String),
          properties: (a.property ?? []).map(String),
          seed: a.seed,
          runs: a.runs,
          workers: a.workers,
          shard: a.shard,
          json: a.json,
        });
      },
    )
    .demandCommand(1, 'name a command: cellblock --help lists them')
    .strict()
    .help()
    .version(false)
    .parserConfiguration({ 'populate--': true, 'unknown-options-as-args': false })
    .fail((message, err) => {
      if (err !== undefined && err !== null) throw err;
      process.stderr.write(`cellblock: ${message}\n`);
      status = 2;
    });
  await parser.parseAsync();
  return status;
}
