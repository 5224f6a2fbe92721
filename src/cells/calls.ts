/**
 * Cell management syscalls, after FreeBSD's jail_set/jail_get/jail_attach/jail_remove: a cell
 * manages only its descendants, and a child never gets more than its parent (children.max
 * strictly lower, securelevel and enforce_statfs no weaker, no privilege the parent lacks).
 * Kernel words for refusals follow FreeBSD's errmsg ("prison limit exceeded").
 */
import type { CellInfo, CellParams } from '../kernel/abi.js';
import { fail } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import { PRIVILEGES, PrivilegeSet, type Privilege } from '../kernel/privileges.js';
import type { Handler } from '../kernel/syscall-table.js';
import type { Process } from '../proc/process.js';
import { UtsNamespace, MAXHOSTNAMELEN } from '../uts/uts.js';
import { IpcNamespace } from '../ipc/sysv.js';
import { lookup, pathFrom } from '../vfs/resolve.js';
import { Cell } from './cell.js';
import { attachProcess, removeCell } from './lifecycle.js';
import { RESOURCE_INDEX, RESOURCES, type Alert, type Limits, type Resource } from './partition.js';
import { SIGNALS, type SignalName } from '../kernel/abi.js';
import { cpuOf, setCpu, type CpuSettings } from './cpu.js';
import { planNet, cellAddresses } from '../net/cell-net.js';

/** Root's privileges in a new cell when the creator names none: FreeBSD's jail defaults. */
export const DEFAULT_CELL_PRIVILEGES: readonly Privilege[] = [
  'file_chown', 'file_dac_execute', 'file_dac_read', 'file_dac_search', 'file_dac_write', 'file_owner',
  'ipc_dac_read', 'ipc_dac_write', 'ipc_owner', 'net_privaddr', 'proc_chroot', 'proc_owner', 'proc_setid', 'sys_admin',
];

const NAME_COMPONENT = /^[A-Za-z0-9_-][A-Za-z0-9_-]*$/;
const MAX_CELLS = 999999;

export const cell_create: Handler<'cell_create'> = (k, p, [params]) => {
  const spec = paramsOf(params);
  const creator = p.cell;
  if (creator.limits.childrenMax === 0) throw fail('EPERM');
  const { parent, leaf } = placeOf(creator, spec.name);
  for (let c: Cell | null = parent; c !== null; c = c.parent) {
    if (c.descendants >= c.limits.childrenMax) throw fail('EPERM', undefined, 'prison limit exceeded');
  }
  const id = allocCellId(k);
  const name = leaf ?? String(id);
  if (/^\d+$/.test(name) && Number(name) !== id) throw fail('EINVAL', undefined, 'name cannot be numeric (unless it is the jid)');
  if (parent.childByName.has(name)) throw fail('EEXIST', undefined, `jail "${spec.name ?? name}" already exists`);
  if (spec.persist !== true) throw fail('EINVAL', undefined, 'new jail must persist or attach');
  const root = spec.path === undefined ? parent.root : rootOf(p, parent, spec.path);
  const limits = {
    childrenMax: spec.childrenMax ?? 0,
    securelevel: spec.securelevel ?? parent.limits.securelevel,
    enforceStatfs: spec.enforceStatfs ?? 2,
  };
  checkLimits(limits, parent);
  // Defaults are ANDed with the parent's, as FreeBSD's JAIL_DEFAULT_ALLOW & ppr->pr_allow.
  const privileges = privilegesOf(spec.privileges ?? DEFAULT_CELL_PRIVILEGES.filter((priv) => parent.policy.has(priv)), parent);
  if (spec.sysvipc === true && parent.ns.ipc === null) throw fail('EPERM');
  const net = planNet(k.net, parent, spec.net);
  const fullName = parent.parent === null ? name : `${parent.name}.${name}`;
  const rules = rulesOf(spec.rules, fullName);
  const { quota, cpu } = splitLimits(spec.limits, parent, rules.deny);
  const barriers = barriersOf(spec.barriers);
  // Everything is checked: from here on, the cell is made.
  const ns = {
    mnt: parent.ns.mnt,
    uts: k.unsafe.utsVirtualization ? k.hostCell.ns.uts : new UtsNamespace(hostnameOf(spec.hostname ?? '')),
    ipc: k.unsafe.ipcNamespaces ? k.hostCell.ns.ipc : spec.sysvipc === true ? new IpcNamespace(id) : null,
    net: net.apply(id),
  };
  const cell = new Cell(id, fullName, parent, ns, privileges, root, limits, spec.kind ?? 'jail', true);
  cell.partition.setLimits(quota);
  cell.partition.setBarriers(barriers);
  setAlerts(k, cell, rules.alerts);
  setCpu(cell.cpu, cpu);
  k.cells.set(id, cell);
  return id;
};

