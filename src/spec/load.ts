/** Reading spec and scenario files: unreadable files and JSON syntax errors are reported like the rest. */
import { readFile } from 'node:fs/promises';
import { parseJson } from './json.js';
import { isScenarioLike, type ScenarioResult, type SpecResult, validateScenario, validateSpec } from './validate.js';

async function readJson(path: string): Promise<{ ok: true; value: unknown } | { ok: false; errors: string[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    // Node's message is "ENOENT: no such file or directory, open 'x'": keep the middle part.
    const message = (err as Error).message.replace(/^[A-Z]+: /, '').replace(/, \w+(?: '.*')?$/, '');
    return { ok: false, errors: [`${path}: cannot read: ${message}`] };
  }
  const parsed = parseJson(text, path);
  return parsed.ok ? parsed : { ok: false, errors: [parsed.error] };
}

export async function loadSpecFile(path: string): Promise<SpecResult> {
  const read = await readJson(path);
  return read.ok ? validateSpec(read.value, path) : read;
}

export async function loadScenarioFile(path: string): Promise<ScenarioResult> {
  const read = await readJson(path);
  return read.ok ? validateScenario(read.value, path) : read;
}

/** Checks a file that is either a spec or a scenario (told apart by its content); returns its errors. */
export async function checkFile(path: string): Promise<string[]> {
  const read = await readJson(path);
  if (!read.ok) return read.errors;
  const result = isScenarioLike(read.value) ? validateScenario(read.value, path) : validateSpec(read.value, path);
  return result.ok ? [] : result.errors;
}
