/**
 * Zone resource controls as zonecfg has them: the `rctl` resource with zone.* names and
 * `(priv, limit, action)` values, and `capped-memory` (physical, swap, locked). This table says
 * what each name is and which values it takes; the checks zonecfg and zoneadm verify make
 * (libzonecfg's aliases, zonecfg's capped-memory rules) give zonecfg's own words. The zone
 * personality (src/cells/zone.ts) maps the checked values onto the kernel's limits and rules.
 * Pure data and checks, no state.
 */
import { SIGNALS } from '../kernel/abi.js';
import { fieldName } from './messages.js';
import type { Finding } from './semantic.js';

/** What a zone rctl controls in cellblock's terms. */
export type ZoneRctlTarget =
  | { readonly resource: 'processes' | 'memory' | 'ipc' }
  | { readonly setting: 'cpuShares' | 'cpuCap' }
  /** Nothing to count: cellblock never locks memory, so the cap never binds. */
  | { readonly none: true };

export interface ZoneRctl {
  readonly target: ZoneRctlTarget;
  /** Actions its values may take (resource_controls(5): cpu-shares never denies, ...). */
  readonly actions: readonly ('deny' | 'none' | 'signal')[];
  /** The system value: no privileged value may pass it. */
  readonly max: number;
  /** The least value (FSS here has no zero-share class; a cap of 0 would stop the zone). */
  readonly min?: number;
  /** The zonecfg global property or resource that sets the same rctl. */
  readonly alias?: 'max-processes' | 'max-lwps' | 'cpu-shares' | 'capped-cpu' | 'capped-memory';
}

const INT_MAX = 2147483647;
const UINT64_MAX = 2 ** 64;
const COUNT: ZoneRctl['actions'] = ['deny', 'none', 'signal'];
const DENY: ZoneRctl['actions'] = ['deny', 'signal'];

/** The zone.* rctls cellblock knows; any other name is refused as zonecfg refuses it. */
export const ZONE_RCTLS: Readonly<Record<string, ZoneRctl>> = {
  'zone.max-processes': { target: { resource: 'processes' }, actions: COUNT, max: INT_MAX, alias: 'max-processes' },
  // No threads: a zone's processes are its LWPs.
  'zone.max-lwps': { target: { resource: 'processes' }, actions: COUNT, max: INT_MAX, alias: 'max-lwps' },
  'zone.cpu-shares': { target: { setting: 'cpuShares' }, actions: ['none'], max: 65535, min: 1, alias: 'cpu-shares' },
  'zone.cpu-cap': { target: { setting: 'cpuCap' }, actions: ['deny'], max: INT_MAX, min: 1, alias: 'capped-cpu' },
  // Swap reservation is what a zone allocates: all of its memory.
  'zone.max-swap': { target: { resource: 'memory' }, actions: DENY, max: UINT64_MAX, alias: 'capped-memory' },
  'zone.max-locked-memory': { target: { none: true }, actions: DENY, max: UINT64_MAX, alias: 'capped-memory' },
  // Segments are not counted apart from other memory: the cap holds for all of it (stricter).
  'zone.max-shm-memory': { target: { resource: 'memory' }, actions: DENY, max: UINT64_MAX },
  // Queues and segments share one counter: the ids caps given add up to its limit.
  'zone.max-shm-ids': { target: { resource: 'ipc' }, actions: DENY, max: 16777216 },
  'zone.max-msg-ids': { target: { resource: 'ipc' }, actions: DENY, max: 16777216 },
};

/** zonecfg's capped-memory minimums (non-global zones). */
export const MIN_PHYSICAL = 1024 ** 2;
export const MIN_SWAP = 50 * 1024 ** 2;

const SUFFIX: Readonly<Record<string, number>> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** A zonecfg size ("512m", "1G", or a number of bytes) in bytes; undefined when it is none. */
export function zoneBytes(size: unknown): number | undefined {
  if (typeof size === 'number') return Number.isSafeInteger(size) && size >= 0 ? size : undefined;
  if (typeof size !== 'string') return undefined;
  const match = /^(\d+)([KMGT]?)$/i.exec(size);
  return match === null ? undefined : Number(match[1]) * SUFFIX[match[2]!.toUpperCase()]!;
}

