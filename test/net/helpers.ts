/** Helpers for network tests: cells with networks, and small socket programs. */
import { AF_INET, SOCK_DGRAM, SOCK_STREAM, type HostApi, type Kernel, type Sys } from '../../src/index.js';
import { cellWith } from '../cells/helpers.js';
import { text } from '../kernel/helpers.js';

/** A jail-like cell restricted to `addresses` (FreeBSD ip4.addr) with root's usual privileges. */
export function jailWith(k: Kernel, name: string, addresses: string[], params: Record<string, unknown> = {}): Promise<HostApi> {
  return cellWith(k, name, {}, { params: { net: { mode: 'restrict', addresses }, ...params } });
}

/** A cell with a stack of its own, its interface on the host's switch with `address`. */
export function vnetWith(k: Kernel, name: string, address: string, params: Record<string, unknown> = {}): Promise<HostApi> {
  const net = { mode: 'vnet', interfaces: [{ name: 'epair0b', address, gateway: '192.0.2.1' }] };
  return cellWith(k, name, {}, { params: { net, privileges: ['net_privaddr', 'net_rawaccess', 'sys_ip_config'], ...params } });
}

/** Reads a stream socket to its end. */
export async function recvAll(sys: Sys, fd: number): Promise<string> {
  let out = '';
  for (;;) {
    const chunk = await sys.recv(fd);
    if (chunk.length === 0) return out;
    out += text(chunk);
  }
}

/** A TCP server: accepts `count` connections, answers each with `reply(request)`, prints what it saw. */
export function tcpServer(address: string, port: number, reply: (request: string) => string, count = 1) {
  return async (sys: Sys): Promise<number> => {
    const s = await sys.socket(AF_INET, SOCK_STREAM);
    await sys.bind(s, { address, port });
    await sys.listen(s);
    for (let i = 0; i < count; i++) {
      const { fd, peer } = await sys.accept(s);
      const request = await recvAll(sys, fd);
      await sys.send(fd, reply(request));
      await sys.close(fd);
      await sys.write(1, `${'address' in peer ? peer.address : '?'} ${request}\n`);
    }
    return 0;
  };
}

/** A TCP client: sends `message`, half-closes, prints the reply. */
export function tcpClient(address: string, port: number, message: string, delay = 5) {
  return async (sys: Sys): Promise<number> => {
    await sys.sleep(delay);
    const c = await sys.socket(AF_INET, SOCK_STREAM);
    await sys.connect(c, { address, port });
    await sys.send(c, message);
    await sys.shutdown(c, 1);
    await sys.write(1, await recvAll(sys, c));
    return 0;
  };
}

/** Runs a UDP exchange helper: bind, receive one datagram, print it and its sender. */
export function udpReceiver(address: string, port: number) {
  return async (sys: Sys): Promise<number> => {
    const s = await sys.socket(AF_INET, SOCK_DGRAM);
    await sys.bind(s, { address, port });
    const { data, from } = await sys.recvfrom(s);
    await sys.write(1, `${'address' in from ? from.address : '?'} ${text(data)}`);
    return 0;
  };
}
