/**
 * The JSON Schemas in specs/, loaded once into one ajv instance. Two annotation keywords of
 * ours ride along in the schemas: `patternMessage` (what a pattern means, for the error text)
 * and `oneOfMessage` (what a failed oneOf means); ajv only carries them to the errors.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';

export const SCHEMA_NAMES = ['jail', 'zone', 'limits', 'scenario'] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

const SPECS_DIR = new URL('../../specs/', import.meta.url);

/** The parsed schema file specs/NAME.schema.json. */
export function schemaDocument(name: SchemaName): AnySchemaObject {
  return JSON.parse(readFileSync(new URL(`${name}.schema.json`, SPECS_DIR), 'utf8')) as AnySchemaObject;
}

interface Validators {
  readonly cell: ValidateFunction;
  readonly scenario: ValidateFunction;
}

let compiled: Validators | undefined;

/** The compiled validators: `cell` (a jail or a zone, by kind) and `scenario`. */
export function validators(): Validators {
  if (compiled === undefined) {
    // verbose: errors carry the failing value and their schema, which the messages read.
    const ajv = new Ajv({ allErrors: true, verbose: true, discriminator: true, allowUnionTypes: true });
    ajv.addKeyword({ keyword: 'patternMessage', schemaType: 'string' });
    ajv.addKeyword({ keyword: 'oneOfMessage', schemaType: 'string' });
    for (const name of SCHEMA_NAMES) ajv.addSchema(schemaDocument(name));
    compiled = {
      cell: ajv.getSchema('scenario.schema.json#/$defs/cell')!,
      scenario: ajv.getSchema('scenario.schema.json')!,
    };
  }
  return compiled;
}

/** The kinds a cell spec can have, from the cell schemas' `kind` constants. */
export function cellKinds(): string[] {
  return SCHEMA_NAMES.map((name) => (schemaDocument(name).properties as Record<string, { const?: unknown }>).kind?.const)
    .filter((kind): kind is string => typeof kind === 'string');
}
