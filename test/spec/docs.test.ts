import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { specReferenceMarkdown, withSpecReference } from '../../src/spec/docs.js';

describe('README Spec reference', () => {
  it('is generated from the schemas (run `npx tsx scripts/spec-docs.ts` after changing them)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`\n${specReferenceMarkdown()}## CLI reference\n`);
  });

  it('lists every jail parameter with its default', () => {
    expect(specReferenceMarkdown()).toContain('| `enforce_statfs` | integer 0..2 | `2` |');
    expect(specReferenceMarkdown()).toContain('| `zonepath` | string: an absolute path other than / | required |');
  });

  it('replaces only its own section', () => {
    const readme = '# t\n\n## A\n\na\n\n## Spec reference\n\nold\n\n## CLI reference\n\ncli\n';
    expect(withSpecReference(readme, '## Spec reference\n\nnew\n\n')).toBe('# t\n\n## A\n\na\n\n## Spec reference\n\nnew\n\n## CLI reference\n\ncli\n');
    expect(withSpecReference('# t\n\n## CLI reference\n', '## Spec reference\n\nnew\n\n')).toBe('# t\n\n## Spec reference\n\nnew\n\n## CLI reference\n');
  });
});
