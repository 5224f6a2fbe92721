/**
 * Shared-IP cells (FreeBSD jails with ip4.addr, Solaris shared-IP zones), tested from inside:
 * a cell binds only its own addresses, the wildcard means its address, 127.0.0.1 means its own
 * service, and the host sees its sockets on the shared stack.
 */
import { describe, expect, it } from 'vitest';
import { AF_INET, SOCK_DGRAM, SOCK_STREAM } from '../../src/index.js';
import { boot, errnoOf } from '../kernel/helpers.js';
import { jailWith, tcpClient, tcpServer } from './helpers.js';

describe('a cell restricted to addresses', () => {
  it('cannot bind another cell\'s address or the host\'s: EADDRNOTAVAIL', async () => {
    const k = await boot();
    await jailWith(k, 'a', ['192.0.2.10']);
    const b = await jailWith(k, 'b', ['192.0.2.11']);
    const r = await b.run(async (sys) => {
      const results: string[] = [];
      for (const address of ['192.0.2.10', '192.0.2.1', '10.0.0.1', '192.0.2.11']) {
        for (const type of [SOCK_STREAM, SOCK_DGRAM]) {
          const s = await sys.socket(AF_INET, type);
          results.push(`${address}/${type}=${await errnoOf(sys.bind(s, { address, port: 80 }))}`);
          await sys.close(s);
        }
      }
      await sys.write(1, results.join(' '));
      return 0;
    });
    expect(r.stdout).toBe(
      '192.0.2.10/1=EADDRNOTAVAIL 192.0.2.10/2=EADDRNOTAVAIL 192.0.2.1/1=EADDRNOTAVAIL 192.0.2.1/2=EADDRNOTAVAIL ' +
        '10.0.0.1/1=EADDRNOTAVAIL 10.0.0.1/2=EADDRNOTAVAIL 192.0.2.11/1=OK 192.0.2.11/2=OK',
    );
  });

  it('binds INADDR_ANY to its only address, and the host\'s netstat shows it there', async () => {
    const k = await boot();
    const a = await jailWith(k, 'a', ['192.0.2.10']);
    const jail = a.run(async (sys) => {
      const s = await sys.socket(AF_INET, SOCK_STREAM);
      await sys.bind(s, { address: '0.0.0.0', port: 80 });
      await sys.listen(s);
      const name = await sys.getsockname(s);
      await sys.write(1, JSON.stringify(name));
      await sys.sleep(100);
      return 0;
    });
    const host = k.host.run(async (sys) => {
      await sys.sleep(50);
      const listening = (await sys.net_sockets()).filter((s) => s.state === 'LISTEN');
      await sys.write(1, JSON.stringify(listening.map((s) => s.local)));
      return 0;
    });
    const [j, h] = await Promise.all([jail, host]);
    expect(j.stdout).toBe('{"address":"192.0.2.10","port":80}');
    expect(h.stdout).toBe('[{"address":"192.0.2.10","port":80}]');
  });

  it('reaches its own service at 127.0.0.1, not the host\'s', async () => {
    const k = await boot();
    const a = await jailWith(k, 'a', ['192.0.2.10']);
    const results = await Promise.all([
      k.host.run(tcpServer('127.0.0.1', 8080, () => 'host service')),
      a.run(tcpServer('127.0.0.1', 8080, () => 'jail service')),
      a.run(tcpClient('127.0.0.1', 8080, 'from the jail')),
      k.host.run(tcpClient('127.0.0.1', 8080, 'from the host')),
    ]);
    const [hostServer, jailServer, jailClient, hostClient] = results.map((r) => r.stdout);
    expect(jailClient).toBe('jail service');
    expect(hostClient).toBe('host service');
    // The jail's 127.0.0.1 is its primary address (FreeBSD's loopback rewrite).
    expect(jailServer).toBe('192.0.2.10 from the jail\n');
    expect(hostServer).toBe('127.0.0.1 from the host\n');
  });

  it('a cell without IPv4 gets EPROTONOSUPPORT for AF_INET sockets', async () => {
    const k = await boot();
    const { cellWith } = await import('../cells/helpers.js');
    const none = await cellWith(k, 'none', {});
    const r = await none.run(async (sys) => {
      await sys.write(1, `${await errnoOf(sys.socket(AF_INET, SOCK_STREAM))} ${await errnoOf(sys.socket(AF_INET, SOCK_DGRAM))}`);
      return 0;
    });
    expect(r.stdout).toBe('EPROTONOSUPPORT EPROTONOSUPPORT');
    // It sees the interfaces, as a FreeBSD jail with ip4=disable does, with none of their addresses.
    const seen = await none.run(async (sys) => {
      await sys.write(1, (await sys.net_interfaces()).map((i) => `${i.name}:${i.addresses.length}`).join(' '));
      await sys.write(1, ` routes=${(await sys.net_routes()).length} sockets=${(await sys.net_sockets()).length}`);
      return 0;
    });
    expect(seen.stdout).toBe('lo0:0 em0:0 routes=0 sockets=0');
  });

  it('a host client reaches a jail\'s service at the jail\'s address over the shared stack', async () => {
    const k = await boot();
    const a = await jailWith(k, 'a', ['192.0.2.10']);
    const [server, client] = await Promise.all([a.run(tcpServer('0.0.0.0', 80, (q) => `got ${q}`)), k.host.run(tcpClient('192.0.2.10', 80, 'GET /'))]);
    expect(client.stdout).toBe('got GET /');
    // The address is local to the host's stack, so the connection loops back with it as source too.
    expect(server.stdout).toBe('192.0.2.10 GET /\n');
  });

  it('a child\'s addresses must be among its parent\'s (EPERM)', async () => {
    const k = await boot();
    const a = await jailWith(k, 'a', ['192.0.2.10', '192.0.2.12'], { childrenMax: 2, privileges: ['sys_cell', 'net_privaddr'] });
    const r = await a.run(async (sys) => {
      const bad = await errnoOf(sys.cell_create({ name: 'x', persist: true, net: { mode: 'restrict', addresses: ['192.0.2.13'] } }));
      const good = await errnoOf(sys.cell_create({ name: 'y', persist: true, net: { mode: 'restrict', addresses: ['192.0.2.12'] } }));
      await sys.write(1, `${bad} ${good}`);
      return 0;
    });
    expect(r.stdout).toBe('EPERM OK');
  });
});

