/**
 * `cellblock exec CELL [--user U] -- CMD ARGS...` and `cellblock shell [CELL]`: runs a command
 * in a cell ("host" is the host) of the kernel booted from the state directory, with the
 * terminal's stdin, stdout and stderr passed through, as jexec(8) and zlogin(1) do; returns its
 * exit status. Files it writes are saved for the next invocation.
 */
import { DeadlockError, type Kernel } from '../src/index.js';
import { CellError } from '../src/cells/lifecycle-table.js';
import { withSession } from './session.js';
import { withTraceFile } from './trace-file.js';

export interface ExecArgs {
  readonly state: string | undefined;
  readonly cell: string;
  readonly command: readonly string[];
  readonly seed: number;
  readonly cpus: number;
  readonly trace: string | undefined;
  readonly uid: number | undefined;
}

export async function execCommand(args: ExecArgs): Promise<number> {
  if (args.command.length === 0) {
    process.stderr.write('cellblock exec: name a command after --\n');
    return 2;
  }
  return withTraceFile(args.trace, (trace) =>
    withSession({ state: args.state, save: true, seed: args.seed, cpus: args.cpus, trace }, (k) => runAttached(k, args.cell, args.command, args.uid)),
  );
}

export async function shellCommand(args: { state: string | undefined; cell: string; uid: number | undefined }): Promise<number> {
  return withSession({ state: args.state, save: true }, (k) => runAttached(k, args.cell, ['sh', '-i'], args.uid));
}

/** Runs argv in the cell with this process's stdio; a deadlock is reported, not hung on. */
async function runAttached(k: Kernel, cellName: string, argv: readonly string[], uid: number | undefined): Promise<number> {
  const target = cellName === 'host' ? k.host : k.cell(cellName);
  if (target === undefined) throw new CellError(`cellblock: no such cell: ${cellName}`);
  const tty = process.stdin.isTTY === true;
  const stdin = k.host.openInput(tty);
  const onData = (chunk: Buffer): void => stdin.push(chunk);
  const onEnd = (): void => stdin.end();
  process.stdin.on('data', onData).on('end', onEnd).on('error', onEnd);
  try {
    const result = await target.exec(argv, {
      stdin,
      stdout: (data) => process.stdout.write(data),
      stderr: (data) => process.stderr.write(data),
      tty,
      uid,
    });
    return result.exitCode;
  } catch (err) {
    if (!(err instanceof DeadlockError)) throw err;
    process.stderr.write(`cellblock: ${err.report}\n`);
    return 1;
  } finally {
    process.stdin.off('data', onData).off('end', onEnd).off('error', onEnd);
    process.stdin.destroy();
  }
}
