/**
 * UDP sockets: datagrams sent at once (no send buffer), received into a bounded queue
 * (SO_RCVBUF; a datagram that does not fit is dropped, as UDP does). A datagram to a port
 * nobody has bound is answered with ICMP port unreachable, which a connected sender sees as
 * ECONNREFUSED on its next call (Linux and FreeBSD both report it).
 */
import { MSG_DONTWAIT, MSG_PEEK, POLLERR, POLLIN, POLLOUT, SOCK_DGRAM, type Datagram, type SockAddr, type SocketInfo } from '../kernel/abi.js';
import { fail } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import { WaitQueue } from '../kernel/waitqueue.js';
import type { Process } from '../proc/process.js';
import type { IoResult } from '../vfs/file.js';
import { INADDR_ANY, INADDR_LOOPBACK } from './ipv4.js';
import { IPPROTO_UDP, type IpPacket, type UdpDatagram } from './packet.js';
import type { Bindable } from './ports.js';
import { checkPort, inetAddress, inetOf } from './sockaddr.js';
import { Socket } from './socket.js';
import type { NetStack } from './stack.js';
import type { NetView } from './view.js';
import { portUnreachable } from './icmp.js';

/** The largest UDP payload IPv4 carries. */
export const UDP_MAX = 65507;

interface Queued {
  readonly data: Uint8Array;
  readonly from: number;
  readonly port: number;
}

export class UdpSocket extends Socket implements Bindable {
  readonly proto = 'udp4';
  localAddr = INADDR_ANY;
  localPort = 0;
  bound = false;
  filter: ReadonlySet<number> | null = null;
  remoteAddr = 0;
  remotePort = 0;
  private readonly queue: Queued[] = [];
  private queued = 0;
  readonly rcvWait = new WaitQueue('udp recv');

  constructor(
    flags: number,
    readonly view: NetView,
  ) {
    super(flags, SOCK_DGRAM);
    view.stack.sockets.add(this);
  }

  get stack(): NetStack {
    return this.view.stack;
  }

  override bind(_k: Kernel, p: Process, address: SockAddr): void {
    if (this.bound) throw fail('EINVAL');
    const { addr, port } = inetOf(address);
    const local = this.view.bindAddress(addr);
    this.bindTo(local, port === 0 ? this.stack.udp.ephemeral() : checkPort(p, port));
  }

  private bindTo(local: number, port: number): void {
    this.filter = local === INADDR_ANY ? this.view.allowed : null;
    this.stack.udp.bind(this, local, port);
    this.bound = true;
    this.localAddr = local;
    this.localPort = port;
  }

  /** An unbound socket that sends gets an ephemeral port on the wildcard (or the cell's only address). */
  private autobind(): void {
    if (!this.bound) this.bindTo(this.view.bindAddress(INADDR_ANY), this.stack.udp.ephemeral());
  }

  override connect(_k: Kernel, _p: Process, address: SockAddr): void {
    const { addr, port } = inetOf(address);
    this.remoteAddr = this.view.translate(addr === INADDR_ANY ? INADDR_LOOPBACK : addr);
    this.remotePort = port;
    this.autobind();
  }

  override write(k: Kernel, p: Process, data: Uint8Array): number {
    return this.send(k, p, data, 0);
  }

  override send(k: Kernel, _p: Process, data: Uint8Array, _flags: number): number {
    if (this.remotePort === 0) throw fail('EDESTADDRREQ');
    this.raisePending();
    return this.transmit(k, data, this.remoteAddr, this.remotePort);
  }

  override sendto(k: Kernel, _p: Process, data: Uint8Array, address: SockAddr, _flags: number): number {
    if (this.remotePort !== 0) throw fail('EISCONN');
    const { addr, port } = inetOf(address);
    if (port === 0) throw fail('EINVAL');
    return this.transmit(k, data, this.view.translate(addr), port);
  }

