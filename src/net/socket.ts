/**
 * The socket layer: what every socket descriptor has (options, the pending error, the
 * resource charge it holds) and the calls each kind answers; the kinds (TCP, UDP, raw ICMP,
 * AF_UNIX stream) override the calls they support, and anything else is EOPNOTSUPP. Sockets
 * are open file descriptions, so read, write, close, dup and poll work on them as on files.
 */
import { O_NONBLOCK, O_RDWR, POLLIN, POLLOUT, S_IFSOCK, type Datagram, type SockAddr, type SocketInfo, type Stat } from '../kernel/abi.js';
import { fail, type Errno } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { WaitQueue } from '../kernel/waitqueue.js';
import type { Partition } from '../cells/partition.js';
import type { Process } from '../proc/process.js';
import { OpenFile, type IoResult } from '../vfs/file.js';
import type { BLOCK } from '../kernel/control.js';

/** Default send and receive buffer sizes (FreeBSD's net.inet.tcp.sendspace and recvspace are 32K/64K). */
export const DEFAULT_BUFFER = 64 * 1024;
export const MAX_BUFFER = 2 * 1024 * 1024;

export abstract class Socket extends OpenFile {
  /** The partition charged a socket for this one (released when the last descriptor closes). */
  charged: Partition | null = null;
  /** SO_RCVTIMEO and SO_SNDTIMEO, in ticks (0: wait forever). */
  rcvTimeo = 0;
  sndTimeo = 0;
  reuseAddr = false;
  sndBufMax = DEFAULT_BUFFER;
  rcvBufMax = DEFAULT_BUFFER;
  /** The error a later call reports once (SO_ERROR): a reset, a refused datagram. */
  error: Errno | null = null;
  static nextIno = 1;
  readonly ino = Socket.nextIno++;

  /** @param flags O_NONBLOCK or 0: a socket is always open for reading and writing */
  constructor(
    flags: number,
    readonly type: number,
  ) {
    super(flags | O_RDWR);
  }

  abstract readonly proto: string;

  bind(_k: Kernel, _p: Process, _address: SockAddr): void {
    throw fail('EOPNOTSUPP');
  }
  listen(_k: Kernel, _p: Process, _backlog: number): void {
    throw fail('EOPNOTSUPP');
  }
  accept(_k: Kernel, _p: Process): IoResult<Socket> {
    throw fail('EOPNOTSUPP');
  }
  connect(_k: Kernel, _p: Process, _address: SockAddr): IoResult<void> {
    throw fail('EOPNOTSUPP');
  }
  send(k: Kernel, p: Process, data: Uint8Array, _flags: number): IoResult<number> {
    return this.write(k, p, data);
  }
  recv(k: Kernel, p: Process, length: number, _flags: number): IoResult<Uint8Array> {
    return this.read(k, p, length);
  }
  sendto(_k: Kernel, _p: Process, _data: Uint8Array, _address: SockAddr, _flags: number): IoResult<number> {
    throw fail('EOPNOTSUPP');
  }
  recvfrom(_k: Kernel, _p: Process, _length: number, _flags: number): IoResult<Datagram> {
    throw fail('EOPNOTSUPP');
  }
  shutdown(_k: Kernel, _p: Process, _how: number): void {
    throw fail('EOPNOTSUPP');
  }
  abstract sockname(): SockAddr;
  abstract peername(): SockAddr;
  /** The peer accept reports for this just accepted socket (even if it has been reset since). */
  acceptedPeer(): SockAddr {
    return this.peername();
  }
  /** The socket as netstat shows it to `p`, or null when `p` may not see it. */
  abstract info(p: Process): SocketInfo | null;

  /** Takes the pending error (SO_ERROR), throwing it when there is one. */
  raisePending(): void {
    const error = this.error;
    if (error !== null) {
      this.error = null;
      throw fail(error);
    }
  }

  /**
   * Blocks the caller on `queue` for a call that cannot go on yet: EAGAIN at once for a
   * non-blocking call, or once `timeout` ticks (SO_RCVTIMEO, SO_SNDTIMEO) have passed.
   */
  wait(k: Kernel, p: Process, queue: WaitQueue, timeout: number, nonblocking: boolean): typeof BLOCK {
    if (nonblocking || this.flags & O_NONBLOCK) throw fail('EAGAIN');
    if (timeout <= 0) return k.sleepOn(p, queue);
    if (p.deadline < 0) p.deadline = k.now + timeout;
    if (k.now >= p.deadline) throw fail('EAGAIN');
    return k.sleepOn(p, queue, p.deadline);
  }

  stat(): Stat {
    return {
      dev: 0, ino: this.ino, mode: S_IFSOCK | 0o777, nlink: 1, uid: 0, gid: 0, rdev: 0,
      size: 0, blksize: 4096, blocks: 0, atimeMs: 0, mtimeMs: 0, ctimeMs: 0,
    };
  }

  override poll(): number {
    return POLLIN | POLLOUT;
  }

  override release(_k: Kernel): void {
    this.charged?.uncharge('sockets', 1);
    this.charged = null;
  }
}
