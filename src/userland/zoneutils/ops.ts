/**
 * The state-changing subcommands (install, uninstall, ready, boot, halt, reboot): zoneadm.c's
 * sanity_check on the caller, then the host's registry does the work and judges the zone's
 * state (cellcfg_op, standing in for zoneadmd). Success prints nothing; a benign refusal
 * ("zone is already booted") is printed with status 0; an illegal one with status 1.
 */
import { errnoOf, errorText, printErr } from '../lib.js';
import { subOptions, subUsageFail, Z_ERR, Z_OK, zerror, type Context, type Subcommand } from './command.js';
import { askYesNo, findZone, GLOBAL_ZONENAME, hasAllPrivileges } from './zones.js';

/** How a non-global zone is told to halt or reboot itself instead. */
const FROM_INSIDE: Readonly<Record<string, string>> = { halt: 'halt(1M)', reboot: 'reboot(1M)' };

export function stateCommand(op: string): Subcommand {
  return async (ctx, args) => {
    const opts = await subOptions(ctx, op, args, op === 'uninstall' ? 'F' : '');
    if (typeof opts === 'number') return opts;
    if (opts.operands.length > 0) return subUsageFail(ctx, op);
    const refusal = await sanityCheck(ctx, op);
    if (refusal !== undefined) return zerror(ctx, refusal);
    const zone = ctx.target!;
    if (op === 'uninstall' && !opts.has('F') && (await findZone(ctx.sys, zone))?.state === 'installed') {
      const answer = await askYesNo(ctx.sys, `Are you sure you want to uninstall zone ${zone}`);
      if (answer === 0) return Z_OK;
      if (answer === -1) return zerror(ctx, 'Input not from terminal and -F not specified: uninstall not done.');
    }
    return runOp(ctx, zone, op);
  };
}

/** sanity_check's caller checks, in its order; the zone's state is the registry's to judge. */
async function sanityCheck(ctx: Context, op: string): Promise<string | undefined> {
  if (!ctx.here.global) {
    const tool = FROM_INSIDE[op];
    return tool === undefined ? `must be in the global zone to ${op} a zone.` : `use ${tool} to ${op} this zone.`;
  }
  if (!(await hasAllPrivileges(ctx.sys))) return `only a privileged user may ${op} a zone.`;
  if (ctx.target === undefined) return 'no zone specified';
  if (ctx.target === GLOBAL_ZONENAME) return `${op} operation is invalid for the global zone.`;
  if (ctx.target.startsWith('SUNW')) return `${op} operation is invalid for zones starting with SUNW.`;
  return undefined;
}

async function runOp(ctx: Context, zone: string, op: string): Promise<number> {
  let message: string;
  try {
    message = await ctx.sys.cellcfg_op(zone, op);
  } catch (err) {
    switch (errnoOf(err)) {
      case 'EINVAL':
        await printErr(ctx.sys, `${detailOf(err) ?? `zoneadm: zone '${zone}': ${op} failed`}\n`);
        return Z_ERR;
      case 'ENOENT':
        await printErr(ctx.sys, `zoneadm: ${zone}: No such zone configured\n`);
        return Z_ERR;
      case 'EPERM':
        return zerror(ctx, `only a privileged user may ${op} a zone.`);
      case undefined:
        throw err;
      default:
        return zerror(ctx, errorText(err));
    }
  }
  if (message !== '') await printErr(ctx.sys, `${message}\n`);
  return Z_OK;
}

function detailOf(err: unknown): string | undefined {
  return err instanceof Error && 'detail' in err && typeof err.detail === 'string' ? err.detail : undefined;
}
