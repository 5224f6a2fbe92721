/**
 * Every property holds on every example spec and scenario (specs/examples), and reports what it
 * measured: the channels the cells' mechanisms declare, efficiency's share and overhead.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exampleFiles, PROPERTIES, runProperty } from '../../src/harness/index.js';
import { EXAMPLE, target } from './property-helpers.js';

const EXAMPLES = readdirSync(EXAMPLE('')).filter((f) => f.endsWith('.json')).sort();

describe('properties on the examples', () => {
  it('takes every example as a default target', () => {
    expect(exampleFiles().map((f) => f.slice(f.lastIndexOf('/') + 1))).toEqual(EXAMPLES);
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(3);
  });

  for (const name of EXAMPLES) {
    it(`all hold on ${name}`, async () => {
      const t = await target(name);
      for (const property of PROPERTIES) {
        for (const seed of [1, 2]) {
          const r = await runProperty(property, t, seed);
          expect(r.status, `${property.name} seed ${seed}: ${r.summary}\n${r.evidence.join('\n')}`).toBe('pass');
          if (property.name === 'noninterference') expect(r.channels.map((c) => c.name)).toEqual(expect.arrayContaining(['clock', 'pid-numbers']));
          if (property.name === 'efficiency') {
            expect(r.metrics.overhead).toBe(1);
            expect(r.metrics.share).toBeGreaterThan(0.9);
          }
        }
      }
    }, 60000);
  }
});
