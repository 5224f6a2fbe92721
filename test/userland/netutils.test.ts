// The network tools (ifconfig, route, ping, nc, netstat, fetch, httpd) run as built-in binaries
// of a booted kernel, from the host and from inside cells, through the public API.
import { describe, expect, it } from 'vitest';
import { AF_INET, AF_UNIX, SOCK_STREAM, type ExecResult, type HostApi, type Kernel } from '../../src/index.js';
import { cellWith } from '../cells/helpers.js';
import { boot } from '../kernel/helpers.js';
import { jailWith, vnetWith } from '../net/helpers.js';

const sh = (api: HostApi | Kernel, script: string, stdin = ''): Promise<ExecResult> => ('host' in api ? api.host : api).exec(['sh', '-c', script], { stdin });

/** Round-trip times depend on syscall costs; the tests check everything else exactly. */
const timeless = (out: string): string => out.replace(/time=\d+\.\d{3} ms/g, 'time=T ms').replace(/= [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms/, '= STATS ms');

const HOST_IFCONFIG = [
  'lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384',
  '\tinet 127.0.0.1 netmask 0xff000000',
  'em0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500',
  '\tether 02:00:00:00:00:01',
  '\tinet 192.0.2.1 netmask 0xffffff00 broadcast 192.0.2.255',
  '',
].join('\n');

describe('ifconfig', () => {
  it('shows the host\'s interfaces as FreeBSD does', async () => {
    const k = await boot();
    const all = await sh(k, 'ifconfig');
    expect(all).toMatchObject({ exitCode: 0, stdout: HOST_IFCONFIG, stderr: '' });
    expect((await sh(k, 'ifconfig -a')).stdout).toBe(HOST_IFCONFIG);
    expect((await sh(k, 'ifconfig em0')).stdout).toBe(HOST_IFCONFIG.split('\n').slice(2).join('\n'));
    expect((await sh(k, 'ifconfig -l')).stdout).toBe('lo0 em0\n');
  });

  it('adds and removes an alias, brings an interface down and up, and replaces the first address', async () => {
    const k = await boot();
    const r = await sh(k, 'ifconfig em0 inet 192.0.2.5/24 alias && ifconfig em0 && ifconfig em0 inet 192.0.2.5 -alias && ifconfig em0 down && ifconfig em0 && ifconfig em0 up && ifconfig -l -u');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'em0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500\n\tether 02:00:00:00:00:01\n' +
        '\tinet 192.0.2.1 netmask 0xffffff00 broadcast 192.0.2.255\n\tinet 192.0.2.5 netmask 0xffffff00 broadcast 192.0.2.255\n' +
        'em0: flags=8802<BROADCAST,SIMPLEX,MULTICAST> metric 0 mtu 1500\n\tether 02:00:00:00:00:01\n' +
        '\tinet 192.0.2.1 netmask 0xffffff00 broadcast 192.0.2.255\n' +
        'lo0 em0\n',
    );
    // Without `alias` the address takes the first one's place, as SIOCDIFADDR then SIOCAIFADDR do.
    const replaced = await sh(k, 'ifconfig em0 inet 198.51.100.1 netmask 255.255.255.0 && ifconfig em0');
    expect(replaced.stdout).toContain('\tinet 198.51.100.1 netmask 0xffffff00 broadcast 198.51.100.255\n');
    expect(replaced.stdout).not.toContain('192.0.2.1');
  });

  it('reports an unknown interface, a bad address and a missing alias in FreeBSD\'s words', async () => {
    const k = await boot();
    expect(await sh(k, 'ifconfig em9')).toMatchObject({ exitCode: 1, stdout: '', stderr: 'ifconfig: interface em9 does not exist\n' });
    expect(await sh(k, 'ifconfig em9 inet 10.0.0.1/8 alias')).toMatchObject({ exitCode: 1, stderr: 'ifconfig: interface em9 does not exist\n' });
    expect(await sh(k, 'ifconfig em0 inet 300.1.1.1 alias')).toMatchObject({ exitCode: 1, stderr: 'ifconfig: 300.1.1.1: bad value\n' });
    expect(await sh(k, 'ifconfig em0 inet 192.0.2.77 -alias')).toMatchObject({ exitCode: 1, stderr: 'ifconfig: ioctl (SIOCDIFADDR): Cannot assign requested address\n' });
  });

  it('runs by name in a jail\'s shell, shows only the jail\'s address, and may change nothing', async () => {
    const k = await boot();
    const jail = await jailWith(k, 'www', ['192.0.2.10']);
    const shown = await sh(jail, 'ifconfig em0');
    expect(shown).toMatchObject({
      exitCode: 0,
      stdout: 'em0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500\n\tether 02:00:00:00:00:01\n\tinet 192.0.2.10 netmask 0xffffffff\n',
    });
    expect(await sh(jail, 'ifconfig em0 inet 192.0.2.50/24 alias')).toMatchObject({ exitCode: 1, stderr: 'ifconfig: ioctl (SIOCAIFADDR): permission denied\n' });
    expect(await sh(jail, 'ifconfig em0 down')).toMatchObject({ exitCode: 1, stderr: 'ifconfig: down: permission denied\n' });
    expect((await sh(k, 'ifconfig em0')).stdout).not.toContain('192.0.2.50');
  });
});

