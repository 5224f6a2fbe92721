/**
 * Streams between the kernel and the world outside it: the console, and the stdin, stdout and
 * stderr the host API and the CLI connect to a process. Input arrives from outside (a string
 * given up front, or Node's stdin as it comes); output goes to a sink. A reader waiting on
 * input that the outside can still send is idle, not deadlocked.
 */
import { Buffer } from 'node:buffer';
import { O_RDONLY, O_WRONLY, POLLIN, POLLOUT, S_IFCHR, type Stat } from './abi.js';
import type { IoResult } from '../vfs/file.js';
import { OpenFile } from '../vfs/file.js';
import { fail } from './errno.js';
import type { Kernel } from './kernel.js';
import type { Process } from '../proc/process.js';
import { WaitQueue } from './waitqueue.js';

/** Bytes coming in from outside the kernel. */
export class InputStream {
  private chunks: Buffer[] = [];
  private ended = false;
  readonly readers: WaitQueue;

  constructor(
    private readonly kernel: Kernel,
    readonly tty: boolean,
    name: string,
  ) {
    this.readers = new WaitQueue(`${name} read`, true);
  }

  push(data: Uint8Array | string): void {
    if (this.ended) return;
    const buf = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
    if (buf.length === 0) return;
    this.chunks.push(buf);
    this.kernel.wakeAll(this.readers);
  }

  end(): void {
    this.ended = true;
    this.readers.external = false;
    this.kernel.wakeAll(this.readers);
  }

  /** Is there something to read now (bytes, or the end of input)? */
  get ready(): boolean {
    return this.chunks.length > 0 || this.ended;
  }

  read(k: Kernel, p: Process, length: number): IoResult<Uint8Array> {
    const first = this.chunks[0];
    if (first === undefined) {
      if (this.ended || length === 0) return new Uint8Array(0);
      return k.sleepOn(p, this.readers);
    }
    if (first.length <= length) {
      this.chunks.shift();
      return first;
    }
    this.chunks[0] = first.subarray(length);
    return first.subarray(0, length);
  }
}

export type Sink = (data: Uint8Array) => void;

/** A descriptor onto an outside stream: input, output, or both (a terminal). */
export class StreamFile extends OpenFile {
  constructor(
    flags: number,
    private readonly input: InputStream | null,
    private readonly output: Sink | null,
    private readonly tty: boolean,
    private readonly rdev: number,
  ) {
    super(flags);
  }

  static reader(input: InputStream): StreamFile {
    return new StreamFile(O_RDONLY, input, null, input.tty, 0);
  }

  static writer(sink: Sink, tty: boolean): StreamFile {
    return new StreamFile(O_WRONLY, null, sink, tty, 0);
  }

  read(k: Kernel, p: Process, length: number): IoResult<Uint8Array> {
    if (this.input === null) throw fail('EBADF');
    return this.input.read(k, p, length);
  }

  write(_k: Kernel, _p: Process, data: Uint8Array): number {
    if (this.output === null) throw fail('EBADF');
    this.output(Buffer.from(data));
    return data.length;
  }

  stat(): Stat {
    return {
      dev: 0, ino: 0, mode: S_IFCHR | 0o620, nlink: 1, uid: 0, gid: 0, rdev: this.rdev,
      size: 0, blksize: 4096, blocks: 0, atimeMs: 0, mtimeMs: 0, ctimeMs: 0,
    };
  }

  override isTty(): boolean {
    return this.tty;
  }

  override poll(): number {
    const input = this.input;
    return (input === null || input.ready ? POLLIN : 0) | (this.output !== null ? POLLOUT : 0);
  }

  override pollQueues(): readonly WaitQueue[] {
    return this.input === null ? [] : [this.input.readers];
  }
}
