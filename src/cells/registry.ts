/**
 * Defining cells from specs: picks the personality for the spec's kind (the one place that
 * looks at a kind) and registers the managed cell by name.
 */
import type { Kernel } from '../kernel/kernel.js';
import { jailPersonality, type JailSpecShape } from './jail.js';
import { CellError } from './lifecycle-table.js';
import { ManagedCell, type Personality } from './managed.js';
import { zonePersonality, type ZoneSpecShape } from './zone.js';

export type CellSpecShape = JailSpecShape | ZoneSpecShape;

export function personalityOf(spec: CellSpecShape): Personality {
  switch (spec.kind) {
    case 'jail':
      return jailPersonality(spec);
    case 'zone':
      return zonePersonality(spec);
  }
}

export async function defineCell(k: Kernel, spec: CellSpecShape): Promise<ManagedCell> {
  const personality = personalityOf(spec);
  if (k.managed.has(personality.name)) throw new CellError(`cellblock: cell "${personality.name}" already exists`);
  const cell = new ManagedCell(k, personality, spec);
  await cell.define();
  k.managed.set(personality.name, cell);
  return cell;
}
