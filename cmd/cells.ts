/**
 * The cell commands: create, start, stop, install, uninstall, destroy, list, inspect. Each is a
 * session over the state directory (cmd/session.ts) and a call of the public API.
 */
import type { Kernel } from '../src/index.js';
import { CellError } from '../src/cells/lifecycle-table.js';
import type { ManagedCell } from '../src/cells/managed.js';
import { loadSpecFile } from '../src/spec/index.js';
import { addressClaims } from '../src/spec/network.js';
import { cellAddresses } from '../src/net/cell-net.js';
import { formatIp } from '../src/net/ipv4.js';
import { withSession } from './session.js';

export interface Common {
  readonly state: string | undefined;
}

export async function createCommand(args: Common & { file: string; start: boolean }): Promise<number> {
  const loaded = await loadSpecFile(args.file);
  if (!loaded.ok) {
    for (const line of loaded.errors) process.stderr.write(`${line}\n`);
    return 2;
  }
  return withSession({ state: args.state, save: true }, async (k) => {
    const cell = await k.createCell(loaded.spec);
    if (args.start) await cell.bringUp();
    process.stdout.write(`${cell.name}: ${cell.state}\n`);
    return 0;
  });
}

/** start, stop, install, uninstall (and zoneadm's boot, halt, ready, reboot). */
export async function lifecycleCommand(args: Common & { op: string; name: string }): Promise<number> {
  return withSession({ state: args.state, save: true }, async (k) => {
    const cell = find(k, args.name);
    if (args.op === 'start') await cell.bringUp();
    else await cell.transition(args.op);
    return 0;
  });
}

export async function destroyCommand(args: Common & { name: string; recursive: boolean }): Promise<number> {
  return withSession({ state: args.state, save: true }, async (k) => {
    const cell = find(k, args.name);
    const below = [...k.managed.values()].filter((c) => c.name.startsWith(`${cell.name}.`));
    if (below.length > 0 && !args.recursive) {
      throw new CellError(`cellblock: ${cell.name} has child cells (${below.map((c) => c.name).join(', ')}): use --recursive`);
    }
    for (const child of below.reverse()) await child.destroy();
    await cell.destroy();
    return 0;
  });
}

interface Row {
  readonly name: string;
  readonly kind: string;
  readonly state: string;
  readonly id: number | null;
  readonly parent: string | null;
  readonly hostname: string;
  /** IPv4 addresses, primary first: what the cell has while it is up, what its spec declares while it is down. */
  readonly addresses: readonly string[];
  readonly path: string;
}

/** The host's own addresses (its interfaces', not the aliases cells added). */
function hostAddresses(k: Kernel): string[] {
  const out: string[] = [];
  for (const iface of k.net.host.ifaces.values()) {
    if (!iface.loopback) for (const a of iface.addresses) if (a.owner === 0) out.push(formatIp(a.address));
  }
  return out;
}

/** A cell's addresses: its network view's while it is in the kernel, else those its spec declares. */
function addressesOf(k: Kernel, cell: ManagedCell): string[] {
  const view = cell.id === undefined ? undefined : k.cells.get(cell.id)?.ns.net;
  if (view === undefined) return addressClaims(cell.spec).map((claim) => formatIp(claim.address));
  return view === null ? [] : cellAddresses(view);
}

function rows(k: Kernel): Row[] {
  const host: Row = { name: 'host', kind: 'host', state: 'running', id: 0, parent: null, hostname: k.hostCell.ns.uts.hostname, addresses: hostAddresses(k), path: '/' };
  return [
    host,
    ...[...k.managed.values()].map((c) => ({
      name: c.name,
      kind: c.kind,
      state: c.state,
      id: c.id ?? null,
      parent: c.name.includes('.') ? c.name.slice(0, c.name.lastIndexOf('.')) : 'host',
      hostname: c.hostname ?? '',
      addresses: addressesOf(k, c),
      path: c.personality.rootPath,
    })),
  ];
}