describe('route and netstat -rn', () => {
  const TABLE = 'Routing tables\n\nInternet:\nDestination        Gateway            Flags     Netif Expire\n' +
    '127.0.0.0/8        link#1             U           lo0\n192.0.2.0/24       link#2             U           em0\n';

  it('shows the table, adds and deletes a default route, and refuses a duplicate', async () => {
    const k = await boot();
    expect((await sh(k, 'netstat -rn')).stdout).toBe(TABLE);
    expect((await sh(k, 'route show')).stdout).toBe(TABLE);
    const added = await sh(k, 'route add default 192.0.2.254 && route add -net 10.0.0.0/8 192.0.2.253 && netstat -rn');
    expect(added.stdout).toBe(
      'add net default: gateway 192.0.2.254\nadd net 10.0.0.0/8: gateway 192.0.2.253\n' + TABLE +
        'default            192.0.2.254        UGS         em0\n10.0.0.0/8         192.0.2.253        UGS         em0\n',
    );
    expect(await sh(k, 'route add default 192.0.2.254')).toMatchObject({ exitCode: 1, stdout: 'add net default: gateway 192.0.2.254: route already in table\n', stderr: '' });
    const got = await sh(k, 'route get 10.1.2.3');
    expect(got.stdout).toContain('   route to: 10.1.2.3\ndestination: 10.0.0.0\n       mask: 255.0.0.0\n    gateway: 192.0.2.253\n        fib: 0\n  interface: em0\n      flags: <UP,GATEWAY,STATIC,DONE>\n');
    expect(await sh(k, 'route delete default && route delete -net 10.0.0.0/8 && route show')).toMatchObject({ stdout: `delete net default\ndelete net 10.0.0.0/8\n${TABLE}` });
    expect(await sh(k, 'route delete default')).toMatchObject({ exitCode: 1, stdout: 'delete net default: not in table\n', stderr: 'route: route has not been found\n' });
  });

  it('is refused in a jail that shares the host\'s stack, as writing to the routing socket is', async () => {
    const k = await boot();
    const jail = await jailWith(k, 'www', ['192.0.2.10']);
    expect(await sh(jail, 'route add default 192.0.2.254')).toMatchObject({ exitCode: 1, stdout: '', stderr: 'route: writing to routing socket: Operation not permitted\n' });
    // The jail's address is a host route of the shared stack; no default route came.
    expect((await sh(k, 'netstat -rn')).stdout).toBe(`${TABLE}192.0.2.10         link#2             UH          em0\n`);
  });

  it('configures a vnet jail\'s own stack', async () => {
    const k = await boot();
    const v = await vnetWith(k, 'v', '192.0.2.20/24');
    const r = await sh(v, 'route delete default && route add default 192.0.2.1 && netstat -rn');
    expect(r.stdout).toBe(
      'delete net default\nadd net default: gateway 192.0.2.1\nRouting tables\n\nInternet:\nDestination        Gateway            Flags     Netif Expire\n' +
        '127.0.0.0/8        link#1             U           lo0\n192.0.2.0/24       link#2             U       epair0b\ndefault            192.0.2.1          UGS     epair0b\n',
    );
  });
});

