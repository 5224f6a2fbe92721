// Rewrites README.md's "Spec reference" section from specs/*.schema.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { specReferenceMarkdown, withSpecReference } from '../src/spec/docs.js';

const readme = new URL('../README.md', import.meta.url);
writeFileSync(readme, withSpecReference(readFileSync(readme, 'utf8'), specReferenceMarkdown()));
