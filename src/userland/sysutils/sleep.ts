/**
 * sleep(1): blocks for the sum of its operands on the virtual clock. Operands may be decimal
 * and carry FreeBSD's unit suffixes: s (default), m, h, d.
 */
import { HZ, type Program } from '../../kernel/abi.js';
import { printErr } from '../lib.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds of one operand, or undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(text);
  return m === null ? undefined : Number(m[1]) * UNIT_SECONDS[m[2]!]!;
}

export const sleep: Program = async (sys, argv) => {
  const operands = argv[1] === '--' ? argv.slice(2) : argv.slice(1);
  if (operands.length === 0) {
    await printErr(sys, 'usage: sleep number[unit] [...]\n');
    return 1;
  }
  let seconds = 0;
  for (const operand of operands) {
    const s = parseDuration(operand);
    if (s === undefined) {
      await printErr(sys, `sleep: invalid time interval: ${operand}\n`);
      return 1;
    }
    seconds += s;
  }
  const ticks = Math.round(seconds * HZ);
  if (ticks > 0) await sys.sleep(ticks);
  return 0;
};
