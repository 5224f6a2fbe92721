/**
 * Socket syscalls: each finds the socket behind a descriptor (ENOTSOCK for anything else) and
 * asks it; sockets are made in the caller's network view (src/net/view.ts), so a cell's
 * sockets live where its view says: its parent's stack limited to its addresses, or its own.
 */
import { AF_INET, AF_UNIX, O_NONBLOCK, SOCK_DGRAM, SOCK_RAW, SOCK_STREAM, type SockAddr } from '../kernel/abi.js';
import { bytes, int, nonNegative } from '../kernel/args.js';
import { BLOCK } from '../kernel/control.js';
import { ERRNO, fail } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Handler } from '../kernel/syscall-table.js';
import { hasPrivilege, requirePrivilege } from '../proc/cred.js';
import { fileOf, install } from '../proc/fdtable.js';
import { claimAdmitted } from '../proc/memory.js';
import type { Process } from '../proc/process.js';
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP } from './packet.js';
import { RawSocket } from './raw.js';
import { MAX_BUFFER, Socket } from './socket.js';
import { TcpSocket } from './tcp.js';
import { UdpSocket } from './udp.js';
import { UnixSocket } from './unix.js';

const DEFAULT_RECV = 65536;
const MAX_RECV = 16 * 1024 * 1024;
/** The largest listen queue (FreeBSD kern.ipc.soacceptqueue, Linux somaxconn). */
export const SOMAXCONN = 4096;

/** The socket behind a descriptor: EBADF for no descriptor, ENOTSOCK for another file. */
export function socketOf(p: Process, fd: unknown): Socket {
  const file = fileOf(p, fd);
  if (!(file instanceof Socket)) throw fail('ENOTSOCK');
  return file;
}

export const socket: Handler<'socket'> = (_k, p, [domain, type, protocol]) => {
  const kind = int(type);
  const flags = kind & O_NONBLOCK;
  const base = kind & ~O_NONBLOCK;
  const proto = int(protocol, 0);
  let made: Socket;
  if (domain === AF_UNIX) {
    if (base !== SOCK_STREAM) throw fail('EPROTONOSUPPORT');
    if (proto !== 0) throw fail('EPROTONOSUPPORT');
    made = new UnixSocket(flags, _k.net, p.cell);
  } else if (domain === AF_INET) {
    const view = p.ns.net;
    if (view === null || !view.ipv4) throw fail('EPROTONOSUPPORT'); // FreeBSD: prison_check_af's EAFNOSUPPORT, as socreate reports it
    if (base === SOCK_STREAM && (proto === 0 || proto === IPPROTO_TCP)) made = new TcpSocket(flags, view);
    else if (base === SOCK_DGRAM && (proto === 0 || proto === IPPROTO_UDP)) made = new UdpSocket(flags, view);
    else if (base === SOCK_RAW) {
      if (proto !== IPPROTO_ICMP) throw fail('EPROTONOSUPPORT');
      // Solaris lets ping through with net_icmpaccess alone; FreeBSD jails need raw sockets.
      if (!hasPrivilege(p, 'net_icmpaccess')) requirePrivilege(p, 'net_rawaccess');
      made = new RawSocket(flags, view);
    } else throw fail(base === SOCK_STREAM || base === SOCK_DGRAM ? 'EPROTONOSUPPORT' : 'EPROTOTYPE');
  } else throw fail('EAFNOSUPPORT');
  made.charged = claimAdmitted(p, 'sockets', 1);
  return install(p, made);
};

/** What bind charges: an inode for an AF_UNIX socket file. */
export function bindCharge(_k: Kernel, p: Process, args: unknown[]): number {
  const file = typeof args[0] === 'number' ? p.fds[args[0]]?.file : undefined;
  return file instanceof UnixSocket ? 1 : 0;
}

export const bind: Handler<'bind'> = (k, p, [fd, address]) => {
  socketOf(p, fd).bind(k, p, address as SockAddr);
};

export const listen: Handler<'listen'> = (k, p, [fd, backlog]) => {
  const n = int(backlog, 128);
  socketOf(p, fd).listen(k, p, n < 0 ? 128 : Math.min(Math.max(n, 1), SOMAXCONN));
};

export const accept: Handler<'accept'> = (k, p, [fd]) => {
  const got = socketOf(p, fd).accept(k, p);
  if (got === BLOCK) return BLOCK;
  got.charged = claimAdmitted(p, 'sockets', 1);
  return { fd: install(p, got), peer: got.acceptedPeer() };
};

export const connect: Handler<'connect'> = (k, p, [fd, address]) => socketOf(p, fd).connect(k, p, address as SockAddr);

export const send: Handler<'send'> = (k, p, [fd, data, flags]) => socketOf(p, fd).send(k, p, bytes(data), int(flags, 0));

export const recv: Handler<'recv'> = (k, p, [fd, length, flags]) =>
  socketOf(p, fd).recv(k, p, Math.min(nonNegative(length, DEFAULT_RECV), MAX_RECV), int(flags, 0));

export const sendto: Handler<'sendto'> = (k, p, [fd, data, address, flags]) =>
  socketOf(p, fd).sendto(k, p, bytes(data), address as SockAddr, int(flags, 0));

export const recvfrom: Handler<'recvfrom'> = (k, p, [fd, length, flags]) =>
  socketOf(p, fd).recvfrom(k, p, Math.min(nonNegative(length, DEFAULT_RECV), MAX_RECV), int(flags, 0));

export const shutdown: Handler<'shutdown'> = (k, p, [fd, how]) => {
  const n = int(how);
  if (n < 0 || n > 2) throw fail('EINVAL');
  socketOf(p, fd).shutdown(k, p, n);
};

export const getsockname: Handler<'getsockname'> = (_k, p, [fd]) => socketOf(p, fd).sockname();

export const getpeername: Handler<'getpeername'> = (_k, p, [fd]) => socketOf(p, fd).peername();

export const setsockopt: Handler<'setsockopt'> = (_k, p, [fd, option, value]) => {
  const s = socketOf(p, fd);
  const n = nonNegative(value);
  switch (option) {
    case 'SO_RCVTIMEO':
      s.rcvTimeo = n;
      break;
    case 'SO_SNDTIMEO':
      s.sndTimeo = n;
      break;
    case 'SO_REUSEADDR':
      s.reuseAddr = n !== 0;
      break;
    case 'SO_SNDBUF':
    case 'SO_RCVBUF':
      if (n === 0 || n > MAX_BUFFER) throw fail('ENOBUFS');
      if (option === 'SO_SNDBUF') s.sndBufMax = n;
      else s.rcvBufMax = n;
      break;
    case 'SO_ERROR':
    case 'SO_TYPE':
      throw fail('ENOPROTOOPT'); // read only
    default:
      throw fail('ENOPROTOOPT');
  }
};

export const getsockopt: Handler<'getsockopt'> = (_k, p, [fd, option]) => {
  const s = socketOf(p, fd);
  switch (option) {
    case 'SO_RCVTIMEO':
      return s.rcvTimeo;
    case 'SO_SNDTIMEO':
      return s.sndTimeo;
    case 'SO_REUSEADDR':
      return s.reuseAddr ? 1 : 0;
    case 'SO_SNDBUF':
      return s.sndBufMax;
    case 'SO_RCVBUF':
      return s.rcvBufMax;
    case 'SO_TYPE':
      return s.type;
    case 'SO_ERROR': {
      const error = s.error;
      s.error = null;
      return error === null ? 0 : ERRNO[error][0];
    }
    default:
      throw fail('ENOPROTOOPT');
  }
};


