/** The SysV IPC utilities, by the name their /bin file gives (`#!builtin ipcs`). */
import type { Program } from '../../kernel/abi.js';
import { ipcrm } from './ipcrm.js';
import { ipcs } from './ipcs.js';

export const ipcUtils: Record<string, Program> = { ipcs, ipcrm };