export const cell_set: Handler<'cell_set'> = (k, p, [ref, params]) => {
  const cell = descendant(k, p, ref);
  const spec = paramsOf(params);
  for (const fixed of ['name', 'path', 'sysvipc', 'kind', 'net'] as const) {
    if (spec[fixed] !== undefined) throw fail('EINVAL', undefined, `${fixed} cannot be changed after creation`);
  }
  const parent = cell.parent!;
  const limits = {
    childrenMax: spec.childrenMax ?? cell.limits.childrenMax,
    securelevel: spec.securelevel ?? cell.limits.securelevel,
    enforceStatfs: spec.enforceStatfs ?? cell.limits.enforceStatfs,
  };
  checkLimits(limits, parent);
  const privileges = spec.privileges === undefined ? undefined : privilegesOf(spec.privileges, parent);
  const hostname = spec.hostname === undefined ? undefined : hostnameOf(spec.hostname);
  const rules = spec.rules === undefined ? undefined : rulesOf(spec.rules, cell.name);
  const { quota, cpu } = splitLimits(spec.limits, parent, rules?.deny);
  const barriers = barriersOf(spec.barriers);
  // Everything is checked: now change, and carry the new bounds down to the descendants.
  Object.assign(cell.limits, limits);
  if (hostname !== undefined) cell.ns.uts.hostname = hostname;
  if (privileges !== undefined) cell.policy = privileges;
  cell.partition.setLimits(quota);
  cell.partition.setBarriers(barriers);
  if (rules !== undefined) setAlerts(k, cell, rules.alerts);
  setCpu(cell.cpu, cpu);
  for (const below of cell.below()) {
    const above = below.parent!;
    const depth = depthBelow(below, cell);
    below.limits.childrenMax = Math.min(below.limits.childrenMax, Math.max(limits.childrenMax - depth, 0));
    below.limits.securelevel = Math.max(below.limits.securelevel, above.limits.securelevel);
    below.limits.enforceStatfs = Math.max(below.limits.enforceStatfs, above.limits.enforceStatfs);
    below.policy = new PrivilegeSet([...below.policy.granted].filter((priv) => above.policy.has(priv)));
  }
  if (spec.persist !== undefined) {
    cell.persist = spec.persist;
    if (!spec.persist && cell.procs.size === 0) removeCell(k, cell);
  }
  return undefined;
};

export const cell_get: Handler<'cell_get'> = (k, p, [ref]) => {
  k.sched.settle(); // the caller's own ticks so far
  return infoOf(p, ref === undefined ? p.cell : descendant(k, p, ref));
};

export const cell_list: Handler<'cell_list'> = (k, p) => {
  k.sched.settle();
  return [...p.cell.below()].sort((a, b) => a.id - b.id).map((cell) => infoOf(p, cell));
};

