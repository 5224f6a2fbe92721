/**
 * ajv's errors in the words of a person writing a spec: each names the field and the rule
 * (`"enforce_statfs" must be <= 2`, `unknown parameter "childen.max" (did you mean
 * "children.max"?)`). Where the error is, and which cell, is the caller's part.
 */
import type { ErrorObject } from 'ajv';
import { nearest } from '../util/nearest.js';
import { cellKinds } from './schemas.js';

/** What the fields of the object at hand are called: jail(8) parameters, zonecfg properties. */
export type Noun = 'parameter' | 'property' | 'field';

/** JSON-pointer segments as a field name: ["expect", "stdoutContains", "0"] → expect.stdoutContains[0]. */
export function fieldName(segments: readonly string[]): string {
  return segments.reduce((name, s) => (/^\d+$/.test(s) ? `${name}[${s}]` : name === '' ? s : `${name}.${s}`), '');
}

/** The segments of an ajv instancePath ("/steps/0/run" → ["steps", "0", "run"]). */
export function pathSegments(instancePath: string): string[] {
  if (instancePath === '') return [];
  return instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const ARTICLE: Readonly<Record<string, string>> = {
  boolean: 'a boolean',
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  array: 'an array',
  object: 'a JSON object',
  null: 'null',
};

function oneOrOther(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]!}`;
}

function quoted(values: readonly unknown[]): string {
  return oneOrOther(values.map((v) => JSON.stringify(v)));
}

function schemaString(error: ErrorObject, keyword: string): string | undefined {
  const value: unknown = (error.parentSchema as Record<string, unknown> | undefined)?.[keyword];
  return typeof value === 'string' ? value : undefined;
}

function knownFields(error: ErrorObject): string[] {
  const properties: unknown = (error.parentSchema as Record<string, unknown> | undefined)?.properties;
  return typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
}

/**
 * The text of one error, for a field at `segments` below the object the noun belongs to, or
 * undefined for errors that only echo another one (a oneOf branch's `required`).
 */
export function describeError(error: ErrorObject, segments: readonly string[], noun: Noun): string | undefined {
  const params = error.params as Record<string, unknown>;
  const field = fieldName(segments);
  const the = field === '' ? 'it' : `"${field}"`;
  const inner = (name: string): string => fieldName([...segments, name]);
  switch (error.keyword) {
    case 'required':
      return error.schemaPath.includes('/oneOf/') ? undefined : `missing required ${noun} "${inner(String(params.missingProperty))}"`;
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      const guess = nearest(extra, knownFields(error));
      return `unknown ${noun} "${inner(extra)}"${guess === undefined ? '' : ` (did you mean "${inner(guess)}"?)`}`;
    }
    case 'dependencies':
      return `"${inner(String(params.property))}" needs "${inner(String(params.missingProperty))}"`;
    case 'type': {
      const types = String(params.type).split(',');
      if (field === '') return `must be ${oneOrOther(types.map((t) => ARTICLE[t] ?? t))}`;
      return `${the} must be ${oneOrOther(types.map((t) => ARTICLE[t] ?? t))}`;
    }
    case 'const':
      return `${the} must be ${JSON.stringify(params.allowedValue)}`;
    case 'enum':
      return `${the} must be ${quoted(params.allowedValues as unknown[])}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${the} must be ${String(params.comparison)} ${String(params.limit)}`;
    case 'minLength':
    case 'minItems':
      return params.limit === 1 ? `${the} must not be empty` : `${the} must have at least ${String(params.limit)} ${error.keyword === 'minItems' ? 'items' : 'characters'}`;
    case 'maxLength':
      return `${the} must be at most ${String(params.limit)} characters long`;
    case 'maxItems':
      return `${the} must have at most ${String(params.limit)} items`;
    case 'pattern':
      return `${the} must be ${schemaString(error, 'patternMessage') ?? `text matching /${String(params.pattern)}/`} (got ${JSON.stringify(error.data)})`;
    case 'oneOf':
      return schemaString(error, 'oneOfMessage') ?? `${the} must match exactly one of its forms`;
    case 'discriminator': {
      const kinds = quoted(cellKinds());
      return params.tagValue === undefined
        ? `missing required ${noun} "kind" (${kinds})`
        : `"kind" must be ${kinds} (got ${JSON.stringify(params.tagValue)})`;
    }
    default:
      return `${the} ${error.message ?? `fails ${error.keyword}`}`;
  }
}
