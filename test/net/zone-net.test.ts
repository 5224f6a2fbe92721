/**
 * Zones on the network, tested from inside, as zonecfg(8) and zones(5) document them: a
 * shared-IP zone uses only its net addresses on the global zone's stack, may not configure it,
 * and has a 127.0.0.1 of its own; an exclusive-IP zone has a stack of its own that its root
 * configures. Privileges follow the ip-type; a missing physical only warns; zoneadm shows the
 * ip-type.
 */
import { describe, expect, it } from 'vitest';
import { AF_INET, IPPROTO_ICMP, SOCK_RAW, SOCK_STREAM, type Kernel, type Sys } from '../../src/index.js';
import type { ManagedCell } from '../../src/cells/managed.js';
import { parseLimitpriv } from '../../src/cells/zone-privileges.js';
import { boot, errnoOf } from '../kernel/helpers.js';
import { tcpClient, tcpServer } from './helpers.js';

function zone(name: string, extra: Record<string, unknown>): Record<string, unknown> {
  return { kind: 'zone', zonename: name, zonepath: `/zones/${name}`, rootfs: 'minimal', ...extra };
}

const shared = (name: string, address: string, physical = 'em0'): Record<string, unknown> => zone(name, { net: [{ address, physical }] });
const exclusive = (name: string, net: Record<string, string>[], extra: Record<string, unknown> = {}): Record<string, unknown> =>
  zone(name, { 'ip-type': 'exclusive', net, ...extra });

async function up(k: Kernel, spec: Record<string, unknown>): Promise<ManagedCell> {
  const cell = await k.createCell(spec);
  await cell.bringUp();
  return cell;
}

/** Binds a TCP socket to each address in turn; "address=errno" for each. */
function binds(addresses: readonly string[]) {
  return async (sys: Sys): Promise<number> => {
    const out: string[] = [];
    for (const address of addresses) {
      const s = await sys.socket(AF_INET, SOCK_STREAM);
      out.push(`${address}=${await errnoOf(sys.bind(s, { address, port: 8080 }))}`);
      await sys.close(s);
    }
    await sys.write(1, out.join(' '));
    return 0;
  };
}

describe('a shared-IP zone', () => {
  it('binds only its own address (EADDRNOTAVAIL for another zone\'s or the host\'s)', async () => {
    const k = await boot();
    await up(k, shared('a', '192.0.2.30/24'));
    const b = await up(k, shared('b', '192.0.2.31/24'));
    const r = await b.run(binds(['192.0.2.30', '192.0.2.1', '198.51.100.7', '192.0.2.31']));
    expect(r.stdout).toBe('192.0.2.30=EADDRNOTAVAIL 192.0.2.1=EADDRNOTAVAIL 198.51.100.7=EADDRNOTAVAIL 192.0.2.31=OK');
  });

  it('has a port space of its own: two zones both listen on the wildcard port 80, each reached at its address only', async () => {
    const k = await boot();
    const a = await up(k, shared('a', '192.0.2.30/24'));
    const b = await up(k, shared('b', '192.0.2.31/24'));
    const [sa, sb, ca, cb] = await Promise.all([
      a.run(tcpServer('0.0.0.0', 80, (q) => `a got ${q}`)),
      b.run(tcpServer('0.0.0.0', 80, (q) => `b got ${q}`)),
      k.host.run(tcpClient('192.0.2.30', 80, 'to a')),
      k.host.run(tcpClient('192.0.2.31', 80, 'to b')),
    ]);
    expect([ca.stdout, cb.stdout]).toEqual(['a got to a', 'b got to b']);
    // Local delivery: the host's connection to an address of its own stack comes from that address.
    expect([sa.stdout, sb.stdout]).toEqual(['192.0.2.30 to a\n', '192.0.2.31 to b\n']);
  });

  it('sees only its address, may not configure interfaces or routes (EPERM), and pings with net_icmpaccess', async () => {
    const k = await boot();
    const a = await up(k, shared('a', '192.0.2.30/24'));
    const r = await a.run(async (sys) => {
      const seen = (await sys.net_interfaces()).map((i) => `${i.name}:${i.addresses.map((x) => x.address).join(',')}`).join(' ');
      const denied = [
        await errnoOf(sys.net_ifconfig('em0', { add: '192.0.2.99/24' })),
        await errnoOf(sys.net_route('add', 'default', '192.0.2.254')),
        await errnoOf(sys.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)),
      ];
      await sys.write(1, `${seen} | ${denied.join(' ')}`);
      return 0;
    });
    // A shared-IP zone holds net_icmpaccess (privileges(5) default zone set), not net_rawaccess.
    expect(r.stdout).toBe('lo0:127.0.0.1 em0:192.0.2.30 | EPERM EPERM OK');
    const tools = await a.exec(['sh', '-c', 'ifconfig em0 inet 192.0.2.99/24 alias; ping -c 1 192.0.2.1']);
    expect(tools.stderr).toContain('ifconfig: ioctl (SIOCAIFADDR)');
    expect(tools.stdout).toContain('1 packets transmitted, 1 packets received, 0.0% packet loss');
    expect(tools.exitCode).toBe(0);
    const without = await up(k, zone('b', { net: [{ address: '192.0.2.31/24', physical: 'em0' }], limitpriv: 'default,-net_icmpaccess' }));
    const refused = await without.exec(['ping', '-c', '1', '192.0.2.1']);
    expect([refused.stderr, refused.exitCode]).toEqual(['ping: socket: Operation not permitted\n', 71]);
  });

  it('has a 127.0.0.1 of its own (lo0:N), even with no net resource: zones and the host each serve 127.0.0.1:80 and reach their own', async () => {
    const k = await boot();
    const a = await up(k, shared('a', '192.0.2.30/24'));
    const b = await up(k, shared('b', '192.0.2.31/24'));
    const c = await up(k, zone('c', {}));
    const [, , , , fromA, fromB, fromC, fromHost] = await Promise.all([
      a.run(tcpServer('127.0.0.1', 80, (q) => `a got ${q}`)),
      b.run(tcpServer('127.0.0.1', 80, (q) => `b got ${q}`)),
      c.run(tcpServer('127.0.0.1', 80, (q) => `c got ${q}`)),
      k.host.run(tcpServer('127.0.0.1', 80, (q) => `host got ${q}`)),
      a.run(tcpClient('127.0.0.1', 80, 'x')),
      b.run(tcpClient('127.0.0.1', 80, 'y')),
      c.run(tcpClient('127.0.0.1', 80, 'w')),
      k.host.run(tcpClient('127.0.0.1', 80, 'z')),
    ]);
    expect([fromA.stdout, fromB.stdout, fromC.stdout, fromHost.stdout]).toEqual(['a got x', 'b got y', 'c got w', 'host got z']);
  });

  it('boots without a physical the global zone lacks, with zoneadm\'s warning, and without that address', async () => {
    const console: string[] = [];
    const k = await boot({ consoleOutput: (data) => console.push(new TextDecoder().decode(data)) });
    const a = await up(k, zone('a', { net: [{ address: '192.0.2.30/24', physical: 'e1000g0' }, { address: '192.0.2.31/24', physical: 'em0' }] }));
    expect(a.state).toBe('running');
    expect(console.join('')).toBe("WARNING: skipping network interface 'e1000g0' which may not be present/plumbed in the global zone.\n");
    const r = await a.run(binds(['192.0.2.30', '192.0.2.31']));
    expect(r.stdout).toBe('192.0.2.30=EADDRNOTAVAIL 192.0.2.31=OK');
  });
});

