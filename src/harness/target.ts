/**
 * What the harness checks: a target is a spec file (one cell) or a scenario file (its cells and
 * its kernel settings), and a world is a fresh kernel with the target's cells up. A property
 * that needs more cells than the target has gets copies of them, renamed (name, path, rctl
 * rules) with their addresses and interface names moved so that no two cells clash; a copy has
 * the same policy as its original. Worlds are made through the public API only (Kernel.boot,
 * createCell, bringUp). A world is owned by the property run that made it.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Kernel, type BootOptions } from '../kernel/kernel.js';
import type { ManagedCell } from '../cells/managed.js';
import { cellName, loadScenarioFile, loadSpecFile, type CellSpec, type Scenario } from '../spec/index.js';
import { isScenarioLike } from '../spec/validate.js';
import { parseJson } from '../spec/json.js';
import { readFile } from 'node:fs/promises';
import type { Mechanism } from '../kernel/unsafe.js';
import { applyLinks, setUpNetwork } from '../scenario/network.js';

export interface Target {
  /** How reports name it: the file as given. */
  readonly name: string;
  readonly kind: 'spec' | 'scenario';
  readonly cells: readonly CellSpec[];
  /** The scenario a scenario target came from: its kernel and network settings apply. */
  readonly scenario?: Scenario;
}

/** The example specs and scenarios (specs/examples), the default targets of `cellblock check`. */
export const EXAMPLES_DIR = fileURLToPath(new URL('../../specs/examples/', import.meta.url));

export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(EXAMPLES_DIR, f));
}

/** Loads a spec or scenario file as a target, or every problem with it. */
export async function loadTarget(file: string, name = file): Promise<{ ok: true; target: Target } | { ok: false; errors: string[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { ok: false, errors: [`${file}: cannot read: ${(err as Error).message}`] };
  }
  const parsed = parseJson(text, file);
  if (!parsed.ok) return { ok: false, errors: [parsed.error] };
  if (isScenarioLike(parsed.value)) {
    const loaded = await loadScenarioFile(file);
    return loaded.ok ? { ok: true, target: scenarioTarget(loaded.scenario, name) } : loaded;
  }
  const loaded = await loadSpecFile(file);
  return loaded.ok ? { ok: true, target: { name, kind: 'spec', cells: [loaded.spec] } } : loaded;
}

export function scenarioTarget(scenario: Scenario, name: string): Target {
  return { name, kind: 'scenario', cells: scenario.cells, scenario };
}

/** One cell of a world: its managed cell, spec, and its root as the host names it. */
export interface WorldCell {
  readonly name: string;
  readonly spec: CellSpec;
  readonly cell: ManagedCell;
  /** The cell's root, a host path ("/jails/www", "/zones/db/root"). */
  readonly root: string;
  /** Its parent in the world, for a dotted jail name. */
  readonly parent: string | undefined;
}

export interface World {
  readonly k: Kernel;
  readonly cells: readonly WorldCell[];
}

export interface WorldOptions {
  readonly seed: number;
  /** Test-only mechanisms switched off (src/kernel/unsafe.ts). */
  readonly unsafe?: readonly Mechanism[];
  /** Copies the target's cells until the world has at least this many. */
  readonly minCells?: number;
  /** Changes each spec before it is defined (a property's own limits, say). */
  readonly adjust?: (spec: CellSpec) => CellSpec;
  /** The syscall trace. */
  readonly trace?: (line: string) => void;
}

/** The specs a world is made of: the target's, then copies of its top-level cells as needed. */
export function worldSpecs(target: Target, minCells = 1): CellSpec[] {
  const specs = [...target.cells];
  const originals = target.cells.filter((s) => !cellName(s).includes('.'));
  for (let copy = 1; specs.length < minCells && originals.length > 0; copy++) {
    for (const spec of originals) {
      if (specs.length >= minCells) break;
      specs.push(copySpec(spec, copy, specs));
    }
  }
  return specs;
}

/**
 * Boots a kernel and brings every cell of the target (and its copies) up, as `cellblock run`
 * sets a scenario up: its cpus and network first, every cell defined in order, then each started
 * in order, a started cell's links taking the scenario's settings.
 */
export async function buildWorld(target: Target, options: WorldOptions): Promise<World> {
  const scenario = target.scenario;
  const boot: BootOptions = {
    seed: options.seed,
    ...(scenario?.cpus === undefined ? {} : { cpus: scenario.cpus }),
    ...(scenario?.network === undefined ? {} : { network: { ...scenario.network } }),
    ...(options.unsafe === undefined ? {} : { unsafe: options.unsafe }),
    ...(options.trace === undefined ? {} : { trace: options.trace }),
  };
  const k = await Kernel.boot(boot);
  if (scenario !== undefined) setUpNetwork(k, scenario);
  const cells: WorldCell[] = [];
  for (const original of worldSpecs(target, options.minCells)) {
    const spec = options.adjust === undefined ? original : options.adjust(original);
    const cell = await k.createCell(spec);
    const name = cellName(spec);
    const dot = name.lastIndexOf('.');
    cells.push({ name, spec, cell, root: cell.personality.rootPath, parent: dot < 0 ? undefined : name.slice(0, dot) });
  }
  for (const c of cells) {
    await c.cell.bringUp();
    if (scenario !== undefined) applyLinks(k, scenario, c.name);
  }
  return { k, cells };
}

