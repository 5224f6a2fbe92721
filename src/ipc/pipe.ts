/**
 * Pipes: a 64 KiB buffer between a read end and a write end. A reader blocks while the pipe is
 * empty and a writer remains; a writer blocks while it is full and a reader remains; a writer
 * with no reader left gets EPIPE and SIGPIPE. Owned by the ipc subsystem.
 */
import { Buffer } from 'node:buffer';
import { O_RDONLY, O_WRONLY, S_IFIFO, type Stat } from '../kernel/abi.js';
import { fail } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import { WaitQueue } from '../kernel/waitqueue.js';
import type { Process } from '../proc/process.js';
import { OpenFile, type IoResult } from '../vfs/file.js';

export const PIPE_BUF_SIZE = 64 * 1024;

export class Pipe {
  private chunks: Buffer[] = [];
  size = 0;
  readers = 1;
  writers = 1;
  readonly readable = new WaitQueue('pipe read');
  readonly writable = new WaitQueue('pipe write');

  /** @param ino the inode number fstat reports, allocated per kernel */
  constructor(readonly ino: number) {}

  /** Takes up to `length` bytes from the front (a short read when chunks are smaller). */
  take(length: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length <= length) {
      this.chunks.shift();
      this.size -= first.length;
      return first;
    }
    this.chunks[0] = first.subarray(length);
    this.size -= length;
    return first.subarray(0, length);
  }

  put(data: Buffer): void {
    this.chunks.push(data);
    this.size += data.length;
  }
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

  override release(k: Kernel): void {
    this.pipe.readers--;
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
      const room = PIPE_BUF_SIZE - pipe.size;
      if (room === 0) return k.sleepOn(p, pipe.writable);
      const n = Math.min(room, data.length - p.progress);
      pipe.put(Buffer.from(data.subarray(p.progress, p.progress + n)));
      p.progress += n;
      k.wakeAll(pipe.readable);
    }
    return data.length;
  }

  stat(): Stat {
    return pipeStat(this.pipe);
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
