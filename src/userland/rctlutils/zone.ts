/**
 * Zones as prctl and prstat name them: the global zone is the host cell (id 0, "global"); a
 * zone sees itself by its own name and, from the global zone, every cell by its name or id.
 */
import type { CellInfo, Sys } from '../../kernel/abi.js';
import { errnoOf } from '../lib.js';
import { cellRef } from '../jailutils/lookup.js';

export const GLOBAL = 'global';

export interface Zone {
  readonly id: number;
  readonly name: string;
  readonly info: CellInfo;
}

/** The caller's own zone. */
export async function ownZone(sys: Sys): Promise<Zone> {
  const info = await sys.cell_get();
  return { id: info.id, name: info.id === 0 ? GLOBAL : info.name, info };
}

/** A zone by name or id, or undefined when the caller cannot see one by that name (zone_get_id). */
export async function findZone(sys: Sys, name: string): Promise<Zone | undefined> {
  const own = await ownZone(sys);
  if (name === own.name || name === String(own.id)) return own;
  try {
    const info = await sys.cell_get(cellRef(name));
    return { id: info.id, name: info.name, info };
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    return undefined;
  }
}
