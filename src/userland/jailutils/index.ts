/** The jail tools, by the name their /bin file gives (`#!builtin jls`). */
import type { Program } from '../../kernel/abi.js';
import { jail } from './jail.js';
import { jexec } from './jexec.js';
import { jls } from './jls.js';
import { zonename } from './zonename.js';

export const jailUtils: Record<string, Program> = { jail, jls, jexec, zonename };
