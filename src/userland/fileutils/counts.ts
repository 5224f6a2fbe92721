/** Parsing the numeric operands of head, tail and dd. */

/** A non-negative decimal count, or undefined when the text is not one. */
export function parseCount(text: string): number | undefined {
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

const SUFFIX: Readonly<Record<string, number>> = { b: 512, k: 1024, m: 1024 ** 2, g: 1024 ** 3, w: 2 };

/** dd's sizes: a number with an optional b/k/m/g/w suffix, products joined by `x` (2x1k). */
export function parseSize(text: string): number | undefined {
  let product = 1;
  for (const factor of text.toLowerCase().split('x')) {
    const m = /^(\d+)([bkmgw]?)$/.exec(factor);
    if (!m) return undefined;
    product *= Number(m[1]) * (m[2] ? SUFFIX[m[2]]! : 1);
  }
  return Number.isSafeInteger(product) ? product : undefined;
}
