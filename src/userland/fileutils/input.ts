/**
 * Reading inputs: the `-` / no-operand convention for stdin, chunked copies, and lines split
 * on bytes so a UTF-8 character cut by a chunk boundary is never mangled.
 */
import type { Sys } from '../../kernel/abi.js';
import { STDIN, STDOUT } from '../lib.js';
import { concat } from './output.js';

export const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

/** An operand's display name and descriptor: `-` is stdin, which is never closed. */
export interface Input {
  readonly name: string;
  readonly fd: number;
  close(): Promise<void>;
}

export async function openInput(sys: Sys, operand: string): Promise<Input> {
  if (operand === '-') return { name: 'stdin', fd: STDIN, close: async () => {} };
  const fd = await sys.open(operand);
  return { name: operand, fd, close: () => sys.close(fd) };
}

/** Opens `operand`, runs `use`, and closes it again whatever happens. */
export async function withInput<T>(sys: Sys, operand: string, use: (input: Input) => Promise<T>): Promise<T> {
  const input = await openInput(sys, operand);
  try {
    return await use(input);
  } finally {
    await input.close();
  }
}

/** The operands, or stdin alone when there are none. */
export function operandsOrStdin(operands: readonly string[]): readonly string[] {
  return operands.length === 0 ? ['-'] : operands;
}

/** Copies a descriptor to another (stdout by default) until end of file. */
export async function copyFd(sys: Sys, from: number, to: number = STDOUT): Promise<number> {
  let total = 0;
  for (;;) {
    const chunk = await sys.read(from, CHUNK);
    if (chunk.length === 0) return total;
    await sys.write(to, chunk);
    total += chunk.length;
  }
}

/**
 * Yields the lines of a descriptor as bytes, each with its newline (the last one may lack it).
 * Reads only as far as the consumer asks, so `head` stops reading an endless pipe.
 */
export async function* readLines(sys: Sys, fd: number): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let pendingSize = 0;
  for (;;) {
    const chunk = await sys.read(fd, CHUNK);
    if (chunk.length === 0) break;
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, nl + 1);
      yield pendingSize === 0 ? piece : concat([...pending, piece], pendingSize + piece.length);
      pending = [];
      pendingSize = 0;
      start = nl + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingSize += chunk.length - start;
    }
  }
  if (pendingSize > 0) yield concat(pending, pendingSize);
}
