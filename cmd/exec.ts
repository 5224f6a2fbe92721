/**
 * `cellblock exec CELL -- CMD ARGS...`: boots a kernel, runs the command in the cell with the
 * terminal's stdin, stdout and stderr passed through, and returns its exit status. Until cells
 * and durable state land, each invocation boots a fresh host and only "host" exists.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { DeadlockError, Kernel } from '../src/index.js';

export interface ExecArgs {
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
  const traceFd = args.trace === undefined ? undefined : openSync(args.trace, 'w');
  try {
    const k = await Kernel.boot({
      seed: args.seed,
      cpus: args.cpus,
      trace: traceFd === undefined ? undefined : (line) => writeSync(traceFd, line + '\n'),
    });
    if (args.cell !== 'host') {
      process.stderr.write(`cellblock: no such cell: ${args.cell}\n`);
      return 1;
    }
    const tty = process.stdin.isTTY === true;
    const stdin = k.host.openInput(tty);
    const onData = (chunk: Buffer): void => stdin.push(chunk);
    const onEnd = (): void => stdin.end();
    process.stdin.on('data', onData).on('end', onEnd).on('error', onEnd);
    try {
      const result = await k.host.exec(args.command, {
        stdin,
        stdout: (data) => process.stdout.write(data),
        stderr: (data) => process.stderr.write(data),
        tty,
        uid: args.uid,
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
  } finally {
    if (traceFd !== undefined) closeSync(traceFd);
  }
}