describe('ping', () => {
  it('pings the host\'s own address and prints FreeBSD\'s report', async () => {
    const k = await boot();
    const r = await sh(k, 'ping -c 3 192.0.2.1');
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(timeless(r.stdout)).toBe(
      'PING 192.0.2.1 (192.0.2.1): 56 data bytes\n' +
        '64 bytes from 192.0.2.1: icmp_seq=0 ttl=64 time=T ms\n64 bytes from 192.0.2.1: icmp_seq=1 ttl=64 time=T ms\n64 bytes from 192.0.2.1: icmp_seq=2 ttl=64 time=T ms\n' +
        '\n--- 192.0.2.1 ping statistics ---\n3 packets transmitted, 3 packets received, 0.0% packet loss\nround-trip min/avg/max/stddev = STATS ms\n',
    );
  });

  it('sends one request a second, by the virtual clock, and stops at -t', async () => {
    const k = await boot();
    const start = k.now;
    const r = await sh(k, 'ping -t 3 localhost');
    expect(timeless(r.stdout)).toBe(
      'PING localhost (127.0.0.1): 56 data bytes\n' +
        '64 bytes from 127.0.0.1: icmp_seq=0 ttl=64 time=T ms\n64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=T ms\n64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=T ms\n' +
        '\n--- localhost ping statistics ---\n3 packets transmitted, 3 packets received, 0.0% packet loss\nround-trip min/avg/max/stddev = STATS ms\n',
    );
    expect(k.now - start).toBeGreaterThanOrEqual(3000);
    expect(k.now - start).toBeLessThan(3100);
  });

  it('two pings at once each count only their own replies (identifier = pid)', async () => {
    const k = await boot();
    const [a, b] = await Promise.all([sh(k, 'ping -c 2 127.0.0.1'), sh(k, 'ping -c 3 127.0.0.1')]);
    expect(a.stdout).toContain('2 packets transmitted, 2 packets received, 0.0% packet loss');
    expect(b.stdout).toContain('3 packets transmitted, 3 packets received, 0.0% packet loss');
    expect(a.stdout).not.toContain('DUP');
  });

  it('reaches a jail\'s address from the host and the host from a jail allowed raw sockets', async () => {
    const k = await boot();
    const jail = await jailWith(k, 'raw', ['192.0.2.11'], { privileges: ['net_rawaccess'] });
    const toJail = await sh(k, 'ping -c 1 192.0.2.11');
    expect(toJail.exitCode).toBe(0);
    expect(timeless(toJail.stdout)).toContain('64 bytes from 192.0.2.11: icmp_seq=0 ttl=64 time=T ms\n');
    const fromJail = await sh(jail, 'ping -c 1 192.0.2.1');
    expect(fromJail.exitCode).toBe(0);
    expect(fromJail.stdout).toContain('1 packets transmitted, 1 packets received, 0.0% packet loss');
  });

  it('fails in a jail without raw sockets exactly as FreeBSD\'s does', async () => {
    const k = await boot();
    const jail = await jailWith(k, 'www', ['192.0.2.10'], { privileges: [] });
    expect(await sh(jail, 'ping -c 1 192.0.2.1')).toMatchObject({ exitCode: 71, stdout: '', stderr: 'ping: socket: Operation not permitted\n' });
  });

  it('reports loss, unknown hosts and bad options with ping\'s statuses', async () => {
    const k = await boot({ network: { loss: 1 } });
    await vnetWith(k, 'v', '192.0.2.20/24');
    const lost = await sh(k, 'ping -c 2 -W 500 192.0.2.20');
    expect(lost).toMatchObject({
      exitCode: 2,
      stdout: 'PING 192.0.2.20 (192.0.2.20): 56 data bytes\n\n--- 192.0.2.20 ping statistics ---\n2 packets transmitted, 0 packets received, 100.0% packet loss\n',
    });
    expect(await sh(k, 'ping -c 1 192.0.2.99')).toMatchObject({ exitCode: 2, stderr: 'ping: sendto: No route to host\n' });
    expect(await sh(k, 'ping www.example.org')).toMatchObject({ exitCode: 68, stderr: 'ping: cannot resolve www.example.org: Unknown host\n' });
    expect(await sh(k, 'ping -c 0 127.0.0.1')).toMatchObject({ exitCode: 64, stderr: "ping: invalid count of packets to transmit: `0'\n" });
    expect(await k.host.exec(['ping', '-i', '0.2', '-c', '1', '127.0.0.1'], { uid: 1001 })).toMatchObject({ exitCode: 77, stderr: 'ping: -i interval too short: Operation not permitted\n' });
  });
});

