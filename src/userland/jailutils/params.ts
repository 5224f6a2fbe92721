/**
 * The jail(8) parameters as the jail tools use them. Names, types, create-only flags and the
 * allow.* → privilege map come from the shared table (src/cells/jail-params.ts); this file adds
 * how jls reads each one from the CellInfo the kernel returns, how jail -c/-m writes each into a
 * Draft that becomes CellParams, and the read-only parameters only jls shows.
 */
import type { CellInfo } from '../../kernel/abi.js';
import type { Privilege } from '../../kernel/privileges.js';
import { ALLOW_PRIVILEGE, JAIL_PARAMS as SHARED, listOf, type JailParamName, type JailParamType } from '../../cells/jail-params.js';

export type ParamType = JailParamType;
export type ParamValue = number | string | boolean;

/** What jail -c or -m asks for, before it becomes CellParams. */
export interface Draft {
  name?: string;
  path?: string;
  hostname?: string;
  securelevel?: number;
  enforceStatfs?: number;
  childrenMax?: number;
  persist?: boolean;
  sysvipc?: boolean;
  /** allow.* flags given, as the privilege each grants. */
  readonly allow: Map<Privilege, boolean>;
  /** Network parameters given (ip4, ip4.addr, vnet, vnet.interface), as jail(8) values. */
  readonly net: { ip4?: string; 'ip4.addr'?: string[]; vnet?: string; 'vnet.interface'?: string[] };
}

export interface JailParam {
  readonly name: string;
  readonly type: ParamType;
  /** The kernel fixes it at creation: jail -m may not change it. */
  readonly createOnly: boolean;
  readonly get: (info: CellInfo) => ParamValue;
  /** Absent for read-only parameters (jid, parent, children.cur, dying). */
  readonly set?: (draft: Draft, value: ParamValue) => void;
}

/** The shared table's names the kernel sees (not the pseudo-parameters jail(8) runs itself). */
type KernelParamName = { [K in JailParamName]: (typeof SHARED)[K] extends { pseudo: true } ? never : K }[JailParamName];
type Access = Pick<JailParam, 'get' | 'set'>;

const str = (v: ParamValue): string => String(v);
const int = (v: ParamValue): number => Number(v);
const bool = (v: ParamValue): boolean => v === true;

function allowAccess(privilege: Privilege): Access {
  return { get: (i) => i.privileges.includes(privilege), set: (d, v) => void d.allow.set(privilege, bool(v)) };
}

/** Every kernel parameter of the shared table must have a row here (the type checks it). */
const ACCESS: Record<KernelParamName, Access> = {
  name: { get: (i) => i.name, set: (d, v) => void (d.name = str(v)) },
  path: { get: (i) => i.path, set: (d, v) => void (d.path = str(v)) },
  'host.hostname': { get: (i) => i.hostname, set: (d, v) => void (d.hostname = str(v)) },
  'allow.set_hostname': allowAccess(ALLOW_PRIVILEGE['allow.set_hostname']!),
  'allow.mount': allowAccess(ALLOW_PRIVILEGE['allow.mount']!),
  'allow.settime': allowAccess(ALLOW_PRIVILEGE['allow.settime']!),
  'allow.sysvipc': { get: (i) => i.sysvipc, set: (d, v) => void (d.sysvipc = bool(v)) },
  'children.max': { get: (i) => i.childrenMax, set: (d, v) => void (d.childrenMax = int(v)) },
  securelevel: { get: (i) => i.securelevel, set: (d, v) => void (d.securelevel = int(v)) },
  enforce_statfs: { get: (i) => i.enforceStatfs, set: (d, v) => void (d.enforceStatfs = int(v)) },
  persist: { get: (i) => i.persist, set: (d, v) => void (d.persist = bool(v)) },
  'allow.raw_sockets': allowAccess(ALLOW_PRIVILEGE['allow.raw_sockets']!),
  'allow.reserved_ports': allowAccess(ALLOW_PRIVILEGE['allow.reserved_ports']!),
  'ip4.addr': { get: (i) => (i.vnet ? '' : i.addresses.join(',')), set: (d, v) => void (d.net['ip4.addr'] = listOf(str(v))) },
  ip4: { get: (i) => (i.vnet || i.addresses.length === 0 ? 'disable' : 'new'), set: (d, v) => void (d.net.ip4 = str(v)) },
  vnet: { get: (i) => (i.vnet ? 'new' : 'inherit'), set: (d, v) => void (d.net.vnet = v === true ? 'new' : str(v)) },
  'vnet.interface': { get: () => '', set: (d, v) => void (d.net['vnet.interface'] = listOf(str(v))) },
};

