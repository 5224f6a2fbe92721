/**
 * AF_UNIX stream sockets: bound to a socket file in the binder's filesystem view, and reached
 * only through the connecting process's own view of that file (its root, its permissions), so
 * a cell reaches a host socket only if the host put the file inside the cell's root. A
 * connection is a pair of pipes, one each way: the same buffers, blocking and SIGPIPE as
 * pipe(2), and the same memory charges. Owned by the net subsystem.
 */
import { MSG_NOSIGNAL, O_NONBLOCK, POLLIN, S_IFSOCK, SHUT_RD, SHUT_WR, SOCK_STREAM, type SockAddr, type SocketInfo } from '../kernel/abi.js';
import { fail } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import { WaitQueue } from '../kernel/waitqueue.js';
import type { Cell } from '../cells/cell.js';
import { Pipe, PipeReadEnd, PipeWriteEnd } from '../ipc/pipe.js';
import type { Process } from '../proc/process.js';
import { checkAccess, createEntry } from '../vfs/access.js';
import type { IoResult } from '../vfs/file.js';
import type { Node } from '../vfs/memfs.js';
import { W_OK } from '../vfs/perm.js';
import { lookup } from '../vfs/resolve.js';
import type { Network } from './network.js';
import { unixPathOf } from './sockaddr.js';
import { Socket } from './socket.js';

export class UnixSocket extends Socket {
  readonly proto = 'unix';
  state: 'unbound' | 'bound' | 'listening' | 'connected' | 'closed' = 'unbound';
  /** The path it was bound to, as the binder named it; "" when unbound. */
  path = '';
  private node: Node | null = null;
  /** The peer's bound path, for getpeername. */
  peerPath = '';
  backlog = 0;
  private readonly acceptQueue: UnixSocket[] = [];
  readonly acceptWait = new WaitQueue('unix accept');
  private rx: PipeReadEnd | null = null;
  private tx: PipeWriteEnd | null = null;

  constructor(
    flags: number,
    private readonly net: Network,
    /** The cell whose process made it: netstat shows it to that cell and its ancestors. */
    readonly cell: Cell,
  ) {
    super(flags, SOCK_STREAM);
    net.unixSockets.add(this);
  }

  override bind(k: Kernel, p: Process, address: SockAddr): void {
    if (this.state !== 'unbound') throw fail('EINVAL');
    const path = unixPathOf(address);
    let node: Node;
    try {
      node = createEntry(k, p, path, S_IFSOCK | (0o777 & ~p.umask)).link.getNode();
    } catch (err) {
      if (err instanceof Error && (err as { code?: string }).code === 'EEXIST') throw fail('EADDRINUSE');
      throw err;
    }
    this.node = node;
    this.path = path;
    this.state = 'bound';
  }

  override listen(_k: Kernel, _p: Process, backlog: number): void {
    if (this.state !== 'bound' && this.state !== 'listening') throw fail('EINVAL');
    this.backlog = backlog;
    this.state = 'listening';
    this.net.unixListeners.set(this.node!, this);
  }

  override accept(k: Kernel, p: Process): IoResult<Socket> {
    if (this.state !== 'listening') throw fail('EINVAL');
    const next = this.acceptQueue.shift();
    return next ?? this.wait(k, p, this.acceptWait, this.rcvTimeo, false);
  }

