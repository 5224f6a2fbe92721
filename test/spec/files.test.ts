// Spec and scenario files: JSON syntax errors with their place, unreadable files, and
// `cellblock validate`'s output and exit status.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { validateCommand } from '../../cmd/validate.js';
import { loadScenarioFile, loadSpecFile } from '../../src/spec/index.js';
import { parseJson } from '../../src/spec/json.js';
import { fullScenario, www } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'cellblock-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('JSON syntax errors', () => {
  it.each([
    ['{"kind": "jail",\n "name": }', 'f.json:2:10: invalid JSON: Unexpected token \'}\''],
    ['{"kind": "jail",\n}', 'f.json:2:1: invalid JSON: Expected double-quoted property name'],
    ['{"kind": "jail"', 'f.json:1:16: invalid JSON: Expected \',\' or \'}\' after property value'],
    ['', 'f.json:1:1: invalid JSON: Unexpected end of JSON input'],
    ['{"a": 1} x', 'f.json:1:10: invalid JSON: Unexpected non-whitespace character after JSON'],
    ['[1,\n  2,\n  tru]', 'f.json:3:6: invalid JSON: Unexpected token \']\''],
  ])('places the error in %j', (text, message) => {
    expect(parseJson(text, 'f.json')).toEqual({ ok: false, error: message });
  });

  it('parses valid JSON', () => {
    expect(parseJson(' {"a": [1, "b"]} ', 'f.json')).toEqual({ ok: true, value: { a: [1, 'b'] } });
  });
});

describe('loading files', () => {
  it('loads a valid spec and a valid scenario', async () => {
    expect(await loadSpecFile(file('www.json', JSON.stringify(www)))).toEqual({ ok: true, spec: www });
    expect(await loadScenarioFile(file('s.json', JSON.stringify(fullScenario)))).toEqual({ ok: true, scenario: fullScenario });
  });

  it('prefixes errors with the file', async () => {
    const path = file('bad.json', JSON.stringify({ ...www, enforce_statfs: 9 }));
    expect(await loadSpecFile(path)).toEqual({ ok: false, errors: [`${path}: www: "enforce_statfs" must be <= 2`] });
  });

  it('reports a file it cannot read', async () => {
    const path = join(dir, 'missing.json');
    expect(await loadScenarioFile(path)).toEqual({ ok: false, errors: [`${path}: cannot read: no such file or directory`] });
    expect(await loadSpecFile(dir)).toEqual({ ok: false, errors: [`${dir}: cannot read: illegal operation on a directory`] });
  });
});

describe('cellblock validate', () => {
  async function run(files: string[]): Promise<{ status: number; out: string; err: string }> {
    const out = new PassThrough();
    const err = new PassThrough();
    const status = await validateCommand(files, out, err);
    out.end();
    err.end();
    return { status, out: String(out.read() ?? ''), err: String(err.read() ?? '') };
  }

  it('prints FILE: ok for each valid file and exits 0', async () => {
    const spec = file('ok.json', JSON.stringify(www));
    const scenario = file('ok.scenario.json', JSON.stringify(fullScenario));
    expect(await run([spec, scenario])).toEqual({ status: 0, out: `${spec}: ok\n${scenario}: ok\n`, err: '' });
  });

  it('prints every error of every bad file on stderr and exits 2', async () => {
    const good = file('good.json', JSON.stringify(www));
    const bad = file('bad2.json', JSON.stringify({ ...www, 'childen.max': 1, securelevel: 'high' }));
    const broken = file('broken.json', '{"kind": "zone",,}');
    const scenario = file('bad.scenario.json', JSON.stringify({ cells: [www], steps: [{ start: 'db' }] }));
    expect(await run([bad, good, broken, scenario])).toEqual({
      status: 2,
      out: `${good}: ok\n`,
      err: [
        `${bad}: www: unknown parameter "childen.max" (did you mean "children.max"?)`,
        `${bad}: www: "securelevel" must be an integer`,
        `${broken}:1:17: invalid JSON: Expected double-quoted property name`,
        `${scenario}: steps[0]: unknown cell "db"`,
        '',
      ].join('\n'),
    });
  });

  it('needs a file', async () => {
    expect(await run([])).toEqual({ status: 2, out: '', err: 'cellblock validate: name at least one file\n' });
  });
});