export async function listCommand(args: Common & { json: boolean }): Promise<number> {
  return withSession({ state: args.state, save: false }, async (k) => {
    const all = rows(k);
    if (args.json) {
      process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
      return 0;
    }
    const table = [
      ['NAME', 'KIND', 'STATE', 'ID', 'PARENT', 'HOSTNAME', 'ADDRESSES', 'PATH'],
      ...all.map((r) => [r.name, r.kind, r.state, r.id === null ? '-' : String(r.id), r.parent ?? '-', r.hostname || '-', r.addresses.join(',') || '-', r.path]),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    for (const row of table) process.stdout.write(`${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}\n`);
    return 0;
  });
}

export async function inspectCommand(args: Common & { name: string; json: boolean }): Promise<number> {
  return withSession({ state: args.state, save: false }, async (k) => {
    const cell = find(k, args.name);
    const kernelCell = cell.id === undefined ? undefined : k.cells.get(cell.id);
    const info = {
      name: cell.name,
      kind: cell.kind,
      state: cell.state,
      id: cell.id ?? null,
      root: cell.personality.rootPath,
      hostname: cell.hostname ?? null,
      addresses: addressesOf(k, cell),
      privileges: kernelCell === undefined ? null : [...kernelCell.policy.granted].sort(),
      limits: kernelCell === undefined ? null : { ...kernelCell.limits },
      processes: kernelCell?.procs.size ?? 0,
      spec: cell.spec,
    };
    if (args.json) process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    else for (const [key, value] of Object.entries(info)) process.stdout.write(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
    return 0;
  });
}

function find(k: Kernel, name: string): ManagedCell {
  const cell = k.cell(name);
  if (cell === undefined) throw new CellError(`cellblock: no such cell: ${name}`);
  return cell;
}

/** `cellblock stats NAME [--json]`: per resource usage, peak, barrier, limit, failcnt. */
export async function statsCommand(args: Common & { name: string; json: boolean }): Promise<number> {
  return withSession({ state: args.state, save: false }, async (k) => {
    const cell = find(k, args.name);
    const stats = cell.stats();
    if (stats === undefined) throw new CellError(`cellblock: ${cell.name} is not running (${cell.state})`);
    const { cpu, ...resources } = stats;
    const shown = (n: number): number | null => (Number.isFinite(n) ? n : null);
    if (args.json) {
      const json = Object.fromEntries(Object.entries(resources).map(([r, u]) => [r, { usage: u.usage, peak: u.peak, barrier: shown(u.barrier), limit: shown(u.limit), failcnt: u.failcnt }]));
      process.stdout.write(`${JSON.stringify({ ...json, cpu }, null, 2)}\n`);
      return 0;
    }
    const table = [['RESOURCE', 'USAGE', 'PEAK', 'BARRIER', 'LIMIT', 'FAILCNT'], ...Object.entries(resources).map(([r, u]) => [r, String(u.usage), String(u.peak), shown(u.barrier)?.toString() ?? '-', shown(u.limit)?.toString() ?? '-', String(u.failcnt)])];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    for (const row of table) process.stdout.write(`${row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}\n`);
    process.stdout.write(`cpu: ${cpu.ticks} ticks, shares ${cpu.shares}, cap ${cpu.cap === null ? 'none' : `${cpu.cap}%`}\n`);
    return 0;
  });
}

/** `cellblock update NAME --set KEY=VALUE...`: limits changed live and kept in the spec. */
export async function updateCommand(args: Common & { name: string; set: readonly string[] }): Promise<number> {
  const limits: Record<string, number | string> = {};
  for (const pair of args.set) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      process.stderr.write(`cellblock update: --set takes KEY=VALUE, got "${pair}"\n`);
      return 2;
    }
    const value = pair.slice(eq + 1);
    limits[pair.slice(0, eq)] = /^\d+$/.test(value) ? Number(value) : value;
  }
  return withSession({ state: args.state, save: true }, async (k) => {
    await find(k, args.name).update(limits);
    return 0;
  });
}