describe('nc', () => {
  it('listens and connects over TCP, relaying both ways, with -v reports', async () => {
    const k = await boot();
    const [server, client] = await Promise.all([
      k.host.exec(['nc', '-v', '-l', '8080'], { stdin: 'from server\n' }),
      sh(k, 'sleep 1; echo from client | nc -v 127.0.0.1 8080'),
    ]);
    expect(server).toMatchObject({ exitCode: 0, stdout: 'from client\n', stderr: 'Connection from 127.0.0.1 49152 received!\n' });
    expect(client).toMatchObject({ exitCode: 0, stdout: 'from server\n', stderr: 'Connection to 127.0.0.1 8080 port [tcp/*] succeeded!\n' });
  });

  it('carries a stream larger than the socket buffers intact in both directions at once', async () => {
    const k = await boot();
    const big = `${'0123456789abcdef'.repeat(20000)}end\n`;
    const [server, client] = await Promise.all([
      sh(k, 'nc -l 5000 > /tmp/got; wc -c < /tmp/got; tail -c 4 /tmp/got', big),
      sh(k, 'sleep 1; nc 127.0.0.1 5000 | wc -c', big),
    ]);
    expect(server.stdout.replace(/ +/g, '')).toBe(`${big.length}\nend\n`);
    expect(client.stdout.trim()).toBe(String(big.length));
  });

  it('reports a refused connection, scans ports with -z, and times out with -w', async () => {
    const k = await boot();
    expect(await sh(k, 'nc 127.0.0.1 8081')).toMatchObject({ exitCode: 1, stderr: 'nc: connect to 127.0.0.1 port 8081 (tcp) failed: Connection refused\n' });
    const scan = await sh(k, 'nc -l 9000 & sleep 1; nc -z -v 192.0.2.1 8999-9001; echo status $?; wait');
    expect(scan.stdout).toBe('status 0\n');
    expect(scan.stderr).toBe(
      'nc: connect to 192.0.2.1 port 8999 (tcp) failed: Connection refused\nConnection to 192.0.2.1 9000 port [tcp/*] succeeded!\n' +
        'nc: connect to 192.0.2.1 port 9001 (tcp) failed: Connection refused\n',
    );
    const lossy = await boot({ network: { loss: 1 } });
    await vnetWith(lossy, 'v', '192.0.2.20/24');
    const start = lossy.now;
    expect(await sh(lossy, 'nc -w 2 192.0.2.20 80')).toMatchObject({ exitCode: 1, stderr: 'nc: connect to 192.0.2.20 port 80 (tcp) failed: Connection timed out\n' });
    expect(lossy.now - start).toBeGreaterThanOrEqual(2000);
    expect(await sh(k, 'nc -z nosuch 80')).toMatchObject({ exitCode: 1, stderr: 'nc: getaddrinfo: hostname nor servname provided, or not known\n' });
  });

  it('sends UDP datagrams to a listener, whose first sender becomes its peer', async () => {
    const k = await boot();
    const [server, client] = await Promise.all([
      k.host.exec(['nc', '-v', '-u', '-l', '-w', '2', '9999']),
      sh(k, 'sleep 1; echo one | nc -u 127.0.0.1 9999; echo two | nc -u -v -w 1 127.0.0.1 9999'),
    ]);
    // The second client comes from another port: not the listener's peer, so not taken.
    expect(server).toMatchObject({ exitCode: 0, stdout: 'one\n', stderr: 'Connection from 127.0.0.1 49152 received!\n' });
    expect(client).toMatchObject({ exitCode: 0, stderr: 'Connection to 127.0.0.1 9999 port [udp/*] succeeded!\n' });
  });

  it('connects from a jail to a service of another jail on the shared stack', async () => {
    const k = await boot();
    const a = await jailWith(k, 'a', ['192.0.2.10']);
    const b = await jailWith(k, 'b', ['192.0.2.11']);
    const [server, client] = await Promise.all([
      a.exec(['nc', '-v', '-l', '7000'], { stdin: 'hi b\n' }),
      sh(b, 'sleep 1; echo hi a | nc 192.0.2.10 7000'),
    ]);
    expect(server).toMatchObject({ exitCode: 0, stdout: 'hi a\n', stderr: 'Connection from 192.0.2.11 49152 received!\n' });
    expect(client.stdout).toBe('hi b\n');
    expect(await sh(b, 'nc -l 192.0.2.10 7001')).toMatchObject({ exitCode: 1, stderr: 'nc: Cannot assign requested address\n' });
  });
});

