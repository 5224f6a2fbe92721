/**
 * What every zoneadm subcommand gets: the caller's zone, the `-z` target, and zoneadm.c's
 * zerror() (`zoneadm: zone 'Z': message`, or `zoneadm: message` without a target) and its
 * per-subcommand getopt handling (`-?`: the subcommand's usage, status 0; a bad option: status 2).
 */
import type { Sys } from '../../kernel/abi.js';
import { getopt, UsageError, type Options } from '../fileutils/getopt.js';
import { printErr } from '../lib.js';
import { subUsage } from './usage.js';
import type { Here } from './zones.js';

export const Z_OK = 0;
export const Z_ERR = 1;
export const Z_USAGE = 2;

export interface Context {
  readonly sys: Sys;
  readonly here: Here;
  /** The zone named with -z. */
  readonly target: string | undefined;
}

export type Subcommand = (ctx: Context, args: readonly string[]) => Promise<number>;

export async function zerror(ctx: Context, message: string): Promise<number> {
  const zone = ctx.target === undefined ? '' : `zone '${ctx.target}': `;
  await printErr(ctx.sys, `zoneadm: ${zone}${message}\n`);
  return Z_ERR;
}

/** The subcommand's options, or the exit status when getopt ended it. */
export async function subOptions(ctx: Context, command: string, args: readonly string[], optstring: string): Promise<Options | number> {
  let opts: Options;
  try {
    opts = getopt(args, `?${optstring}`);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    await printErr(ctx.sys, `zoneadm: ${err.message}\n${subUsage(command)}`);
    return Z_USAGE;
  }
  if (opts.has('?')) {
    await printErr(ctx.sys, subUsage(command));
    return Z_OK;
  }
  return opts;
}

/** sub_usage for stray operands: status 2. */
export async function subUsageFail(ctx: Context, command: string): Promise<number> {
  await printErr(ctx.sys, subUsage(command));
  return Z_USAGE;
}