  private transmit(k: Kernel, data: Uint8Array, dst: number, dport: number): number {
    if (data.length > UDP_MAX) throw fail('EMSGSIZE');
    this.autobind();
    const src = this.localAddr !== INADDR_ANY ? this.localAddr : this.view.source(dst);
    const body: UdpDatagram = { proto: IPPROTO_UDP, sport: this.localPort, dport, data: data.slice() };
    const error = this.stack.output(this.stack.packet(src, dst, body), k.now);
    if (error !== null) throw fail(error);
    return data.length;
  }

  override read(k: Kernel, p: Process, length: number): IoResult<Uint8Array> {
    return this.recv(k, p, length, 0);
  }

  override recv(k: Kernel, p: Process, length: number, flags: number): IoResult<Uint8Array> {
    const got = this.recvfrom(k, p, length, flags);
    return typeof got === 'symbol' ? got : got.data;
  }

  /** Takes the next datagram (truncated to `length`, the rest discarded, as UDP does). */
  override recvfrom(k: Kernel, p: Process, length: number, flags: number): IoResult<Datagram> {
    this.raisePending();
    const next = this.queue[0];
    if (next === undefined) return this.wait(k, p, this.rcvWait, this.rcvTimeo, (flags & MSG_DONTWAIT) !== 0);
    if (!(flags & MSG_PEEK)) {
      this.queue.shift();
      this.queued -= next.data.length;
    }
    return { data: next.data.subarray(0, length), from: inetAddress(this.view.show(next.from), next.port) };
  }

  /** A datagram arrived for this socket. */
  deliver(packet: IpPacket, datagram: UdpDatagram): void {
    if (this.remotePort !== 0 && (packet.src !== this.remoteAddr || datagram.sport !== this.remotePort)) return;
    if (this.queued + datagram.data.length > this.rcvBufMax) return;
    this.queue.push({ data: datagram.data, from: packet.src, port: datagram.sport });
    this.queued += datagram.data.length;
    this.stack.net.kernel.wakeAll(this.rcvWait);
  }

  /** ICMP port unreachable for a datagram this socket sent. */
  refused(): void {
    if (this.remotePort === 0) return; // only connected sockets hear of it
    this.error = 'ECONNREFUSED';
    this.stack.net.kernel.wakeAll(this.rcvWait);
  }

  override shutdown(): void {
    if (this.remotePort === 0) throw fail('ENOTCONN');
  }

  override sockname(): SockAddr {
    return inetAddress(this.view.show(this.localAddr), this.localPort);
  }

  override peername(): SockAddr {
    if (this.remotePort === 0) throw fail('ENOTCONN');
    return inetAddress(this.view.show(this.remoteAddr), this.remotePort);
  }

  override info(p: Process): SocketInfo | null {
    const view = p.ns.net;
    if (view === null || view.stack !== this.stack || !this.bound) return null;
    if (!view.seesBinding(this.localAddr, this.filter)) return null;
    return {
      proto: this.proto,
      local: inetAddress(view.show(this.localAddr), this.localPort),
      remote: this.remotePort === 0 ? null : inetAddress(view.show(this.remoteAddr), this.remotePort),
      state: '',
      recvQ: this.queued,
      sendQ: 0,
    };
  }

  override poll(): number {
    return (this.queue.length > 0 ? POLLIN : 0) | POLLOUT | (this.error !== null ? POLLERR : 0);
  }

  override pollQueues(): readonly WaitQueue[] {
    return [this.rcvWait];
  }

  override release(k: Kernel): void {
    super.release(k);
    if (this.bound) this.stack.udp.unbind(this, this.localAddr, this.localPort);
    this.bound = false;
    this.stack.sockets.delete(this);
  }
}

export function udpInput(stack: NetStack, packet: IpPacket, datagram: UdpDatagram, at: number): void {
  const socket = stack.udp.lookup(packet.dst, datagram.dport);
  if (socket === undefined) portUnreachable(stack, packet, at);
  else socket.deliver(packet, datagram);
}