/** jail_attach(2): refused (EPERM) while the caller holds a directory descriptor it could fchdir out through. */
export const cell_attach: Handler<'cell_attach'> = (k, p, [ref]) => {
  const cell = descendant(k, p, ref, 'EINVAL');
  if (cell.state !== 'alive') throw fail('EINVAL');
  for (const entry of p.fds) if (entry?.file.directory() !== undefined && !k.unsafe.heldDescriptors) throw fail('EPERM');
  k.sched.settle(); // CPU used until now belongs to the old cell
  attachProcess(k, p, cell);
  return undefined;
};

export const cell_remove: Handler<'cell_remove'> = (k, p, [ref]) => {
  const cell = descendant(k, p, ref, 'EINVAL');
  removeCell(k, cell);
  return undefined;
};

function paramsOf(params: unknown): CellParams {
  if (typeof params !== 'object' || params === null) throw fail('EFAULT');
  const spec = params as Record<string, unknown>;
  const known = new Set(['name', 'path', 'hostname', 'privileges', 'childrenMax', 'securelevel', 'enforceStatfs', 'sysvipc', 'persist', 'kind', 'limits', 'rules', 'barriers', 'net']);
  for (const key of Object.keys(spec)) if (!known.has(key)) throw fail('EINVAL', undefined, `unknown parameter: ${key}`);
  const str = (key: string): void => {
    if (spec[key] !== undefined && typeof spec[key] !== 'string') throw fail('EINVAL', undefined, `${key}: not a string`);
  };
  const int = (key: string): void => {
    if (spec[key] !== undefined && (typeof spec[key] !== 'number' || !Number.isInteger(spec[key]))) throw fail('EINVAL', undefined, `${key}: not an integer`);
  };
  const bool = (key: string): void => {
    if (spec[key] !== undefined && typeof spec[key] !== 'boolean') throw fail('EINVAL', undefined, `${key}: not a boolean`);
  };
  ['name', 'path', 'hostname', 'kind'].forEach(str);
  ['childrenMax', 'securelevel', 'enforceStatfs'].forEach(int);
  ['sysvipc', 'persist'].forEach(bool);
  if (spec.privileges !== undefined && (!Array.isArray(spec.privileges) || !spec.privileges.every((x) => typeof x === 'string'))) {
    throw fail('EINVAL', undefined, 'privileges: not a list of names');
  }
  return spec as CellParams;
}

/** Where a dotted name puts a new cell: "www.sub" from the host is "sub" in "www". */
function placeOf(creator: Cell, name: string | undefined): { parent: Cell; leaf: string | undefined } {
  if (name === undefined) return { parent: creator, leaf: undefined };
  const parts = name.split('.');
  for (const part of parts) if (!NAME_COMPONENT.test(part)) throw fail('EINVAL', undefined, `invalid name: ${name}`);
  let parent = creator;
  for (const part of parts.slice(0, -1)) {
    const next = parent.childByName.get(part);
    if (next === undefined) throw fail('ENOENT', undefined, `jail "${part}" not found`);
    if (next.state !== 'alive') throw fail('ENOENT', undefined, `jail "${part}" is dying`);
    parent = next;
  }
  return { parent, leaf: parts[parts.length - 1] };
}

/** A child's root: its path is resolved inside its parent's root. */
function rootOf(p: Process, parent: Cell, path: string): Cell['root'] {
  const parentRoot = pathFrom(p.root, parent.root);
  if (parentRoot === undefined) throw fail('ENOENT');
  const full = path.startsWith('/') ? `${parentRoot === '/' ? '' : parentRoot}${path}` : path;
  const loc = lookup(p, full, true);
  if (!loc.link.getNode().isDirectory()) throw fail('ENOTDIR');
  return loc;
}

/** A `limits` parameter: its resource limits, and its CPU settings (cpu.ts). */
function splitLimits(limits: unknown, parent: Cell, deny: Limits = {}): { quota: Limits; cpu: CpuSettings } {
  if (limits !== undefined && (typeof limits !== 'object' || limits === null)) throw fail('EINVAL', undefined, 'limits: not an object');
  const { cpuShares, cpuCap, ...rest } = (limits ?? {}) as Record<string, unknown>;
  // A deny rule is a hard limit: the lower of it and the named limit holds.
  for (const [name, amount] of Object.entries(deny) as [Resource, number][]) {
    const named = rest[name];
    rest[name] = typeof named === 'number' ? Math.min(named, amount) : amount;
  }
  return { quota: quotaOf(rest, parent), cpu: cpuOf(cpuShares, cpuCap, parent.cpu) };
}

