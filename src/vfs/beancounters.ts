/**
 * /proc/user_beancounters, in OpenVZ's format (Version 2.5, the 64-bit kernel's printf widths),
 * generated from the cells' resource partitions. On the host (beancounter 0) it lists every
 * cell's block, uid = cell id; inside a cell only the cell's own block (OpenVZ ub_accessible).
 *
 * Only UBC rows that one of our resources really is are shown, in ub_rnames[] order:
 *   privvmpages  <- memory     (pages of 4096 bytes, rounded up; limits rounded down)
 *   numproc      <- processes
 *   numothersock <- sockets    (we do not tell TCP from other sockets)
 *   numfile      <- openFiles
 * disk and inodes are vzquota's (diskspace, diskinodes), not beancounters; ipc counts message
 * queues and shm segments together, which no UBC row counts (shmpages are pages), so those
 * resources have no row. UBC rows without a resource here (kmemsize, numtcpsock, ...) are left
 * out rather than shown as invented zeros. Unlimited prints as LONG_MAX, as OpenVZ prints it.
 */
import type { ResourceName, ResourceUsage } from '../kernel/abi.js';

/** What an unlimited barrier or limit reads as on a 64-bit kernel. */
export const LONG_MAX = '9223372036854775807';
const PAGE = 4096;

/** One beancounter: a cell's id and its partition's counters. */
export interface Beancounter {
  readonly id: number;
  readonly resources: Readonly<Record<ResourceName, ResourceUsage>>;
}

/** UBC name, the resource it shows, and the unit one UBC item is in our bytes or items. */
export const UBC_ROWS: readonly (readonly [string, ResourceName, number])[] = [
  ['privvmpages', 'memory', PAGE],
  ['numproc', 'processes', 1],
  ['numothersock', 'sockets', 1],
  ['numfile', 'openFiles', 1],
];

function amount(value: number, unit: number, round: (n: number) => number): string {
  return value === Infinity ? LONG_MAX : String(round(value / unit));
}

/** The whole file for these beancounters, in the order given. */
export function userBeancounters(counters: readonly Beancounter[]): string {
  const col = (s: string): string => s.padStart(20);
  let out = 'Version: 2.5\n';
  out += `${'uid'.padStart(10)}  ${'resource'.padEnd(12)} ${['held', 'maxheld', 'barrier', 'limit', 'failcnt'].map(col).join(' ')}\n`;
  for (const bc of counters) {
    UBC_ROWS.forEach(([name, resource, unit], i) => {
      const r = bc.resources[resource];
      const lead = i === 0 ? `${String(bc.id).padStart(10)}:` : ' '.repeat(11);
      const values = [amount(r.usage, unit, Math.ceil), amount(r.peak, unit, Math.ceil), amount(r.barrier, unit, Math.floor), amount(r.limit, unit, Math.floor), String(r.failcnt)];
      out += `${lead} ${name.padEnd(12)} ${values.map(col).join(' ')}\n`;
    });
  }
  return out;
}

/** The cells a viewer's cell may see here: all of them from the host, else only its own. */
export function visibleCounters<C extends { readonly id: number; readonly parent: unknown; partition: { snapshot(): Record<ResourceName, ResourceUsage> } }>(viewer: C, all: Iterable<C>): Beancounter[] {
  const cells = viewer.parent === null ? [...all].sort((a, b) => a.id - b.id) : [viewer];
  return cells.map((c) => ({ id: c.id, resources: c.partition.snapshot() }));
}
