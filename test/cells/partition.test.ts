/**
 * The partition's arithmetic against a plain model: a chain of three partitions (host, jail,
 * child jail) with random limits, random charges, unit-charge sets and give-backs. After every
 * step each partition's usage, peak and failcnt equal the model's, where the model keeps peaks
 * eagerly (the partition records them lazily, on give-backs) and a refused charge changes
 * nothing but the refusing partition's failcnt.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Partition, RESOURCE_NAMES, type Resource } from '../../src/cells/partition.js';

interface Figures {
  usage: number;
  peak: number;
  failcnt: number;
}

type Step =
  | { readonly op: 'charge'; readonly at: number; readonly index: number; readonly amount: number }
  | { readonly op: 'units'; readonly at: number; readonly indexes: number[] }
  | { readonly op: 'giveBack'; readonly at: number; readonly index: number; readonly amount: number };

const LEVELS = 3;
const INDEX = fc.integer({ min: 0, max: RESOURCE_NAMES.length - 1 });
const AT = fc.integer({ min: 0, max: LEVELS - 1 });
const STEP: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('charge' as const), at: AT, index: INDEX, amount: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ op: fc.constant('units' as const), at: AT, indexes: fc.array(INDEX, { minLength: 1, maxLength: 5 }) }),
  fc.record({ op: fc.constant('giveBack' as const), at: AT, index: INDEX, amount: fc.integer({ min: 1, max: 5 }) }),
);

/** The model: a chain of figure tables, charged whole or not at all, peaks kept eagerly. */
class Model {
  readonly figures: Figures[][];

  constructor(readonly limits: number[][]) {
    this.figures = limits.map((row) => row.map(() => ({ usage: 0, peak: 0, failcnt: 0 })));
  }

  /** Levels from `at` up to the root (level 0). */
  private chain(at: number): number[] {
    return Array.from({ length: at + 1 }, (_, i) => at - i);
  }

  /** Charges a set of (index, amount) whole, or counts a failure where it first would not fit. */
  charge(at: number, wants: ReadonlyArray<readonly [number, number]>): boolean {
    const total = new Map<number, number>();
    for (const [index, amount] of wants) {
      const sum = (total.get(index) ?? 0) + amount;
      for (const level of this.chain(at)) {
        if (this.figures[level]![index]!.usage + sum > this.limits[level]![index]!) {
          this.figures[level]![index]!.failcnt++;
          return false;
        }
      }
      total.set(index, sum);
    }
    for (const [index, amount] of total) {
      for (const level of this.chain(at)) {
        const f = this.figures[level]![index]!;
        f.usage += amount;
        f.peak = Math.max(f.peak, f.usage);
      }
    }
    return true;
  }

  giveBack(at: number, index: number, amount: number): void {
    for (const level of this.chain(at)) this.figures[level]![index]!.usage -= amount;
  }
}

function figuresOf(p: Partition): Figures[] {
  return RESOURCE_NAMES.map((name: Resource) => {
    const { usage, peak, failcnt } = p.counters[name];
    return { usage, peak, failcnt };
  });
}

describe('Partition', () => {
  it('keeps usage, peak and failcnt as an eager model does, through refusals and give-backs', () => {
    const limitRow = fc.array(fc.integer({ min: 0, max: 12 }), { minLength: RESOURCE_NAMES.length, maxLength: RESOURCE_NAMES.length });
    fc.assert(
      fc.property(fc.array(limitRow, { minLength: LEVELS, maxLength: LEVELS }), fc.array(STEP, { maxLength: 60 }), (limits, steps) => {
        const chain: Partition[] = [];
        for (let level = 0; level < LEVELS; level++) {
          const p = new Partition(chain[level - 1] ?? null);
          p.setLimits(Object.fromEntries(RESOURCE_NAMES.map((name, i) => [name, limits[level]![i]!])));
          chain.push(p);
        }
        const model = new Model(limits);
        for (const step of steps) {
          const p = chain[step.at]!;
          if (step.op === 'charge') {
            const accepted = p.chargeAt(step.index, step.amount) === undefined;
            expect(accepted).toBe(step.amount === 0 || model.charge(step.at, [[step.index, step.amount]]));
          } else if (step.op === 'units') {
            const accepted = p.chargeUnits(step.indexes) === undefined;
            expect(accepted).toBe(model.charge(step.at, step.indexes.map((index) => [index, 1] as const)));
          } else {
            const usage = model.figures[step.at]![step.index]!.usage;
            const amount = Math.min(step.amount, usage);
            if (amount === 0) continue;
            p.unchargeAt(step.index, amount);
            model.giveBack(step.at, step.index, amount);
          }
          chain.forEach((partition, level) => expect(figuresOf(partition)).toEqual(model.figures[level]));
        }
      }),
      { seed: 6, numRuns: 300 },
    );
  });

  it('refuses a unit set whole: no resource of it stays charged, and the refusing one counts the failure', () => {
    const host = new Partition(null);
    const jail = new Partition(host);
    jail.setLimits({ openFiles: 1 });
    expect(jail.chargeUnits([0, 1, 1])).toBe('EMFILE');
    expect(figuresOf(jail).slice(0, 2)).toEqual([
      { usage: 0, peak: 0, failcnt: 0 },
      { usage: 0, peak: 0, failcnt: 1 },
    ]);
    expect(host.counters.processes).toMatchObject({ usage: 0, peak: 0 });
  });
});
