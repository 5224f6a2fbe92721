/**
 * JSON.parse with a place for its errors: `FILE:LINE:COLUMN: invalid JSON: Unexpected token '}'`.
 * V8 names a position for some syntax errors only, so the offending character is found by
 * parsing prefixes: the shortest prefix that fails for a reason other than running out of
 * input ends with it.
 */
export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

/** Whether `text` fails to parse only because it stops early (a valid beginning of JSON). */
function isIncomplete(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch (err) {
    const message = (err as Error).message;
    const at = /at position (\d+)/.exec(message);
    return /end of JSON input/.test(message) || (at !== null && Number(at[1]) >= text.length);
  }
}

/** Index of the character where the syntax error is (text.length when the text ends early). */
function errorOffset(text: string): number {
  let low = 0; // text.slice(0, low) is a valid beginning
  let high = text.length; // text.slice(0, high) is not, or is the whole text
  if (isIncomplete(text)) return text.length;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (isIncomplete(text.slice(0, mid))) low = mid;
    else high = mid;
  }
  return high - 1;
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

/** V8's message without the parts that repeat the input or a position we give better. */
function reason(message: string): string {
  return message
    .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '')
    .replace(/ (?:in JSON )?at position \d+.*$/s, '')
    .replace(/ \(line \d+ column \d+\)$/, '');
}

export function parseJson(text: string, source: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: `${source}:${lineAndColumn(text, errorOffset(text))}: invalid JSON: ${reason((err as Error).message)}` };
  }
}