describe('an exclusive-IP zone', () => {
  it('has its own interface, address and default route, configures them, and pings over the switch', async () => {
    const k = await boot();
    const x = await up(k, exclusive('x', [{ physical: 'vnic1', 'allowed-address': '192.0.2.40/24', defrouter: '192.0.2.1' }]));
    const r = await x.exec(['sh', '-c', 'ifconfig vnic1 inet 192.0.2.41/24 alias && route add -net 198.51.100.0/24 192.0.2.1 >/dev/null && netstat -rn && ping -c 1 192.0.2.1']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^default +192\.0\.2\.1 +UGS +vnic1$/m);
    expect(r.stdout).toMatch(/^198\.51\.100\.0\/24 +192\.0\.2\.1 +UGS +vnic1$/m);
    expect(r.stdout).toContain('1 packets transmitted, 1 packets received');
    const own = await x.run(async (sys) => {
      await sys.write(1, (await sys.net_interfaces()).map((i) => `${i.name}:${i.addresses.map((a) => `${a.address}/${a.prefix}`).join(',')}`).join(' '));
      return 0;
    });
    expect(own.stdout).toBe('lo0:127.0.0.1/8 vnic1:192.0.2.40/24,192.0.2.41/24');
    // The host's stack never sees the zone's configuration.
    const host = await k.host.exec(['ifconfig', '-a']);
    expect(host.stdout).not.toContain('192.0.2.41');
  });

  it('reaches a shared-IP zone\'s service across the switch, and its 127.0.0.1 is its own stack\'s', async () => {
    const k = await boot();
    const web = await up(k, shared('web', '192.0.2.30/24'));
    const x = await up(k, exclusive('x', [{ physical: 'vnic1', 'allowed-address': '192.0.2.40/24' }]));
    const [served, , fetched, local] = await Promise.all([
      web.run(tcpServer('192.0.2.30', 80, (q) => `web got ${q}`)),
      x.run(tcpServer('127.0.0.1', 80, (q) => `x got ${q}`)),
      x.run(tcpClient('192.0.2.30', 80, 'over the switch')),
      x.run(tcpClient('127.0.0.1', 80, 'at home', 20)),
    ]);
    expect(fetched.stdout).toBe('web got over the switch');
    expect(served.stdout).toBe('192.0.2.40 over the switch\n');
    expect(local.stdout).toBe('x got at home');
  });
});

