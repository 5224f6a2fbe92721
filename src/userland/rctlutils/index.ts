/** The resource-control views, by the name their /bin file gives (`#!builtin rctl`). */
import type { Program } from '../../kernel/abi.js';
import { prctl } from './prctl.js';
import { prstat } from './prstat.js';
import { rctl } from './rctl.js';

export const rctlUtils: Record<string, Program> = { rctl, prctl, prstat };
