/**
 * Raw ICMP sockets (SOCK_RAW, IPPROTO_ICMP), as ping uses them: a program writes whole ICMP
 * messages (its own checksum included) and reads every ICMP packet that reaches an address it
 * may see, IPv4 header first, as BSD's raw sockets deliver them. The kernel picks the source
 * address (no IP_HDRINCL), so a cell cannot spoof one. Opening one needs net_rawaccess.
 */
import { MSG_DONTWAIT, MSG_PEEK, POLLIN, POLLOUT, SOCK_RAW, type Datagram, type SockAddr, type SocketInfo } from '../kernel/abi.js';
import { fail } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import { WaitQueue } from '../kernel/waitqueue.js';
import type { Process } from '../proc/process.js';
import type { IoResult } from '../vfs/file.js';
import { INADDR_ANY } from './ipv4.js';
import { IPPROTO_ICMP, type IpPacket } from './packet.js';
import { encodePacket } from './pcap.js';
import { inetAddress, inetOf } from './sockaddr.js';
import { Socket } from './socket.js';
import type { NetView } from './view.js';

/** Packets a raw socket keeps before dropping new ones. */
const RAW_QUEUE = 64;

export class RawSocket extends Socket {
  readonly proto = 'raw4';
  private readonly queue: IpPacket[] = [];
  readonly rcvWait = new WaitQueue('raw recv');

  constructor(
    flags: number,
    readonly view: NetView,
  ) {
    super(flags, SOCK_RAW);
    view.stack.sockets.add(this);
    view.stack.raw.add(this);
  }

  override sendto(k: Kernel, _p: Process, data: Uint8Array, address: SockAddr): number {
    if (data.length < 8) throw fail('EINVAL');
    if (data.length > 65515) throw fail('EMSGSIZE');
    const dst = this.view.translate(inetOf(address).addr);
    const stack = this.view.stack;
    const packet = stack.packet(this.view.source(dst), dst, { proto: IPPROTO_ICMP, bytes: data.slice() });
    const error = stack.output(packet, k.now);
    if (error !== null) throw fail(error);
    return data.length;
  }

  override write(): number {
    throw fail('EDESTADDRREQ');
  }

  override read(k: Kernel, p: Process, length: number): IoResult<Uint8Array> {
    const got = this.recvfrom(k, p, length, 0);
    return typeof got === 'symbol' ? got : got.data;
  }

  override recvfrom(k: Kernel, p: Process, length: number, flags: number): IoResult<Datagram> {
    const next = this.queue[0];
    if (next === undefined) return this.wait(k, p, this.rcvWait, this.rcvTimeo, (flags & MSG_DONTWAIT) !== 0);
    if (!(flags & MSG_PEEK)) this.queue.shift();
    return { data: encodePacket(next).subarray(0, length), from: inetAddress(this.view.show(next.src), 0) };
  }

  /** An ICMP packet reached the stack: keep a copy if its destination is one the cell may see. */
  deliver(packet: IpPacket): void {
    if (!this.view.sees(packet.dst) || this.queue.length >= RAW_QUEUE) return;
    this.queue.push(packet);
    this.view.stack.net.kernel.wakeAll(this.rcvWait);
  }

  override sockname(): SockAddr {
    return inetAddress(INADDR_ANY, 0);
  }

  override peername(): SockAddr {
    throw fail('ENOTCONN');
  }

  override info(p: Process): SocketInfo | null {
    const view = p.ns.net;
    if (view === null || view.stack !== this.view.stack || (view.restricted && view !== this.view)) return null;
    return { proto: this.proto, local: inetAddress(INADDR_ANY, 0), remote: null, state: '', recvQ: this.queue.length, sendQ: 0 };
  }

  override poll(): number {
    return (this.queue.length > 0 ? POLLIN : 0) | POLLOUT;
  }

  override pollQueues(): readonly WaitQueue[] {
    return [this.rcvWait];
  }

  override release(k: Kernel): void {
    super.release(k);
    this.view.stack.raw.delete(this);
    this.view.stack.sockets.delete(this);
  }
}
