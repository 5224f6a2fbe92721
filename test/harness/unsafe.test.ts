/**
 * The test-only kernel switches (src/kernel/unsafe.ts): off by default everywhere, inherited by
 * every cell from boot, named from one list, and out of reach of specs and scenarios.
 */
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/index.js';
import { MECHANISMS, MECHANISM_NAMES, SAFE, unsafeFlags, type Mechanism } from '../../src/kernel/unsafe.js';
import { validateScenario, validateSpec } from '../../src/spec/index.js';
import { buildWorld } from './world.js';

describe('unsafe switches', () => {
  it('are all on (safe) unless a test names them', () => {
    expect(MECHANISM_NAMES.length).toBeGreaterThanOrEqual(10);
    for (const name of MECHANISM_NAMES) {
      expect(SAFE[name]).toBe(false);
      expect(MECHANISMS[name].length, name).toBeGreaterThan(20);
    }
    const flags = unsafeFlags(['privileges', 'confinement']);
    expect(MECHANISM_NAMES.filter((name) => flags[name])).toEqual(['confinement', 'privileges']);
    expect(() => unsafeFlags(['nosuch' as Mechanism])).toThrow('unknown mechanism: nosuch');
  });

  it('are fixed at boot and shared by the kernel and every cell', async () => {
    const plain = await buildWorld();
    expect(plain.k.unsafe).toBe(SAFE);
    for (const cell of plain.k.cells.values()) expect(cell.unsafe, cell.name).toBe(SAFE);
    const k = await Kernel.boot({ unsafe: ['ipcNamespaces'] });
    expect(k.unsafe.ipcNamespaces).toBe(true);
    expect(k.hostCell.unsafe).toBe(k.unsafe);
  });

  it('cannot be set from a spec or a scenario', () => {
    const spec = { kind: 'jail', name: 'www', path: '/jails/www', unsafe: ['privileges'] };
    expect(validateSpec(spec).ok).toBe(false);
    const scenario = { name: 's', unsafe: ['privileges'], cells: [], steps: [] };
    expect(validateScenario(scenario).ok).toBe(false);
    expect(validateScenario({ name: 's', cells: [], steps: [] }).ok).toBe(true);
  });
});