  /** Connects through the caller's view of the socket file: it must be one, writable, and listened on. */
  override connect(k: Kernel, p: Process, address: SockAddr): void {
    if (this.state === 'connected') throw fail('EISCONN');
    if (this.state === 'listening') throw fail('EINVAL');
    const node = lookup(p, unixPathOf(address), true).link.getNode();
    if ((node.mode & 0o170000) !== S_IFSOCK) throw fail('ECONNREFUSED');
    checkAccess(p, node, W_OK);
    const listener = this.net.unixListeners.get(node);
    if (listener === undefined || listener.state !== 'listening' || listener.acceptQueue.length >= listener.backlog) throw fail('ECONNREFUSED');
    const toServer = new Pipe(k.nextId('pipe'));
    const toClient = new Pipe(k.nextId('pipe'));
    const server = new UnixSocket(listener.flags & ~O_NONBLOCK, this.net, listener.cell);
    server.state = 'connected';
    server.path = listener.path;
    server.peerPath = this.path;
    server.rx = new PipeReadEnd(toServer);
    server.tx = new PipeWriteEnd(toClient);
    this.rx = new PipeReadEnd(toClient);
    this.tx = new PipeWriteEnd(toServer);
    this.peerPath = listener.path;
    this.state = 'connected';
    listener.acceptQueue.push(server);
    k.wakeAll(listener.acceptWait);
  }

  override read(k: Kernel, p: Process, length: number): IoResult<Uint8Array> {
    if (this.state !== 'connected') throw fail('ENOTCONN');
    return this.rx === null ? new Uint8Array(0) : this.rx.read(k, p, length);
  }

  override write(k: Kernel, p: Process, data: Uint8Array): IoResult<number> {
    if (this.state !== 'connected') throw fail('ENOTCONN');
    if (this.tx === null) {
      k.signalProcess(p, 'SIGPIPE');
      throw fail('EPIPE');
    }
    return this.tx.write(k, p, data);
  }

  /** As write; MSG_NOSIGNAL: a peer gone is EPIPE without SIGPIPE. */
  override send(k: Kernel, p: Process, data: Uint8Array, flags: number): IoResult<number> {
    if (flags & MSG_NOSIGNAL && this.state === 'connected' && (this.tx === null || this.tx.pipe.readers === 0)) throw fail('EPIPE');
    return this.write(k, p, data);
  }

  override buffering(length: number): number {
    return this.tx?.buffering(length) ?? 0;
  }

  override shutdown(k: Kernel, _p: Process, how: number): void {
    if (this.state !== 'connected') throw fail('ENOTCONN');
    if (how !== SHUT_WR && this.rx !== null) {
      this.rx.release(k);
      this.rx = null;
    }
    if (how !== SHUT_RD && this.tx !== null) {
      this.tx.release(k);
      this.tx = null;
    }
  }

  override sockname(): SockAddr {
    return { path: this.path };
  }

  override peername(): SockAddr {
    if (this.state !== 'connected') throw fail('ENOTCONN');
    return { path: this.peerPath };
  }

  override info(p: Process): SocketInfo | null {
    if (!p.cell.contains(this.cell) || this.state === 'closed') return null;
    return {
      proto: this.proto,
      local: this.path === '' ? null : { path: this.path },
      remote: this.peerPath === '' ? null : { path: this.peerPath },
      state: this.state === 'listening' ? 'LISTEN' : this.state === 'connected' ? 'CONNECTED' : '',
      recvQ: this.rx?.pipe.size ?? 0,
      sendQ: 0,
    };
  }

  override poll(): number {
    if (this.state === 'listening') return this.acceptQueue.length > 0 ? POLLIN : 0;
    return (this.rx?.poll() ?? POLLIN) | (this.tx?.poll() ?? 0);
  }

  override pollQueues(): readonly WaitQueue[] {
    if (this.state === 'listening') return [this.acceptWait];
    return [...(this.rx?.pollQueues() ?? []), ...(this.tx?.pollQueues() ?? [])];
  }

  override release(k: Kernel): void {
    super.release(k);
    if (this.state === 'listening') {
      if (this.net.unixListeners.get(this.node!) === this) this.net.unixListeners.delete(this.node!);
      for (const pending of this.acceptQueue.splice(0)) pending.release(k);
    }
    this.rx?.release(k);
    this.tx?.release(k);
    this.rx = this.tx = null;
    this.state = 'closed';
    this.net.unixSockets.delete(this);
  }
}
