/**
 * zoneadm list (zoneadm.c list_func, zone_print): in the global zone, the zones in the kernel
 * (global first, then by id), then with -i or -c the configured zones out of the kernel at
 * least installed (-i) or in any state (-c); with -z one zone whatever its state. A non-global
 * zone sees only itself, running, at path /. Formats: names; -v `%4s %-16s %-10s %-30s %-8s %-6s`
 * with a header; -p `id:name:state:path:uuid:brand:ip-type`.
 */
import type { CellConfig } from '../../kernel/abi.js';
import { print } from '../lib.js';
import { subOptions, subUsageFail, Z_ERR, Z_OK, zerror, type Context, type Subcommand } from './command.js';
import { configuredZones, GLOBAL_ZONENAME, stateRank, type Here } from './zones.js';

interface ZoneEntry {
  /** null: not in the kernel. */
  readonly id: number | null;
  readonly name: string;
  readonly state: string;
  readonly path: string;
  /** zoneadm's IP column: shared, or excl for a zone with a stack of its own. */
  readonly ipType: 'shared' | 'excl';
}

const GLOBAL_ENTRY: ZoneEntry = { id: 0, name: GLOBAL_ZONENAME, state: 'running', path: '/', ipType: 'shared' };
// Every zone here is a native-brand zone.
const BRAND = 'native';

export const list: Subcommand = async (ctx, args) => {
  const opts = await subOptions(ctx, 'list', args, ctx.target === undefined ? 'cipv' : 'pv');
  if (typeof opts === 'number') return opts;
  const verbose = opts.has('v');
  const parsable = opts.has('p');
  if (verbose && parsable) return zerror(ctx, 'list -p and -v are mutually exclusive.');
  if (ctx.target !== undefined && opts.operands.length > 0) return subUsageFail(ctx, 'list');

  const entries = ctx.target !== undefined ? await oneZone(ctx, ctx.target) : await allZones(ctx, minState(opts.list.map((o) => o.flag)));
  if (entries.length === 0) return Z_ERR;
  const header = verbose ? `${row('ID', 'NAME', 'STATUS', 'PATH', 'BRAND', 'IP')}\n` : '';
  await print(ctx.sys, header + entries.map((e) => `${format(e, verbose, parsable)}\n`).join(''));
  return Z_OK;
};

/** -c: every state; -i: installed and up (-c wins whatever the order); neither: running (the kernel's only). */
function minState(flags: readonly string[]): number {
  if (flags.includes('c')) return stateRank('configured');
  return stateRank(flags.includes('i') ? 'installed' : 'running');
}

async function allZones(ctx: Context, min: number): Promise<ZoneEntry[]> {
  if (!ctx.here.global) return [await localZone(ctx)];
  const zones = await configuredZones(ctx.sys);
  const inKernel = zones.filter((z) => z.id !== null).sort((a, b) => a.id! - b.id!);
  const rest = min >= stateRank('running') ? [] : zones.filter((z) => z.id === null && stateRank(z.state) >= min);
  return [GLOBAL_ENTRY, ...[...inKernel, ...rest].map(entryOf)];
}

async function oneZone(ctx: Context, name: string): Promise<ZoneEntry[]> {
  if (!ctx.here.global) return [await localZone(ctx)];
  if (name === GLOBAL_ZONENAME) return [GLOBAL_ENTRY];
  const zone = (await configuredZones(ctx.sys)).find((z) => z.name === name);
  return zone === undefined ? [] : [entryOf(zone)];
}

/** fake_up_local_zone: inside a zone, the zone itself, running, rooted at /, its ip-type from its own stack. */
async function localZone(ctx: Context): Promise<ZoneEntry> {
  const here: Here = ctx.here;
  const own = await ctx.sys.cell_get();
  return { id: here.id, name: here.name, state: 'running', path: '/', ipType: own.vnet ? 'excl' : 'shared' };
}

function entryOf(zone: CellConfig): ZoneEntry {
  return { id: zone.id, name: zone.name, state: zone.state, path: zone.zonepath ?? zone.root, ipType: zone.vnet ? 'excl' : 'shared' };
}

function format(e: ZoneEntry, verbose: boolean, parsable: boolean): string {
  const id = e.id === null ? '-' : String(e.id);
  if (verbose) return row(id, e.name, e.state, e.path, BRAND, e.ipType);
  if (parsable) return [id, e.name, e.state, e.path.replaceAll(':', '\\:'), '', BRAND, e.ipType].join(':');
  return e.name;
}

/** One -v line, padded as zoneadm's printf pads it (trailing blanks included). */
function row(id: string, name: string, state: string, path: string, brand: string, ip: string): string {
  return `${id.padStart(4)} ${name.padEnd(16)} ${state.padEnd(10)} ${path.padEnd(30)} ${brand.padEnd(8)} ${ip.padEnd(6)}`;
}
