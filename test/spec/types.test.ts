import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { JAIL_PARAMS } from '../../src/cells/jail-params.js';
import { checkFile, validateScenario, validateSpec } from '../../src/spec/index.js';
import { schemaDocument } from '../../src/spec/schemas.js';
import {
  EXAMPLES, db, fullDestroy, fullUpdate, fullExpect, fullJail, fullLink, fullNetwork, fullPcap, fullRun, fullScenario, fullStart, fullStop, fullSwitch, fullZone, fullZoneFs, fullZoneNet, www,
} from './fixtures.js';

type Props = Record<string, { type?: string | string[] }>;

function propertyNames(schema: Record<string, unknown>): string[] {
  return Object.keys(schema.properties as Props).sort();
}

const scenarioDefs = schemaDocument('scenario').$defs as Record<string, Record<string, unknown>>;

describe('spec examples', () => {
  it('validates every file in specs/examples', async () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));
    expect(files).toEqual(expect.arrayContaining(['www.jail.json', 'db.zone.json', 'demo.scenario.json']));
    for (const file of files) expect(await checkFile(fileURLToPath(new URL(file, EXAMPLES))), file).toEqual([]);
  });

  it('holds the two examples of issue 4 exactly as written there', () => {
    const read = (name: string): unknown => JSON.parse(readFileSync(new URL(name, EXAMPLES), 'utf8'));
    expect(read('www.jail.json')).toEqual(www);
    expect(read('db.zone.json')).toEqual(db);
  });

  it('demo: a host with two jails and a zone', () => {
    const demo = validateScenario(JSON.parse(readFileSync(new URL('demo.scenario.json', EXAMPLES), 'utf8')));
    if (!demo.ok) throw new Error(demo.errors.join('\n'));
    expect(demo.scenario.cells.map((c) => c.kind).sort()).toEqual(['jail', 'jail', 'zone']);
  });
});

describe('hand-written types agree with the schemas', () => {
  it('accepts the typed fixtures that fill in every field', () => {
    expect(validateSpec(fullJail)).toEqual({ ok: true, spec: fullJail });
    expect(validateSpec(fullZone)).toEqual({ ok: true, spec: fullZone });
    expect(validateScenario(fullScenario)).toEqual({ ok: true, scenario: fullScenario });
  });

  it('has exactly the schemas\' fields', () => {
    expect(Object.keys(fullJail).sort()).toEqual(propertyNames(schemaDocument('jail')));
    expect(Object.keys(fullZone).sort()).toEqual(propertyNames(schemaDocument('zone')));
    expect(Object.keys(fullScenario).sort()).toEqual(propertyNames(schemaDocument('scenario')));
    const stepFields = new Set([fullRun, fullStart, fullStop, fullDestroy, fullUpdate].flatMap((s) => Object.keys(s)));
    expect([...stepFields].sort()).toEqual(propertyNames(scenarioDefs.step!));
    expect(Object.keys(fullExpect).sort()).toEqual(propertyNames(scenarioDefs.expect!));
    const scenarioProps = schemaDocument('scenario').properties as Record<string, Record<string, unknown>>;
    expect(Object.keys(fullNetwork).sort()).toEqual(propertyNames(scenarioProps.network!));
    expect(Object.keys(fullSwitch).sort()).toEqual(propertyNames(scenarioDefs.switch!));
    expect(Object.keys(fullLink).sort()).toEqual(propertyNames(scenarioDefs.link!));
    expect(Object.keys(fullPcap).sort()).toEqual(propertyNames(scenarioProps.pcap!));
    const zoneProps = schemaDocument('zone').properties as Record<string, Record<string, unknown>>;
    expect(Object.keys(fullZoneNet).sort()).toEqual(propertyNames(zoneProps.net!.items as Record<string, unknown>));
    expect(Object.keys(fullZoneFs).sort()).toEqual(propertyNames(zoneProps.fs!.items as Record<string, unknown>));
  });

  it('names every jail(8) parameter of the jail personality\'s table, with its type', () => {
    const props = schemaDocument('jail').properties as Props;
    const jsonType = { string: 'string', int: 'integer', bool: 'boolean', list: 'array' } as const;
    for (const [name, param] of Object.entries(JAIL_PARAMS)) expect(props[name]?.type, name).toBe(jsonType[param.type]);
  });
});
