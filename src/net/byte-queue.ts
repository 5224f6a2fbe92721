/**
 * A queue of bytes kept as the chunks they arrived in: a TCP socket's send buffer (bytes kept
 * until the peer acknowledges them) and receive buffer. Each chunk remembers the partition
 * charged for it (memory), and dropping bytes gives their charge back.
 */
import { Buffer } from 'node:buffer';
import type { Partition } from '../cells/partition.js';

interface Chunk {
  data: Uint8Array;
  readonly payer: Partition | null;
}

export class ByteQueue {
  private chunks: Chunk[] = [];
  private head = 0;
  size = 0;

  push(data: Uint8Array, payer: Partition | null = null): void {
    if (data.length === 0) return;
    this.chunks.push({ data, payer });
    this.size += data.length;
  }

  /** A copy of `length` bytes starting `offset` bytes in (a view when one chunk holds them). */
  peek(offset: number, length: number): Uint8Array {
    const n = Math.max(0, Math.min(length, this.size - offset));
    let i = this.head;
    let skip = offset;
    while (i < this.chunks.length && skip >= this.chunks[i]!.data.length) skip -= this.chunks[i++]!.data.length;
    const first = this.chunks[i];
    if (first === undefined || n === 0) return new Uint8Array(0);
    if (skip + n <= first.data.length) return first.data.subarray(skip, skip + n);
    const out = Buffer.allocUnsafe(n);
    let done = 0;
    while (done < n) {
      const data = this.chunks[i++]!.data;
      const part = data.subarray(skip, Math.min(data.length, skip + n - done));
      out.set(part, done);
      done += part.length;
      skip = 0;
    }
    return out;
  }

  /** Takes up to `length` bytes off the front. */
  take(length: number): Uint8Array {
    const out = this.peek(0, length);
    this.drop(out.length);
    return out;
  }

  /** Drops `length` bytes off the front, giving back their memory charge. */
  drop(length: number): void {
    let left = Math.min(length, this.size);
    this.size -= left;
    while (left > 0) {
      const chunk = this.chunks[this.head]!;
      const n = Math.min(left, chunk.data.length);
      chunk.payer?.uncharge('memory', n);
      left -= n;
      if (n === chunk.data.length) this.chunks[this.head++] = undefined as unknown as Chunk;
      else chunk.data = chunk.data.subarray(n);
    }
    if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  /** Drops everything (the socket is gone). */
  clear(): void {
    this.drop(this.size);
  }
}
