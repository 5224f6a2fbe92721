/**
 * The README's "Spec reference" section, generated from specs/*.schema.json so the docs and
 * the schemas cannot disagree (`npx tsx scripts/spec-docs.ts` rewrites it; a test fails when it is stale).
 */
import { type SchemaName, schemaDocument } from './schemas.js';

type Schema = Record<string, unknown>;

export const SECTION_HEADING = '## Spec reference';
export const NEXT_HEADING = '## CLI reference';

/** Follows a local `$ref` ("#/$defs/expect") inside `root`. */
function resolved(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema;
  return ref.slice(2).split('/').reduce<Schema>((node, key) => node[key] as Schema, root);
}

function range(schema: Schema): string {
  const { minimum: min, maximum: max } = schema;
  if (typeof min === 'number' && typeof max === 'number') return ` ${min}..${max}`;
  if (typeof min === 'number') return ` ≥ ${min}`;
  return typeof max === 'number' ? ` ≤ ${max}` : '';
}

/** "step" → "steps", "switch" → "switches". */
function plural(noun: string): string {
  return /(s|sh|ch|x)$/.test(noun) ? `${noun}es` : `${noun}s`;
}

function typeOf(schema: Schema): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' or ');
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [String(schema.type)];
  const items = (schema.items ?? {}) as Schema;
  // An item type, or the name of the definition the items refer to ("#/$defs/step" → steps).
  const item = typeof items.type === 'string' ? items.type : typeof items.$ref === 'string' ? items.$ref.split('/').pop() : undefined;
  const words = types.map((t) => (t === 'array' && item !== undefined ? `array of ${plural(item)}` : t));
  const pattern = typeof schema.patternMessage === 'string' ? `: ${schema.patternMessage}` : '';
  return `${words.join(' or ')}${range(schema)}${pattern}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function fieldTable(object: Schema, root: Schema, noun: string): string {
  const required = new Set((object.required as string[] | undefined) ?? []);
  const rows = Object.entries(object.properties as Record<string, Schema>).map(([name, raw]) => {
    const schema = resolved(raw, root);
    const isObject = schema.type === 'object';
    const external = typeof raw.$ref === 'string' && !raw.$ref.startsWith('#') ? `object (${raw.$ref.replace('.schema.json', '')}, below)` : undefined;
    const type = external ?? (isObject ? 'object (below)' : typeOf(schema));
    const fallback = required.has(name) ? 'required' : schema.default === undefined ? '' : `\`${JSON.stringify(schema.default)}\``;
    return `| \`${name}\` | ${cell(type)} | ${fallback} | ${cell(String(schema.description ?? ''))} |`;
  });
  return [`| ${noun} | type | default | meaning |`, '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** Tables of the fields of a kind's object-valued properties and of its arrays of objects (zone net, rctl). */
function nestedTables(schema: Schema, noun: string): string[] {
  const out: string[] = [];
  for (const [name, raw] of Object.entries(schema.properties as Record<string, Schema>)) {
    const items = raw.type === 'array' ? (raw.items as Schema | undefined) : raw;
    if (items?.type !== 'object' || typeof items.properties !== 'object') continue;
    out.push('', `**\`${name}\`${raw === items ? '' : ' items'}.**`, '', fieldTable(items, schema, noun));
  }
  return out;
}

function kindSection(name: SchemaName, noun: string): string {
  const schema = schemaDocument(name);
  return [`### ${String(schema.title)} (\`specs/${name}.schema.json\`)`, '', String(schema.description), '', fieldTable(schema, schema, noun), ...nestedTables(schema, noun)].join('\n');
}

function scenarioSection(): string {
  const schema = schemaDocument('scenario');
  const defs = schema.$defs as Record<string, Schema>;
  return [
    '### scenario (`specs/scenario.schema.json`)', '', String(schema.description), '',
    fieldTable(schema, schema, 'field'), '',
    `**Step.** ${String(defs.step!.description)}`, '',
    fieldTable(defs.step!, schema, 'field'), '',
    `**expect.** ${String(defs.expect!.description)}`, '',
    fieldTable(defs.expect!, schema, 'field'), '',
    `**network.** ${String((schema.properties as Record<string, Schema>).network!.description)}`, '',
    fieldTable((schema.properties as Record<string, Schema>).network!, schema, 'field'), '',
    `**A switch** (\`switches\` items). ${String(defs.switch!.description)}`, '',
    fieldTable(defs.switch!, schema, 'field'), '',
    `**A link** (\`links\` items). ${String(defs.link!.description)}`, '',
    fieldTable(defs.link!, schema, 'field'),
  ].join('\n');
}

export function specReferenceMarkdown(): string {
  return [
    SECTION_HEADING,
    '',
    '<!-- generated from specs/*.schema.json by `npx tsx scripts/spec-docs.ts`; edit the schemas, not this section -->',
    '',
    'A cell is created from a JSON spec: a jail with jail(8)\'s parameter names, a zone with zonecfg\'s',
    'property names. `cellblock validate FILE...` checks specs and scenarios and reports every error',
    'at once, each naming the cell and the field (`www: unknown parameter "childen.max" (did you mean',
    '"children.max"?)`). Examples: `specs/examples/`.',
    '',
    kindSection('jail', 'parameter'),
    '',
    kindSection('zone', 'property'),
    '',
    kindSection('limits', 'field'),
    '',
    scenarioSection(),
    '',
    '',
  ].join('\n');
}

/** `readme` with its Spec reference section (up to the CLI reference) replaced by `section`. */
export function withSpecReference(readme: string, section: string): string {
  const end = readme.indexOf(`\n${NEXT_HEADING}`);
  if (end < 0) throw new Error(`README.md has no "${NEXT_HEADING}" heading`);
  const start = readme.indexOf(`\n${SECTION_HEADING}\n`);
  return `${readme.slice(0, start < 0 || start > end ? end : start)}\n${section}${readme.slice(end + 1)}`;
}
