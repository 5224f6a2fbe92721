/**
 * Pipes: a 64 KiB buffer between a read end and a write end. A reader blocks while the pipe is
 * empty and a writer remains; a writer blocks while it is full and a reader remains; a writer
 * with no reader left gets EPIPE and SIGPIPE. Owned by the ipc subsystem.
 *
 * Buffered bytes are memory of the writer's cell: the write row charges what fits now
 * (writeBufferCharge), each chunk keeps the partition that paid for it, and reading the bytes,
 * or the last reader going (nobody can read them then), gives them back. A writer that blocks
 * is charged afresh for each part it puts in when it resumes.
 */
import { Buffer } from 'node:buffer';
import { O_RDONLY, O_WRONLY, POLLERR, POLLHUP, POLLIN, POLLOUT, S_IFIFO, type Stat } from '../kernel/abi.js';
import { fail } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import { WaitQueue } from '../kernel/waitqueue.js';
import type { Partition } from '../cells/partition.js';
import { claimAdmitted, dataLength, rearm } from '../proc/memory.js';
import type { Process } from '../proc/process.js';
import { OpenFile, type IoResult } from '../vfs/file.js';

export const PIPE_BUF_SIZE = 64 * 1024;

/** Buffered bytes and the partition charged for them (null: written without a charge). */
interface Chunk {
  data: Buffer;
  readonly payer: Partition | null;
}

export class Pipe {
  private chunks: Chunk[] = [];
  size = 0;
  readers = 1;
  writers = 1;
  readonly readable = new WaitQueue('pipe read');
  readonly writable = new WaitQueue('pipe write');

  /** @param ino the inode number fstat reports, allocated per kernel */
  constructor(readonly ino: number) {}

  /** Bytes of `length` a write puts in now: what fits; none once no reader is left. */
  fitting(length: number): number {
    return this.readers === 0 ? 0 : Math.min(length, PIPE_BUF_SIZE - this.size);
  }

  /** Takes up to `length` bytes from the front (a short read when chunks are smaller). */
  take(length: number): Buffer {
    const first = this.chunks[0]!;
    const n = Math.min(length, first.data.length);
    const out = first.data.subarray(0, n);
    if (n === first.data.length) this.chunks.shift();
    else first.data = first.data.subarray(n);
    this.size -= n;
    first.payer?.uncharge('memory', n);
    return out;
  }

  put(data: Buffer, payer: Partition | null): void {
    this.chunks.push({ data, payer });
    this.size += data.length;
  }

  /** The last reader went: the buffered bytes can never be read, so they go now. */
  drop(): void {
    for (const chunk of this.chunks) chunk.payer?.uncharge('memory', chunk.data.length);
    this.chunks = [];
    this.size = 0;
  }
}

/**
 * What a write (or send) is charged as memory: the bytes a kernel buffer (a pipe's, a socket's)
 * takes from it now; nothing for files. A writer that blocks is charged afresh for the next part.
 */
export function writeBufferCharge(_k: Kernel, p: Process, args: unknown[]): number {
  const [fd, data] = args;
  const file = typeof fd === 'number' ? p.fds[fd]?.file : undefined;
  return file === undefined ? 0 : file.buffering(Math.max(0, dataLength(data) - p.progress));
}

export class PipeReadEnd extends OpenFile {
  constructor(readonly pipe: Pipe) {
    super(O_RDONLY);
  }

  read(k: Kernel, p: Process, length: number): IoResult<Uint8Array> {
    const pipe = this.pipe;
    if (pipe.size === 0) {
      if (pipe.writers === 0 || length === 0) return new Uint8Array(0);
      return k.sleepOn(p, pipe.readable);
    }
    const data = pipe.take(Math.min(length, pipe.size));
    k.wakeAll(pipe.writable);
    return data;
  }

  write(): number {
    throw fail('EBADF');
  }

  stat(): Stat {
    return pipeStat(this.pipe);
  }

  override poll(): number {
    const pipe = this.pipe;
    return (pipe.size > 0 ? POLLIN : 0) | (pipe.writers === 0 ? POLLHUP : 0);
  }

  override pollQueues(): readonly WaitQueue[] {
    return [this.pipe.readable];
  }

  override release(k: Kernel): void {
    if (--this.pipe.readers === 0) this.pipe.drop();
    k.wakeAll(this.pipe.writable);
  }
}

export class PipeWriteEnd extends OpenFile {
  constructor(readonly pipe: Pipe) {
    super(O_WRONLY);
  }

  read(): Uint8Array {
    throw fail('EBADF');
  }

  /** Writes everything, blocking whenever the buffer is full; p.progress counts bytes done. */
  write(k: Kernel, p: Process, data: Uint8Array): IoResult<number> {
    const pipe = this.pipe;
    while (p.progress < data.length) {
      if (pipe.readers === 0) {
        k.signalProcess(p, 'SIGPIPE');
        throw fail('EPIPE');
      }
      const n = pipe.fitting(data.length - p.progress);
      if (n === 0) {
        rearm(p);
        return k.sleepOn(p, pipe.writable);
      }
      pipe.put(Buffer.from(data.subarray(p.progress, p.progress + n)), claimAdmitted(p, 'memory', n));
      p.progress += n;
      k.wakeAll(pipe.readable);
    }
    return data.length;
  }

  stat(): Stat {
    return pipeStat(this.pipe);
  }

  override poll(): number {
    const pipe = this.pipe;
    return pipe.readers === 0 ? POLLERR : pipe.fitting(1) > 0 ? POLLOUT : 0;
  }

  override pollQueues(): readonly WaitQueue[] {
    return [this.pipe.writable];
  }

  override buffering(length: number): number {
    return this.pipe.fitting(length);
  }

  override release(k: Kernel): void {
    this.pipe.writers--;
    k.wakeAll(this.pipe.readable);
  }
}

function pipeStat(pipe: Pipe): Stat {
  return {
    dev: 0,
    ino: pipe.ino,
    mode: S_IFIFO | 0o600,
    nlink: 1,
    uid: 0,
    gid: 0,
    rdev: 0,
    size: pipe.size,
    blksize: PIPE_BUF_SIZE,
    blocks: 0,
    atimeMs: 0,
    mtimeMs: 0,
    ctimeMs: 0,
  };
}