describe('netstat', () => {
  it('shows listening sockets with -a, at the jail\'s address, and connections without it', async () => {
    const k = await boot();
    const jail = await jailWith(k, 'www', ['192.0.2.10']);
    const [, , host, inJail] = await Promise.all([
      jail.exec(['nc', '-l', '80'], { stdin: '' }),
      sh(k, 'nc -u -l -w 3 5353'),
      sh(k, 'sleep 1; netstat -an; netstat -a -p udp; netstat -an -f unix; netstat; nc -z 192.0.2.10 80'),
      sh(jail, 'sleep 1; netstat -an'),
    ]);
    const header = 'Active Internet connections (including servers)\nProto Recv-Q Send-Q Local Address          Foreign Address        (state)\n';
    const tcp = 'tcp4       0      0 192.0.2.10.80          *.*                    LISTEN\n';
    const udp = 'udp4       0      0 *.5353                 *.*\n';
    expect(host.stdout).toBe(header + tcp + udp + header + udp);
    expect(inJail.stdout).toBe(header + tcp);
  });

  it('shows established connections without -a and UNIX domain sockets', async () => {
    const k = await boot();
    const r = await k.host.run(async (sys) => {
      const l = await sys.socket(AF_INET, SOCK_STREAM);
      await sys.bind(l, { address: '127.0.0.1', port: 6000 });
      await sys.listen(l);
      const c = await sys.socket(AF_INET, SOCK_STREAM);
      await sys.connect(c, { address: '127.0.0.1', port: 6000 });
      const u = await sys.socket(AF_UNIX, SOCK_STREAM);
      await sys.bind(u, { path: '/tmp/sock' });
      await sys.listen(u);
      for (const argv of [['netstat'], ['netstat', '-a', '-f', 'unix']]) await sys.wait(await sys.spawn('/usr/bin/netstat', argv));
      return 0;
    });
    expect(r.stdout).toBe(
      'Active Internet connections\nProto Recv-Q Send-Q Local Address          Foreign Address        (state)\n' +
        'tcp4       0      0 127.0.0.1.49152        127.0.0.1.6000         ESTABLISHED\n' +
        'tcp4       0      0 127.0.0.1.6000         127.0.0.1.49152        ESTABLISHED\n' +
        'Active UNIX domain sockets\nType   Recv-Q Send-Q Addr\nstream      0      0 /tmp/sock\n',
    );
  });
});