/** Are two cells of a world related (one inside the other)? A parent may look into its child. */
export function related(a: WorldCell, b: WorldCell): boolean {
  return a.name.startsWith(`${b.name}.`) || b.name.startsWith(`${a.name}.`);
}

// ---- copies --------------------------------------------------------------------------------

/**
 * A copy of a top-level spec: named NAME<copy>, its path or zonepath beside the original's, its
 * addresses moved up by 100×copy in the last octet (wrapping within 2..254, skipping any the
 * world uses), its epair and vnic interfaces renumbered; every string of the spec (exec.start,
 * rctl rules) follows the same renaming, and mount lines into its root move with the root.
 */
export function copySpec(spec: CellSpec, copy: number, world: readonly CellSpec[]): CellSpec {
  const name = cellName(spec);
  const newName = `${name}${copy + 1}`;
  const renames = new Map<string, string>();
  const used = new Set(world.flatMap((s) => addressesOf(s)));
  for (const address of addressesOf(spec)) {
    const octets = address.split('.').map(Number);
    let last = octets[3]!;
    do last = ((last - 2 + 100 * copy) % 253) + 2;
    while (used.has([...octets.slice(0, 3), last].join('.')));
    const moved = [...octets.slice(0, 3), last].join('.');
    used.add(moved);
    renames.set(address, moved);
  }
  for (const iface of interfacesOf(spec)) renames.set(iface, iface.replace(/\d+/, (n) => String(Number(n) + 10 * copy)));
  const rename = (text: string): string => {
    let out = text;
    for (const [from, to] of renames) out = out.replace(new RegExp(`(?<![\\w.])${from.replaceAll('.', '\\.')}(?![\\w])`, 'g'), to);
    return out;
  };
  const copied = mapStrings(spec, rename) as CellSpec;
  if (copied.kind === 'jail') {
    const newPath = sibling(copied.path, newName);
    return {
      ...copied,
      name: newName,
      path: newPath,
      ...(copied.rctl === undefined ? {} : { rctl: copied.rctl.map((r) => r.replace(`jail:${name}:`, `jail:${newName}:`)) }),
      ...(copied.mount === undefined ? {} : { mount: copied.mount.map((line) => moveMountpoint(line, copied.path, newPath)) }),
    };
  }
  return { ...copied, zonename: newName, zonepath: sibling(copied.zonepath, newName) };
}

/** An fstab(5) line whose mountpoint lies in `from` (a jail's root), moved into `to`. */
function moveMountpoint(line: string, from: string, to: string): string {
  const fields = line.trim().split(/\s+/);
  const at = fields[1];
  if (at === undefined || (at !== from && !at.startsWith(`${from}/`))) return line;
  fields[1] = `${to}${at.slice(from.length)}`;
  return fields.join(' ');
}

function sibling(dir: string, name: string): string {
  return `${path.posix.dirname(dir)}/${name}`.replace(/^\/\//, '/');
}

/** The IPv4 addresses a spec gives its cell ("192.0.2.10" of "em0|192.0.2.10/24"). */
function addressesOf(spec: CellSpec): string[] {
  const raw = spec.kind === 'jail' ? (spec['ip4.addr'] ?? []) : (spec.net ?? []).flatMap((n) => [n.address, n['allowed-address']].filter((a): a is string => a !== undefined));
  return raw.map((a) => a.slice(a.indexOf('|') + 1).split('/')[0]!).filter((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
}

/** Interfaces a spec makes for its cell (epair ends, vnics), without a switch suffix. */
function interfacesOf(spec: CellSpec): string[] {
  const raw = spec.kind === 'jail' ? (spec['vnet.interface'] ?? []) : spec['ip-type'] === 'exclusive' ? (spec.net ?? []).map((n) => n.physical) : [];
  return raw.map((i) => i.split('@')[0]!).filter((i) => /\d/.test(i));
}

function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, key === 'kind' ? v : mapStrings(v, f)]));
  return value;
}

// ---- what programs name --------------------------------------------------------------------

/** A cell's root as a host path, from its spec (a dotted jail's path lies in its parent's root). */
export function rootPathOf(spec: CellSpec, world: readonly CellSpec[]): string {
  if (spec.kind === 'zone') return `${spec.zonepath}/root`;
  const dot = spec.name.lastIndexOf('.');
  if (dot < 0) return spec.path;
  const parent = world.find((s) => cellName(s) === spec.name.slice(0, dot));
  return parent === undefined ? spec.path : `${rootPathOf(parent, world)}${spec.path}`.replace(/\/+/g, '/');
}

/** Host paths (relative to the host's root) worth naming from inside: the host's files, other roots' files. */
export function hostPathsOf(specs: readonly CellSpec[]): string[] {
  const paths = ['tmp/a', 'tmp/secret', 'etc/secret', 'etc/hostname'];
  for (const spec of specs) {
    const root = rootPathOf(spec, specs).replace(/^\//, '');
    paths.push(`${root}/tmp/a`, `${root}/tmp/secret`);
  }
  return paths;
}
