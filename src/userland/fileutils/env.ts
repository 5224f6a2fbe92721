/**
 * env(1): without a utility, prints the environment as `NAME=value` lines in its order;
 * otherwise runs the utility, found by a PATH search (the kernel's spawn does none), with the
 * environment changed by -i (start empty), -u NAME (unset) and NAME=value operands.
 * Exit status: the utility's (128+N when killed by signal N), 127 not found, 126 not runnable.
 */
import type { Program, Sys } from '../../kernel/abi.js';
import { errnoOf, findInPath, printErr, warn } from '../lib.js';
import { parseArgs } from './getopt.js';
import { Output } from './output.js';

const USAGE = 'env [-i] [-u name] [name=value ...] [utility [argument ...]]';

export const env: Program = async (sys, argv, environ) => {
  // A lone `-` is the historical spelling of -i.
  const args = argv[1] === '-' ? [argv[0]!, '-i', ...argv.slice(2)] : argv;
  const opts = await parseArgs(sys, 'env', args, 'iu:', USAGE);
  if (!opts) return 1;
  const vars: Record<string, string> = opts.has('i') ? {} : { ...environ };
  for (const o of opts.list) if (o.flag === 'u') delete vars[o.arg!];
  let i = 0;
  for (; i < opts.operands.length; i++) {
    const word = opts.operands[i]!;
    const eq = word.indexOf('=');
    if (eq <= 0) break;
    vars[word.slice(0, eq)] = word.slice(eq + 1);
  }
  const command = opts.operands.slice(i);
  if (command.length === 0) {
    const out = new Output(sys);
    for (const [name, value] of Object.entries(vars)) await out.write(`${name}=${value}\n`);
    await out.flush();
    return 0;
  }
  return run(sys, command, vars);
};

async function run(sys: Sys, command: readonly string[], vars: Record<string, string>): Promise<number> {
  const name = command[0]!;
  // The utility is looked up in the new PATH, as execvp in the child would.
  const path = await findInPath(sys, name, vars);
  if (path === undefined) {
    await printErr(sys, `env: ${name}: No such file or directory\n`);
    return 127;
  }
  let pid: number;
  try {
    pid = await sys.spawn(path, command, { env: vars });
  } catch (err) {
    await warn(sys, 'env', err, name);
    return errnoOf(err) === 'ENOENT' ? 127 : 126;
  }
  const result = await sys.wait(pid);
  if (result === null) return 1;
  return result.signal !== null ? 128 + result.signal : (result.exitCode ?? 1);
}