/** A value's action: deny, none, or a signal as `signal=SIGTERM` / `signal=TERM`. */
export function parseAction(action: unknown): { kind: 'deny' | 'none' } | { kind: 'signal'; signal: string } | undefined {
  if (action === 'deny' || action === 'none') return { kind: action };
  if (typeof action !== 'string') return undefined;
  const match = /^signal=(?:SIG)?([A-Z][A-Z0-9]*)$/.exec(action);
  return match === null ? undefined : { kind: 'signal', signal: `SIG${match[1]!}` };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A finding in zonecfg's words, after the field it is about (`"rctl[0]": ...`). */
function finding(at: readonly string[], text: string): Finding {
  return { at, text: `"${fieldName(at)}": ${text}` };
}

/** The zone's rctl and capped-memory checks, in zonecfg's words. */
export function checkZoneControls(value: unknown): Finding[] {
  const zone = record(value);
  const findings: Finding[] = [];
  const named = new Set<string>();
  const rctls = Array.isArray(zone.rctl) ? (zone.rctl as unknown[]) : [];
  rctls.forEach((raw, i) => {
    const at = ['rctl', String(i)];
    const { name, value: values } = record(raw);
    if (typeof name !== 'string') return; // the schema says so
    const rctl = Object.hasOwn(ZONE_RCTLS, name) ? ZONE_RCTLS[name] : undefined;
    if (rctl === undefined) {
      findings.push(finding(at, `'${name}' is not a valid zone rctl name.`));
      return;
    }
    if (named.has(name)) findings.push(finding(at, `A rctl resource with the name '${name}' already exists.`));
    named.add(name);
    if (rctl.alias !== undefined && zone[rctl.alias] !== undefined) {
      const memory = rctl.alias === 'capped-memory';
      const field = name === 'zone.max-swap' ? 'swap' : 'locked';
      if (!memory || record(zone['capped-memory'])[field] !== undefined) {
        findings.push(finding(at, memory ? 'The capped-memory resource or a related resource control already exists.' : 'An incompatible rctl already exists for this property'));
      }
    }
    if (!Array.isArray(values)) return;
    if (values.length === 0) findings.push(finding(at, 'rctl: no value specified'));
    for (const v of values) {
      const { priv, limit, action } = record(v);
      const parsed = parseAction(action);
      const ok = priv === 'privileged' && typeof limit === 'number' && Number.isInteger(limit) && limit >= (rctl.min ?? 0) && limit <= rctl.max
        && parsed !== undefined && rctl.actions.includes(parsed.kind) && (parsed.kind !== 'signal' || Object.hasOwn(SIGNALS, parsed.signal));
      if (!ok) findings.push(finding(at, `(priv=${String(priv)},limit=${String(limit)},action=${String(action)}) is not a valid value for rctl '${name}'`));
    }
  });
  if (zone['capped-memory'] !== undefined) findings.push(...checkCappedMemory(record(zone['capped-memory'])));
  return findings;
}

function checkCappedMemory(cap: Record<string, unknown>): Finding[] {
  const at = ['capped-memory'];
  const [physical, swap, locked] = [zoneBytes(cap.physical), zoneBytes(cap.swap), zoneBytes(cap.locked)];
  if (cap.physical === undefined && cap.swap === undefined && cap.locked === undefined) {
    return [finding(at, 'No property was specified.  One of physical, swap or locked is required.')];
  }
  const findings: Finding[] = [];
  if (physical !== undefined && physical < MIN_PHYSICAL) findings.push(finding(at, 'physical value is too small.  It must be at least 1M.'));
  if (swap !== undefined && swap < MIN_SWAP) findings.push(finding(at, 'swap value is too small.  It must be at least 50M.'));
  if (locked !== undefined && physical !== undefined && locked > physical) findings.push(finding(at, 'The locked cap must be less than or equal to the physical cap.'));
  return findings;
}
