/**
 * The `src... target` convention shared by cp, mv and ln: when the last operand is a directory
 * each source goes inside it under its own basename; otherwise there must be one source.
 */
import type { Sys } from '../../kernel/abi.js';
import { isDir, statOrNone } from './modes.js';
import { basename, join } from './paths.js';

export interface Move {
  readonly from: string;
  readonly to: string;
}

/** The moves, or a `target: Not a directory` complaint when several sources meet a non-directory. */
export async function planMoves(sys: Sys, operands: readonly string[]): Promise<Move[] | string> {
  const target = operands[operands.length - 1]!;
  const sources = operands.slice(0, -1);
  const mode = await statOrNone(sys, target);
  if (mode !== undefined && isDir(mode)) return sources.map((from) => ({ from, to: join(target, basename(from)) }));
  if (sources.length > 1) return `${target}: Not a directory`;
  return [{ from: sources[0]!, to: target }];
}