describe('fetch and httpd', () => {
  it('serve a file and save it, log the request, and answer 404 without leaving the docroot', async () => {
    const k = await boot();
    const [server, client] = await Promise.all([
      sh(k, 'mkdir -p /srv/www && echo "hello world!" > /srv/www/hello.txt && httpd -p 8080 -d /srv/www -n 3'),
      sh(k, 'sleep 1; cd /tmp && fetch -q http://127.0.0.1:8080/hello.txt && cat hello.txt; fetch http://127.0.0.1:8080/nope; echo status $?; fetch -q -o - http://127.0.0.1:8080/../../etc/passwd'),
    ]);
    expect(server.exitCode).toBe(0);
    expect(server.stdout.replace(/\[\d+\]/g, '[T]')).toBe(
      '127.0.0.1 - - [T] "GET /hello.txt HTTP/1.0" 200 13\n127.0.0.1 - - [T] "GET /nope HTTP/1.0" 404 14\n127.0.0.1 - - [T] "GET /../../etc/passwd HTTP/1.0" 404 14\n',
    );
    expect(client.stdout).toBe('hello world!\nstatus 1\n');
    expect(client.stderr).toBe('fetch: http://127.0.0.1:8080/nope: Not Found\nfetch: http://127.0.0.1:8080/../../etc/passwd: Not Found\n');
  });

  it('serves the default page from a jail to the host, and fetch reports what goes wrong', async () => {
    const k = await boot();
    const jail = await jailWith(k, 'www', ['192.0.2.10']);
    const [server, client] = await Promise.all([
      sh(jail, 'httpd -n 1'),
      sh(k, 'sleep 1; fetch -o /tmp http://192.0.2.10/ && cat /tmp/fetch.out'),
    ]);
    // The host reaches an address of its own stack, so it speaks from that address.
    expect(server.stdout).toMatch(/^192\.0\.2\.10 - - \[\d+\] "GET \/ HTTP\/1\.0" 200 45\n$/);
    expect(client.stdout).toBe('<html><body><h1>It works!</h1></body></html>\n');
    expect(client.stderr).toMatch(/^\/tmp\/fetch\.out {32} {8} {2}45 {2}B +\d+ {2}Bps \d\dm\d\ds\n$/);
    expect(await sh(k, 'fetch http://127.0.0.1:81/x')).toMatchObject({ exitCode: 1, stderr: 'fetch: http://127.0.0.1:81/x: Connection refused\n' });
    expect(await sh(k, 'fetch http://www.example.org/')).toMatchObject({ exitCode: 1, stderr: 'fetch: http://www.example.org/: No address record\n' });
    expect(await sh(k, 'fetch ftp://127.0.0.1/')).toMatchObject({ exitCode: 1, stderr: 'fetch: ftp://127.0.0.1/: Invalid URL scheme\n' });
  });

  it('answers a malformed request with 400 and another method with 501', async () => {
    const k = await boot();
    const [server, client] = await Promise.all([
      sh(k, 'httpd -p 8080 -n 2'),
      sh(k, 'sleep 1; echo "hello there" | nc 127.0.0.1 8080; echo "DELETE / HTTP/1.0" | nc 127.0.0.1 8080'),
    ]);
    expect(client.stdout).toContain('HTTP/1.0 400 Bad Request\r\n');
    expect(client.stdout).toContain('HTTP/1.0 501 Not Implemented\r\n');
    expect(server.stdout.replace(/\[\d+\]/g, '[T]')).toBe('127.0.0.1 - - [T] "hello there" 400 16\n127.0.0.1 - - [T] "DELETE / HTTP/1.0" 501 20\n');
  });
});

describe('jls', () => {
  it('shows each jail\'s first address in the IP Address column, and every address with -v', async () => {
    const k = await boot();
    await jailWith(k, 'www', ['192.0.2.10', '192.0.2.12']);
    await cellWith(k, 'db', {});
    const r = await sh(k, 'jls; jls -v');
    expect(r.stdout).toBe(
      '   JID  IP Address      Hostname                      Path\n' +
        '     1  192.0.2.10                                    /c/www\n' +
        '     2                                                /c/db\n' +
        '   JID  Hostname                      Path\n        Name                          State\n        CPUSetID\n        IP Address(es)\n' +
        '     1                                /c/www\n        www                           ACTIVE\n        0\n        192.0.2.10\n        192.0.2.12\n' +
        '     2                                /c/db\n        db                            ACTIVE\n        0\n',
    );
  });
});
