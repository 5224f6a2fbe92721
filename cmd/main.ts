/**
 * The cellblock CLI (yargs): a thin layer over the public API in src/index.ts.
 * Exit status: the command's own status for exec; 0 ok, 1 failed, 2 usage error otherwise.
 */
import yargs from 'yargs';
import { runDemo } from './demo.js';
import { execCommand } from './exec.js';
import { nearest } from './suggest.js';

const COMMANDS = ['exec', 'demo'] as const;

export async function main(argv: readonly string[]): Promise<number> {
  const first = argv[0];
  if (first !== undefined && !first.startsWith('-') && !(COMMANDS as readonly string[]).includes(first)) {
    const guess = nearest(first, COMMANDS);
    process.stderr.write(`cellblock: unknown command "${first}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`}\n`);
    return 2;
  }
  let status = 0;
  const parser = yargs([...argv])
    .scriptName('cellblock')
    .usage('$0 <command> [options]')
    .command(
      'exec <cell> [command..]',
      'run a command in a cell, passing stdin, stdout and stderr through (cell: "host")',
      (y) =>
        y
          .positional('cell', { type: 'string', describe: 'cell to run in ("host" is the host cell)', demandOption: true })
          .positional('command', { type: 'string', array: true, describe: 'command and arguments (after --)' })
          .option('seed', { type: 'number', default: 1, describe: 'seed of the kernel\'s PRNG' })
          .option('cpus', { type: 'number', default: 1, describe: 'simulated CPUs' })
          .option('trace', { type: 'string', describe: 'write a JSON Lines syscall trace to FILE' })
          .option('user', { alias: 'u', type: 'number', describe: 'run as this uid' }),
      async (args) => {
        status = await execCommand({
          cell: args.cell,
          command: [...(args.command ?? []), ...((args['--'] as unknown[] | undefined) ?? [])].map(String),
          seed: args.seed,
          cpus: args.cpus,
          trace: args.trace,
          uid: args.user,
        });
      },
    )
    .command('demo', 'run a short demo in the host cell', {}, async () => {
      status = await runDemo(process.stdout);
    })
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
