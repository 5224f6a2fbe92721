/**
 * Open file descriptions: what a descriptor points at. dup and spawn share one description
 * (offset and flags included); the last close releases it. Each kind (regular file or
 * directory, pipe end, device, host stream) implements its own read and write; a call that
 * would block returns BLOCK after putting the caller to sleep on a wait queue.
 */
import { Buffer } from 'node:buffer';
import { O_ACCMODE, O_APPEND, O_RDONLY, O_WRONLY, POLLIN, POLLOUT, S_IFMT, S_IFREG, type Stat } from '../kernel/abi.js';
import type { WaitQueue } from '../kernel/waitqueue.js';
import { BLOCK } from '../kernel/control.js';
import { fail } from '../kernel/errno.js';
import type { Process } from '../proc/process.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Loc } from './mount.js';
import type { Node } from './memfs.js';
import { stamp } from './memfs.js';
import { statNode } from './stat.js';
import { holdBytes } from './ledger.js';
import { checkWritable } from './access.js';

export type IoResult<T> = T | typeof BLOCK;

export abstract class OpenFile {
  refs = 1;
  constructor(public flags: number) {}

  get readable(): boolean {
    return (this.flags & O_ACCMODE) !== O_WRONLY;
  }
  get writable(): boolean {
    return (this.flags & O_ACCMODE) !== O_RDONLY;
  }

  abstract read(k: Kernel, p: Process, length: number): IoResult<Uint8Array>;
  /** Writes `data`; returns the bytes written, or BLOCK (progress so far kept in p.progress). */
  abstract write(k: Kernel, p: Process, data: Uint8Array): IoResult<number>;
  abstract stat(k: Kernel): Stat;
  /** Called once, when the last descriptor referring to this description is closed. */
  release(_k: Kernel): void {}
  seek(_offset: number, _whence: number): number {
    throw fail('ESPIPE');
  }
  isTty(): boolean {
    return false;
  }
  /** The directory this description names, for fchdir; undefined when not a directory. */
  directory(): Loc | undefined {
    return undefined;
  }
  /** Which poll events hold now (POLLIN, POLLOUT, POLLHUP, POLLERR); a file is always ready. */
  poll(): number {
    return POLLIN | POLLOUT;
  }
  /** The wait queues a change of poll state is announced on. */
  pollQueues(): readonly WaitQueue[] {
    return NO_QUEUES;
  }
  /**
   * Bytes of a write of `length` that would sit in a kernel buffer now (a pipe's, a socket's):
   * what the boundary charges as memory before the write runs. Nothing for files.
   */
  buffering(_length: number): number {
    return 0;
  }
}

const NO_QUEUES: readonly WaitQueue[] = [];

/** A regular file or directory of a memfs filesystem. */
export class VnodeFile extends OpenFile {
  offset = 0;

  constructor(
    flags: number,
    readonly loc: Loc,
    /** Content fixed at open time, for generated files (procfs). */
    private readonly snapshot: Buffer | undefined,
  ) {
    super(flags);
  }

  get node(): Node {
    return this.loc.link.getNode();
  }

  read(_k: Kernel, _p: Process, length: number): Uint8Array {
    const node = this.node;
    if (node.isDirectory()) throw fail('EISDIR');
    const source = this.snapshot;
    if (source !== undefined) {
      const chunk = source.subarray(this.offset, this.offset + length);
      this.offset += chunk.length;
      return chunk;
    }
    const size = node.getSize();
    const n = Math.max(0, Math.min(length, size - this.offset));
    const out = Buffer.allocUnsafe(n);
    if (n > 0) node.read(out, 0, n, this.offset);
    this.offset += n;
    return out;
  }

  write(k: Kernel, p: Process, data: Uint8Array): number {
    const node = this.node;
    if (this.snapshot !== undefined) throw fail('EROFS');
    checkWritable(p, this.loc.mnt);
    const before = node.getSize();
    if (this.flags & O_APPEND) this.offset = before;
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    node.write(buf, 0, buf.length, this.offset);
    this.offset += buf.length;
    holdBytes(node, p.cell.partition, node.getSize() - before); // what the boundary charged: growthOf
    stamp(node, k.now);
    return buf.length;
  }

  stat(_k: Kernel): Stat {
    const st = statNode(this.loc.mnt.fs.dev, this.node);
    if (this.snapshot === undefined) return st;
    return { ...st, size: this.snapshot.length, mode: (st.mode & ~S_IFMT) | S_IFREG };
  }

  override seek(offset: number, whence: number): number {
    const base = whence === 0 ? 0 : whence === 1 ? this.offset : (this.snapshot?.length ?? this.node.getSize());
    const at = base + offset;
    if (whence < 0 || whence > 2 || at < 0 || !Number.isInteger(at)) throw fail('EINVAL');
    this.offset = at;
    return at;
  }

  override directory(): Loc | undefined {
    return this.node.isDirectory() ? this.loc : undefined;
  }

  /** Bytes a write of `length` bytes would add to the file (what the boundary charges as disk). */
  growthOf(length: number): number {
    if (this.snapshot !== undefined || !this.writable) return 0;
    const size = this.node.getSize();
    const at = this.flags & O_APPEND ? size : this.offset;
    return Math.max(0, at + length - size);
  }
}
