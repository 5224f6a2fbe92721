/**
 * kill(1): `kill [-s signal | -signal] pid...` and `kill -l [status]`. The signal defaults to
 * TERM; after a signal option a negative operand is a pid (`kill -9 -1` signals all the caller
 * may signal), and `--` ends the options so `kill -- -1` does too.
 */
import type { Program, Sys } from '../../kernel/abi.js';
import { print, printErr, warn } from '../lib.js';
import { signalName, signalNames, signalNumber } from './signals.js';

const USAGE =
  'usage: kill [-s signal_name] pid ...\n       kill -l [exit_status]\n       kill -signal_name pid ...\n       kill -signal_number pid ...\n';

async function usage(sys: Sys): Promise<number> {
  await printErr(sys, USAGE);
  return 2;
}

async function unknownSignal(sys: Sys, spec: string): Promise<number> {
  await printErr(sys, `kill: unknown signal ${spec}; valid signals:\n${signalNames().join(' ')}\n`);
  return 2;
}

/** `kill -l`: every name; `kill -l 143` or `kill -l 15`: the signal's name. */
async function list(sys: Sys, operands: readonly string[]): Promise<number> {
  if (operands.length === 0) {
    await print(sys, `${signalNames().join(' ')}\n`);
    return 0;
  }
  if (operands.length > 1) return usage(sys);
  const spec = operands[0]!;
  const n = /^\d+$/.test(spec) ? Number(spec) : NaN;
  const name = signalName(n > 128 ? n - 128 : n);
  if (name === undefined) return unknownSignal(sys, spec);
  await print(sys, `${name}\n`);
  return 0;
}

export const kill: Program = async (sys, argv) => {
  let signal = signalNumber('TERM')!;
  let i = 1;
  const first = argv[1];
  if (first === '-l') return list(sys, argv.slice(2));
  if (first === '-s' || first === '-n') {
    const spec = argv[2];
    if (spec === undefined) return usage(sys);
    const n = signalNumber(spec);
    if (n === undefined) return unknownSignal(sys, spec);
    signal = n;
    i = 3;
  } else if (first !== undefined && first.startsWith('-') && first !== '--' && first !== '-') {
    const n = signalNumber(first.slice(1));
    if (n === undefined) return unknownSignal(sys, first.slice(1));
    signal = n;
    i = 2;
  }
  if (argv[i] === '--') i++;
  const operands = argv.slice(i);
  if (operands.length === 0) return usage(sys);

  let status = 0;
  for (const operand of operands) {
    if (!/^-?\d+$/.test(operand)) {
      await printErr(sys, `kill: ${operand}: illegal process id\n`);
      status = 1;
      continue;
    }
    try {
      await sys.kill(Number(operand), signal);
    } catch (err) {
      await warn(sys, 'kill', err, operand);
      status = 1;
    }
  }
  return status;
};
