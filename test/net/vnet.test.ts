/**
 * Cells with stacks of their own (FreeBSD vnet jails, exclusive-IP zones): own interfaces,
 * loopback, routes and port space, linked to the host's switch; the host cannot see their
 * sockets from its own stack.
 */
import { describe, expect, it } from 'vitest';
import { AF_INET, SOCK_RAW, SOCK_STREAM, IPPROTO_ICMP } from '../../src/index.js';
import { boot, errnoOf } from '../kernel/helpers.js';
import { jailWith, tcpClient, tcpServer, vnetWith } from './helpers.js';

describe('vnet cells', () => {
  it('two vnet cells each listen on port 80, and each reaches the other over the switch', async () => {
    const k = await boot();
    const a = await vnetWith(k, 'a', '192.0.2.20/24');
    const b = await vnetWith(k, 'b', '192.0.2.21/24');
    const [sa, sb, ca, cb] = await Promise.all([
      a.run(tcpServer('0.0.0.0', 80, (q) => `a answers ${q}`)),
      b.run(tcpServer('0.0.0.0', 80, (q) => `b answers ${q}`)),
      a.run(tcpClient('192.0.2.21', 80, 'hello b')),
      b.run(tcpClient('192.0.2.20', 80, 'hello a')),
    ]);
    expect(ca.stdout).toBe('b answers hello b');
    expect(cb.stdout).toBe('a answers hello a');
    expect(sa.stdout).toBe('192.0.2.21 hello a\n');
    expect(sb.stdout).toBe('192.0.2.20 hello b\n');
  });

  it('has its own loopback: 127.0.0.1:80 in a vnet cell is not the host\'s', async () => {
    const k = await boot();
    const a = await vnetWith(k, 'a', '192.0.2.20/24');
    const [, , fromCell, fromHost] = await Promise.all([
      k.host.run(tcpServer('127.0.0.1', 80, () => 'host')),
      a.run(tcpServer('127.0.0.1', 80, () => 'cell')),
      a.run(tcpClient('127.0.0.1', 80, 'x')),
      k.host.run(tcpClient('127.0.0.1', 80, 'y')),
    ]);
    expect(fromCell.stdout).toBe('cell');
    expect(fromHost.stdout).toBe('host');
  });

  it('the host\'s netstat does not show a vnet cell\'s sockets; the cell\'s own does', async () => {
    const k = await boot();
    const a = await vnetWith(k, 'a', '192.0.2.20/24');
    const listen = async (sys: import('../../src/index.js').Sys): Promise<number> => {
      const s = await sys.socket(AF_INET, SOCK_STREAM);
      await sys.bind(s, { address: '0.0.0.0', port: 22 });
      await sys.listen(s);
      const mine = (await sys.net_sockets()).map((i) => `${i.proto} ${JSON.stringify(i.local)} ${i.state}`);
      await sys.write(1, mine.join('\n'));
      await sys.sleep(20);
      return 0;
    };
    const look = async (sys: import('../../src/index.js').Sys): Promise<number> => {
      await sys.sleep(10);
      await sys.write(1, JSON.stringify(await sys.net_sockets()));
      return 0;
    };
    const [cell, host] = await Promise.all([a.run(listen), k.host.run(look)]);
    expect(cell.stdout).toBe('tcp4 {"address":"0.0.0.0","port":22} LISTEN');
    expect(host.stdout).toBe('[]');
  });

  it('configures its own interfaces and routes; a shared-IP cell may not (EPERM)', async () => {
    const k = await boot();
    const v = await vnetWith(k, 'v', '192.0.2.20/24');
    const j = await jailWith(k, 'j', ['192.0.2.30'], { privileges: ['sys_ip_config'] });
    const r = await v.run(async (sys) => {
      await sys.net_ifconfig('epair0b', { add: '198.51.100.7/24' });
      const ifs = await sys.net_interfaces();
      await sys.write(1, ifs.map((i) => `${i.name}:${i.addresses.map((a) => `${a.address}/${a.prefix}`).join(',')}`).join(' '));
      await sys.write(1, ` ${(await sys.net_routes()).map((route) => `${route.destination}/${route.prefix}>${route.gateway ?? 'link'}`).join(' ')}`);
      return 0;
    });
    expect(r.stdout).toBe('lo0:127.0.0.1/8 epair0b:192.0.2.20/24,198.51.100.7/24 127.0.0.0/8>link 192.0.2.0/24>link 198.51.100.0/24>link default/0>192.0.2.1');
    const denied = await j.run(async (sys) => {
      await sys.write(1, `${await errnoOf(sys.net_ifconfig('em0', { add: '192.0.2.99/24' }))} ${await errnoOf(sys.net_route('add', 'default', '192.0.2.1'))}`);
      return 0;
    });
    expect(denied.stdout).toBe('EPERM EPERM');
  });

  it('raw ICMP: a vnet cell pings the host; a shared-IP cell without net_rawaccess gets EPERM', async () => {
    const k = await boot();
    const v = await vnetWith(k, 'v', '192.0.2.20/24');
    const j = await jailWith(k, 'j', ['192.0.2.30']);
    const ping = async (sys: import('../../src/index.js').Sys): Promise<number> => {
      const s = await sys.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
      const echo = new Uint8Array([8, 0, 0, 0, 0x12, 0x34, 0, 1, 104, 105]);
      let sum = 0;
      for (let i = 0; i < echo.length; i += 2) sum += (echo[i]! << 8) | (echo[i + 1] ?? 0);
      while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
      echo[2] = (~sum >> 8) & 0xff;
      echo[3] = ~sum & 0xff;
      await sys.sendto(s, echo, { address: '192.0.2.1', port: 0 });
      const { data, from } = await sys.recvfrom(s);
      await sys.write(1, `${'address' in from ? from.address : ''} type=${data[20]} id=${(data[24]! << 8) | data[25]!} ttl=${data[8]}`);
      return 0;
    };
    expect((await v.run(ping)).stdout).toBe('192.0.2.1 type=0 id=4660 ttl=64');
    const r = await j.run(async (sys) => {
      await sys.write(1, await errnoOf(sys.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)));
      return 0;
    });
    expect(r.stdout).toBe('EPERM');
  });
});