/** A rule list: deny rules as limits, log and signal rules as alerts on the cell's partition. */
function rulesOf(rules: unknown, cellName: string): { deny: Limits; alerts: Alert[] } {
  const deny: Limits = {};
  const alerts: Alert[] = [];
  if (rules === undefined) return { deny, alerts };
  if (!Array.isArray(rules)) throw fail('EINVAL', undefined, 'rules: not a list');
  for (const rule of rules as Record<string, unknown>[]) {
    const { resource, action, amount, text } = rule ?? {};
    if (typeof resource !== 'string' || !Object.hasOwn(RESOURCES, resource)) throw fail('EINVAL', undefined, `rules: unknown resource: ${String(resource)}`);
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) throw fail('EINVAL', undefined, `rules: ${resource}: not an amount`);
    const name = text === undefined ? `${resource}:${String(action)}=${amount}` : String(text);
    if (action === 'deny') deny[resource as Resource] = Math.min(deny[resource as Resource] ?? Infinity, amount);
    else if (action === 'log') alerts.push({ index: RESOURCE_INDEX[resource as Resource], amount, action: 'log', text: name, cellName, signalled: new WeakSet() });
    else if (typeof action === 'string' && Object.hasOwn(SIGNALS, action)) {
      alerts.push({ index: RESOURCE_INDEX[resource as Resource], amount, action: SIGNALS[action as SignalName], text: name, cellName, signalled: new WeakSet() });
    } else throw fail('EINVAL', undefined, `rules: unknown action: ${String(action)}`);
  }
  return { deny, alerts };
}

/** Puts `alerts` on a cell, keeping the kernel's count of cells with any (the boundary skips the check at 0). */
function setAlerts(k: Kernel, cell: Cell, alerts: readonly Alert[]): void {
  k.alerting += (alerts.length > 0 ? 1 : 0) - (cell.partition.alerts.length > 0 ? 1 : 0);
  cell.partition.alerts = alerts;
}

/** Resource limits for a child of `parent`: known names, whole numbers, never above the parent's. */
function quotaOf(limits: Record<string, unknown>, parent: Cell): Limits {
  const out: Limits = {};
  for (const [name, value] of Object.entries(limits)) {
    if (!Object.hasOwn(RESOURCES, name)) throw fail('EINVAL', undefined, `unknown resource: ${name}`);
    if (typeof value !== 'number' || !(Number.isSafeInteger(value) || value === Infinity) || value < 0) throw fail('EINVAL', undefined, `${name}: not a limit`);
    if (value > parent.partition.counters[name as Resource].limit && !parent.unsafe.childBounds) throw fail('EPERM');
    out[name as Resource] = value;
  }
  return out;
}

/** Soft limits: known resources, whole amounts or Infinity; not bounded by the parent's (never enforced). */
function barriersOf(barriers: unknown): Limits {
  if (barriers === undefined) return {};
  if (typeof barriers !== 'object' || barriers === null) throw fail('EINVAL', undefined, 'barriers: not an object');
  const out: Limits = {};
  for (const [name, value] of Object.entries(barriers)) {
    if (!Object.hasOwn(RESOURCES, name)) throw fail('EINVAL', undefined, `barriers: unknown resource: ${name}`);
    if (typeof value !== 'number' || !(Number.isSafeInteger(value) || value === Infinity) || value < 0) throw fail('EINVAL', undefined, `barriers: ${name}: not an amount`);
    out[name as Resource] = value;
  }
  return out;
}