describe('what a restricted cell sees of the shared stack', () => {
  it('routes of its own subnets only, not other cells\' aliases', async () => {
    const k = await boot();
    const a = await jailWith(k, 'a', ['192.0.2.10']);
    await jailWith(k, 'b', ['192.0.2.11']);
    const r = await a.run(async (sys) => {
      await sys.write(1, (await sys.net_routes()).map((route) => `${route.destination}/${route.prefix}`).join(' '));
      return 0;
    });
    expect(r.stdout).toBe('192.0.2.0/24 192.0.2.10/32');
  });
});

describe('a cell with several addresses', () => {
  it('binds the wildcard for its addresses only; the host\'s wildcard on the same port takes the rest', async () => {
    const k = await boot();
    const multi = await jailWith(k, 'multi', ['192.0.2.60', '192.0.2.61']);
    const other = await jailWith(k, 'other', ['192.0.2.62', '192.0.2.63']);
    const results = await Promise.all([
      multi.run(tcpServer('0.0.0.0', 80, () => 'multi', 2)),
      k.host.run(tcpServer('0.0.0.0', 80, () => 'host')),
      other.run(async (sys) => {
        const s = await sys.socket(AF_INET, SOCK_STREAM);
        await sys.write(1, await errnoOf(sys.bind(s, { address: '0.0.0.0', port: 80 })));
        return 0;
      }),
      k.host.run(tcpClient('192.0.2.60', 80, 'a')),
      k.host.run(tcpClient('192.0.2.61', 80, 'b', 10)),
      k.host.run(tcpClient('192.0.2.1', 80, 'c', 15)),
    ]);
    expect(results.slice(2).map((r) => r.stdout)).toEqual(['OK', 'multi', 'multi', 'host']);
  });
});
