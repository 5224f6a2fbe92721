/** true(1) and false(1): exit statuses only, operands ignored. */
import type { Program } from '../../kernel/abi.js';

export const trueProgram: Program = () => 0;
export const falseProgram: Program = () => 1;
