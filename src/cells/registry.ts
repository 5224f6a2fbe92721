/**
 * Defining cells from specs: picks the personality for the spec's kind (the one place that
 * looks at a kind) and registers the managed cell by name.
 */
import type { Kernel } from '../kernel/kernel.js';
import type { Privilege } from '../kernel/privileges.js';
import { validateSpec, type CellSpec } from '../spec/index.js';
import { SpecError } from './spec-error.js';
export { SpecError };
import { jailPersonality } from './jail.js';
import { CellError } from './lifecycle-table.js';
import { ManagedCell, type Personality } from './managed.js';
import { zonePersonality } from './zone.js';

export function personalityOf(k: Kernel, spec: CellSpec): Personality {
  switch (spec.kind) {
    case 'jail': {
      const dot = spec.name.lastIndexOf('.');
      if (dot < 0) return jailPersonality(spec);
      const parentName = spec.name.slice(0, dot);
      const parent = k.managed.get(parentName);
      if (parent === undefined || parent.kind !== 'jail') throw new CellError(`jail: "${parentName}" not found`);
      // The parent's privileges are read when the child enters the kernel (the parent is up by then).
      const held = (privilege: Privilege): boolean => parent.id === undefined || k.cells.get(parent.id)?.policy.has(privilege) === true;
      return jailPersonality(spec, parent.personality.rootPath, held);
    }
    case 'zone':
      return zonePersonality(spec);
  }
}

/**
 * Defines a cell from a spec, validated whole first: nothing is created when any error is found.
 * With `restore`, the cell comes back as saved state left it (its files are already there):
 * a cell that was in the kernel is brought up again (a jail's exec.start runs again).
 */
export async function defineCell(k: Kernel, value: unknown, restore?: { readonly state: string }): Promise<ManagedCell> {
  const checked = validateSpec(value);
  if (!checked.ok) throw new SpecError(checked.errors);
  const spec = checked.spec;
  const personality = personalityOf(k, spec);
  if (k.managed.has(personality.name)) throw new CellError(`cellblock: cell "${personality.name}" already exists`);
  const cell = new ManagedCell(k, personality, spec);
  k.managed.set(personality.name, cell);
  try {
    if (restore === undefined) await cell.define();
    else await cell.restore(restore.state);
  } catch (err) {
    k.managed.delete(personality.name);
    throw err;
  }
  return cell;
}
