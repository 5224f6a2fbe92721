/**
 * Buffered output: utilities print many small pieces (one ls line, one grep match), and each
 * write is a syscall and a scheduling point, so pieces are gathered and written in chunks.
 */
import type { Data, Sys } from '../../kernel/abi.js';
import { STDOUT } from '../lib.js';

const CHUNK = 64 * 1024;
const encoder = new TextEncoder();

export class Output {
  private parts: Uint8Array[] = [];
  private size = 0;

  constructor(
    private readonly sys: Sys,
    private readonly fd: number = STDOUT,
  ) {}

  async write(data: Data): Promise<void> {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.size += bytes.length;
    if (this.size >= CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const all = concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    await this.sys.write(this.fd, all);
  }
}

export function concat(parts: readonly Uint8Array[], size = parts.reduce((n, p) => n + p.length, 0)): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const all = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}