describe('zone privileges by ip-type (privileges(5), zonecfg limitpriv)', () => {
  it('gives net_rawaccess and sys_ip_config to exclusive-IP zones only; sys_ip_config is prohibited to shared-IP zones and required of exclusive ones', () => {
    const sharedSet = parseLimitpriv('default', 'shared');
    const exclusiveSet = parseLimitpriv('default', 'exclusive');
    expect(sharedSet.ok && sharedSet.privileges).not.toContain('sys_ip_config');
    expect(sharedSet.ok && sharedSet.privileges).not.toContain('net_rawaccess');
    expect(sharedSet.ok && sharedSet.privileges).toContain('net_privaddr');
    expect(exclusiveSet.ok && exclusiveSet.privileges).toEqual(expect.arrayContaining(['net_privaddr', 'net_rawaccess', 'sys_ip_config']));
    expect(parseLimitpriv('default,sys_ip_config', 'shared')).toEqual({ ok: false, message: 'privilege "sys_ip_config" is not permitted within the zone\'s privilege set' });
    expect(parseLimitpriv('default,-sys_ip_config', 'exclusive')).toEqual({ ok: false, message: 'required privilege "sys_ip_config" is missing from the zone\'s privilege set' });
    expect(parseLimitpriv('sys_mount', 'exclusive')).toEqual({ ok: false, message: 'required privilege "sys_ip_config" is missing from the zone\'s privilege set' });
    const raw = parseLimitpriv('default,net_rawaccess', 'shared');
    expect(raw.ok && raw.privileges).toContain('net_rawaccess');
  });

  it('lets a shared-IP zone ping once limitpriv adds net_rawaccess, and refuses to boot one that asks for sys_ip_config', async () => {
    const k = await boot();
    const pinger = await up(k, zone('p', { net: [{ address: '192.0.2.30/24', physical: 'em0' }], limitpriv: 'default,net_rawaccess' }));
    expect((await pinger.exec(['ping', '-c', '1', '192.0.2.1'])).stdout).toContain('1 packets received');
    const bad = await k.createCell(zone('q', { net: [{ address: '192.0.2.31/24', physical: 'em0' }], limitpriv: 'default,sys_ip_config' }));
    await expect(bad.bringUp()).rejects.toThrow("zoneadm: zone 'q': privilege \"sys_ip_config\" is not permitted within the zone's privilege set");
  });
});

describe('zoneadm and the ip-type', () => {
  it('lists shared or excl, in the global zone and inside the zone', async () => {
    const k = await boot();
    await up(k, shared('a', '192.0.2.30/24'));
    const x = await up(k, exclusive('x', [{ physical: 'vnic1', 'allowed-address': '192.0.2.40/24' }]));
    await k.createCell(exclusive('y', []));
    const r = await k.host.exec(['zoneadm', 'list', '-cp']);
    expect(r.stdout).toBe('0:global:running:/::native:shared\n1:a:running:/zones/a::native:shared\n2:x:running:/zones/x::native:excl\n-:y:configured:/zones/y::native:excl\n');
    expect((await x.exec(['zoneadm', 'list', '-p'])).stdout).toBe('2:x:running:/::native:excl\n');
  });
});

describe('definition against the running kernel', () => {
  it('refuses an address outside the host\'s subnets or held by another cell, or a switch it lacks, and defines nothing', async () => {
    const k = await boot();
    await k.createCell(shared('a', '192.0.2.30/24'));
    const attempts: [Record<string, unknown>, string][] = [
      [shared('b', '198.51.100.7/24'), 'b: "net[0].address": 198.51.100.7 is not in a subnet of the host\'s (192.0.2.0/24)'],
      [shared('b', '192.0.2.30'), 'b: "net[0].address": 192.0.2.30 is already an address of cell "a"'],
      [{ kind: 'jail', name: 'j', path: '/j', 'ip4.addr': ['192.0.2.11', '192.0.2.30'] }, 'j: "ip4.addr[1]": 192.0.2.30 is already an address of cell "a"'],
      [exclusive('x', [{ physical: 'vnic1', 'allowed-address': '192.0.2.1/24' }]), 'x: "net[0].allowed-address": 192.0.2.1 is already an address of the host'],
      [exclusive('x', [{ physical: 'vnic1@lab', 'allowed-address': '10.0.0.2/24' }]), 'x: "net[0].physical": no switch "lab" (the host has "default")'],
    ];
    for (const [spec, message] of attempts) await expect(k.createCell(spec)).rejects.toThrow(message);
    expect([...k.managed.keys()]).toEqual(['a']);
    // A jail may use the host's own address; a dotted child its parent's; another switch its own subnet.
    k.net.switchNamed('lab', true);
    await k.createCell({ kind: 'jail', name: 'www', path: '/www', 'ip4.addr': ['192.0.2.1', '192.0.2.12'], 'children.max': 1 });
    await k.createCell({ kind: 'jail', name: 'www.sub', path: '/sub', 'ip4.addr': ['192.0.2.12'] });
    await k.createCell(exclusive('x', [{ physical: 'vnic1@lab', 'allowed-address': '10.0.0.2/24' }]));
    expect([...k.managed.keys()]).toEqual(['a', 'www', 'www.sub', 'x']);
  });
});
