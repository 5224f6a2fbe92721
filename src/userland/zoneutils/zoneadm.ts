/**
 * zoneadm(1M): `zoneadm [-z zone] list [-cipv]`, `zoneadm -z zone install|uninstall [-F]|ready|
 * boot|halt|reboot`, `zoneadm help [subcommand]`. As zoneadm.c's main: options, then a -z zone
 * must exist (in a non-global zone only the zone itself does), then the subcommand runs.
 */
import type { Program } from '../../kernel/abi.js';
import { getopt, UsageError, type Options } from '../fileutils/getopt.js';
import { print, printErr } from '../lib.js';
import { subUsage, usage, SUBCOMMANDS } from './usage.js';
import { subOptions, Z_OK, Z_USAGE, type Context, type Subcommand } from './command.js';
import { list } from './list.js';
import { stateCommand } from './ops.js';
import { findZone, GLOBAL_ZONENAME, whereAmI } from './zones.js';

const help: Subcommand = async (ctx, args) => {
  const opts = await subOptions(ctx, 'help', args, '');
  if (typeof opts === 'number') return opts;
  if (opts.operands.length === 0) {
    await print(ctx.sys, usage(true));
    return Z_OK;
  }
  for (const name of opts.operands) {
    const known = SUBCOMMANDS.includes(name);
    await printErr(ctx.sys, subUsage(known ? name : 'help'));
    if (!known) return Z_USAGE;
  }
  return Z_OK;
};

const COMMANDS: Readonly<Record<string, Subcommand>> = {
  help,
  list,
  ...Object.fromEntries(['install', 'uninstall', 'ready', 'boot', 'halt', 'reboot'].map((op) => [op, stateCommand(op)])),
};

export const zoneadm: Program = async (sys, argv) => {
  let opts: Options;
  try {
    opts = getopt(argv.slice(1), '?z:');
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    // Solaris getopt complains, then zoneadm's '?' case prints the full usage on stdout.
    await printErr(sys, `zoneadm: ${err.message}\n`);
    await print(sys, usage(true));
    return Z_USAGE;
  }
  if (opts.has('?')) {
    await print(sys, usage(true));
    return Z_USAGE;
  }
  const [name, ...args] = opts.operands;
  if (name === undefined) {
    await printErr(sys, usage(false));
    return Z_USAGE;
  }
  const ctx: Context = { sys, here: await whereAmI(sys), target: opts.value('z') };
  if (ctx.target !== undefined && !(await zoneExists(ctx, ctx.target))) {
    await printErr(sys, `zoneadm: ${ctx.target}: No such zone configured\n`);
    return 1;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    await printErr(sys, usage(false));
    return Z_USAGE;
  }
  return command(ctx, args);
};

/** zone_get_id: the global zone and the configured zones; inside a zone, only itself. */
async function zoneExists(ctx: Context, name: string): Promise<boolean> {
  if (!ctx.here.global) return name === ctx.here.name;
  return name === GLOBAL_ZONENAME || (await findZone(ctx.sys, name)) !== undefined;
}