/** Read-only parameters: the kernel reports them, nobody sets them. */
const READ_ONLY: readonly JailParam[] = [
  { name: 'jid', type: 'int', createOnly: false, get: (i) => i.id },
  { name: 'parent', type: 'int', createOnly: false, get: (i) => i.parent },
  { name: 'children.cur', type: 'int', createOnly: false, get: (i) => i.childrenCur },
  { name: 'dying', type: 'bool', createOnly: false, get: (i) => i.state === 'dying' },
];

/** Every parameter, in jls -n order: top-level names first, then dotted ones, each alphabetical. */
export const JAIL_PARAMS: readonly JailParam[] = [
  ...(Object.keys(ACCESS) as KernelParamName[]).map((name): JailParam => {
    const shared: { type: ParamType; createOnly?: boolean } = SHARED[name];
    return { name, type: shared.type, createOnly: shared.createOnly ?? false, ...ACCESS[name] };
  }),
  ...READ_ONLY,
].sort(byJlsOrder);

function byJlsOrder(a: JailParam, b: JailParam): number {
  const dotted = Number(a.name.includes('.')) - Number(b.name.includes('.'));
  return dotted !== 0 ? dotted : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Pseudo-parameters of the shared table: jail(8) acts on them, the kernel never sees them. */
export function isPseudo(name: string): name is JailParamName {
  return Object.hasOwn(SHARED, name) && 'pseudo' in SHARED[name as JailParamName];
}

export function pseudoType(name: JailParamName): ParamType {
  return SHARED[name].type;
}

/** A parameter by name, or by its negated boolean form ("nopersist", "allow.nomount"). */
export function findParam(name: string): { param: JailParam; negated: boolean } | undefined {
  const exact = JAIL_PARAMS.find((p) => p.name === name);
  if (exact !== undefined) return { param: exact, negated: false };
  const positive = positiveName(name);
  const param = JAIL_PARAMS.find((p) => p.type === 'bool' && p.name === positive);
  return param === undefined ? undefined : { param, negated: true };
}

/** "nopersist" → "persist", "allow.nomount" → "allow.mount"; undefined when not negated. */
export function positiveName(name: string): string | undefined {
  const dot = name.lastIndexOf('.') + 1;
  return name.slice(dot, dot + 2) === 'no' ? name.slice(0, dot) + name.slice(dot + 2) : undefined;
}

/** The negated name of a boolean: "persist" → "nopersist", "allow.mount" → "allow.nomount". */
export function negatedName(name: string): string {
  const dot = name.lastIndexOf('.') + 1;
  return `${name.slice(0, dot)}no${name.slice(dot)}`;
}

export function emptyDraft(): Draft {
  return { allow: new Map(), net: {} };
}

/**
 * Parses a value as libjail does: integers in decimal, booleans as true/false or an integer.
 * Returns the parsed value, or the complaint jail(8) prints.
 */
export function parseValue(name: string, type: ParamType, raw: string | undefined, negated: boolean): ParamValue | { error: string } {
  if (type === 'bool') {
    let on = true;
    if (raw !== undefined) {
      if (/^true$/i.test(raw)) on = true;
      else if (/^false$/i.test(raw)) on = false;
      else if (/^[+-]?\d+$/.test(raw)) on = Number(raw) !== 0;
      else return { error: `${name}: unknown boolean value "${raw}"` };
    }
    return on !== negated;
  }
  if (type === 'int') {
    if (raw === undefined || !/^[+-]?\d+$/.test(raw)) return { error: `${name}: non-integer value "${raw ?? ''}"` };
    return Number(raw);
  }
  return raw ?? '';
}
