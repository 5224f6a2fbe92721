/**
 * spin: burns CPU on the virtual clock. `spin TICKS` computes that many ticks and exits 0
 * (the scheduler preempts it at quantum boundaries); `spin` alone never stops.
 */
import type { Program } from '../../kernel/abi.js';
import { printErr } from '../lib.js';

/** Ticks per compute call when spinning forever: each call is also a scheduling point. */
const CHUNK = 1000;

export const spin: Program = async (sys, argv) => {
  const operand = argv[1];
  if (operand === undefined) {
    for (;;) await sys.compute(CHUNK);
  }
  if (!/^\d+$/.test(operand) || argv.length > 2) {
    await printErr(sys, 'usage: spin [ticks]\n');
    return 1;
  }
  const ticks = Number(operand);
  if (ticks > 0) await sys.compute(ticks);
  return 0;
};
