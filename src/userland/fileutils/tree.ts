/** Directory walking shared by rm -r and cp -R. */
import type { Sys } from '../../kernel/abi.js';

/** The names in a directory, without `.` and `..`, sorted so walks are deterministic. */
export async function entries(sys: Sys, dir: string): Promise<string[]> {
  const names = (await sys.readdir(dir)).map((d) => d.name).filter((n) => n !== '.' && n !== '..');
  return names.sort(byName);
}

/** Byte-order comparison, as ls sorts in the C locale. */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
