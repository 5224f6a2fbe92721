/**
 * The built-in programs, by the name a `#!builtin NAME` line in a root filesystem gives them.
 */
import type { Program } from '../kernel/abi.js';
import { fileUtils } from './fileutils/index.js';
import { ipcUtils } from './ipcutils/index.js';
import { jailUtils } from './jailutils/index.js';
import { netUtils } from './netutils/index.js';
import { rctlUtils } from './rctlutils/index.js';
import { sh } from './sh/index.js';
import { sysUtils } from './sysutils/index.js';
import { zoneUtils } from './zoneutils/index.js';

export const builtins: Readonly<Record<string, Program>> = Object.freeze({ sh, ...fileUtils, ...sysUtils, ...jailUtils, ...ipcUtils, ...zoneUtils, ...rctlUtils, ...netUtils });
