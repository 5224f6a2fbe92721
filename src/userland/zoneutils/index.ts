/** The zone tools, by the name their /bin file gives (`#!builtin zoneadm`). */
import type { Program } from '../../kernel/abi.js';
import { zlogin } from './zlogin.js';
import { zoneadm } from './zoneadm.js';

export const zoneUtils: Record<string, Program> = { zoneadm, zlogin };
