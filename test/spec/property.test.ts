// Random mutations of valid specs: the validator never throws, and each message names the cell.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateScenario, validateSpec } from '../../src/spec/index.js';
import { schemaDocument } from '../../src/spec/schemas.js';
import { db, fullJail, fullZone, www } from './fixtures.js';

type Spec = Record<string, unknown>;
type Mutation = (spec: Spec) => Spec;

/** The fields that name the cell stay as they are, so every message must start with that name. */
const NAMING = new Set(['kind', 'name', 'zonename']);

function mutation(keys: readonly string[]): fc.Arbitrary<Mutation> {
  const key = fc.constantFrom(...keys.filter((k) => !NAMING.has(k)));
  const newKey = fc.oneof(fc.string(), fc.constantFrom('childen.max', 'allow.nomount', 'ip4.addr', '__proto__', 'constructor'))
    .filter((k) => !NAMING.has(k));
  return fc.oneof(
    key.map((k): Mutation => (s) => Object.fromEntries(Object.entries(s).filter(([name]) => name !== k))),
    // A computed key defines an own property, even "__proto__", as JSON.parse does.
    fc.tuple(fc.oneof(key, newKey), fc.jsonValue()).map(([k, v]): Mutation => (s) => ({ ...s, [k]: v })),
  );
}

describe.each([
  ['www', www, 'jail'],
  ['db', db, 'zone'],
  ['www.sub', fullJail, 'jail'],
  ['db', fullZone, 'zone'],
] as const)('mutations of %s', (name, spec, kind) => {
  const known = Object.keys(schemaDocument(kind).properties as object);
  it('validate, or give messages that name the cell', () => {
    fc.assert(
      fc.property(fc.array(mutation([...known, ...Object.keys(spec)]), { minLength: 1, maxLength: 4 }), (mutations) => {
        const mutated = mutations.reduce<Spec>((s, m) => m(s), { ...spec });
        const result = validateSpec(mutated);
        if (result.ok) {
          for (const key of Object.keys(mutated)) expect(known).toContain(key);
        } else {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const message of result.errors) expect(message).toMatch(new RegExp(`^${name.replace('.', '\\.')}: .*"`));
        }
      }),
      { numRuns: 300, seed: 4 },
    );
  });
});

describe('any JSON value', () => {
  it('is checked without throwing, as a spec or as a scenario', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        for (const result of [validateSpec(value), validateScenario(value)]) {
          if (!result.ok) for (const message of result.errors) expect(message).toMatch(/\S/);
        }
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  it('reports a __proto__ key as an unknown parameter, not a prototype', () => {
    const spec: unknown = JSON.parse(`{"__proto__": {"path": "/x"}, ${JSON.stringify(www).slice(1)}`);
    expect(validateSpec(spec)).toEqual({ ok: false, errors: ['www: unknown parameter "__proto__"'] });
  });
});