function checkLimits(limits: { childrenMax: number; securelevel: number; enforceStatfs: number }, parent: Cell): void {
  if (limits.childrenMax < 0 || limits.enforceStatfs < 0 || limits.enforceStatfs > 2) throw fail('EINVAL');
  if (limits.childrenMax >= parent.limits.childrenMax) throw fail('EPERM');
  if (limits.securelevel < parent.limits.securelevel) throw fail('EPERM');
  if (limits.enforceStatfs < parent.limits.enforceStatfs) throw fail('EPERM');
}

function privilegesOf(names: readonly string[], parent: Cell): PrivilegeSet {
  for (const name of names) {
    if (!Object.hasOwn(PRIVILEGES, name)) throw fail('EINVAL', undefined, `unknown privilege: ${name}`);
    // FreeBSD refuses an allow bit the creator lacks with a bare EPERM (no errmsg).
    if (!parent.policy.has(name as Privilege) && !parent.unsafe.childBounds) throw fail('EPERM');
  }
  return new PrivilegeSet(names as Privilege[]);
}

function hostnameOf(name: string): string {
  if (name.length >= MAXHOSTNAMELEN) throw fail('ENAMETOOLONG');
  return name;
}

/** The next free cell id, counting on from the last one given (as pids are). */
function allocCellId(k: Kernel): number {
  for (let tries = 0; tries < MAX_CELLS; tries++) {
    const id = k.nextCellId;
    k.nextCellId = id >= MAX_CELLS ? 1 : id + 1;
    if (!k.cells.has(id)) return id;
  }
  throw fail('EAGAIN');
}

/** A descendant by its dotted name relative to `from` ("www.sub"), walking the name maps. */
function byRelativeName(from: Cell, name: string): Cell | undefined {
  let cell: Cell | undefined = from;
  for (const part of name.split('.')) {
    cell = cell.childByName.get(part);
    if (cell === undefined) return undefined;
  }
  return cell;
}

/** A cell strictly below the caller's, by id or relative name; others look missing. */
export function descendant(k: Kernel, p: Process, ref: unknown, missing: 'ENOENT' | 'EINVAL' = 'ENOENT'): Cell {
  let cell: Cell | undefined;
  if (typeof ref === 'number') cell = k.cells.get(ref);
  else if (typeof ref === 'string') cell = byRelativeName(p.cell, ref) ?? (/^\d+$/.test(ref) ? k.cells.get(Number(ref)) : undefined);
  else throw fail('EINVAL');
  if (cell === undefined || ((cell === p.cell || !p.cell.contains(cell)) && !k.unsafe.cellHierarchy)) {
    throw fail(missing, undefined, typeof ref === 'number' ? `jail ${ref} not found` : `jail "${ref}" not found`);
  }
  return cell;
}

function depthBelow(cell: Cell, top: Cell): number {
  let depth = 0;
  for (let c: Cell | null = cell; c !== null && c !== top; c = c.parent) depth++;
  return depth;
}

function infoOf(p: Process, cell: Cell): CellInfo {
  return {
    id: cell.id,
    name: cell.nameFrom(p.cell),
    kind: cell.kind,
    path: pathFrom(p.root, cell.root) ?? '/',
    hostname: cell.ns.uts.hostname,
    parent: cell.parent === null || cell.parent === p.cell ? 0 : cell.parent.id,
    state: cell.state,
    childrenMax: cell.limits.childrenMax,
    childrenCur: cell.descendants,
    securelevel: cell.limits.securelevel,
    enforceStatfs: cell.limits.enforceStatfs,
    privileges: [...cell.policy.granted].sort(),
    persist: cell.persist,
    sysvipc: cell.ns.ipc !== null,
    addresses: cell.ns.net === null ? [] : cellAddresses(cell.ns.net),
    vnet: cell.ns.net?.ownsStack === true,
    processes: cell.procs.size,
    resources: cell.partition.snapshot(),
    cpu: { ticks: cell.cpu.ticks, shares: cell.cpu.shares, cap: cell.cpu.cap },
  };
}
