/** echo(1), BSD style: operands joined by spaces; a first operand `-n` drops the newline. No escapes. */
import type { Program } from '../../kernel/abi.js';
import { print } from '../lib.js';

export const echo: Program = async (sys, argv) => {
  const noNewline = argv[1] === '-n';
  const words = argv.slice(noNewline ? 2 : 1);
  await print(sys, words.join(' ') + (noNewline ? '' : '\n'));
  return 0;
};
