// Pure parts of the network tools: addresses, ICMP, the formats of ifconfig, netstat, route
// and ping, HTTP parsing, argument parsing. No kernel.
import { describe, expect, it } from 'vitest';
import type { NetInterface, RouteInfo, SocketInfo } from '../../src/kernel/abi.js';
import { statLine } from '../../src/userland/netutils/fetch.js';
import { contentType, headEnd, localName, parseRequestLine, parseResponseHead, parseUrl, resolveTarget } from '../../src/userland/netutils/http.js';
import { ICMP_ECHOREPLY, echoRequest, internetChecksum, parseIcmp } from '../../src/userland/netutils/icmp.js';
import { formatFlags, formatInterface } from '../../src/userland/netutils/ifconfig-format.js';
import { parseWords } from '../../src/userland/netutils/ifconfig.js';
import { formatIp, hexMask, netstatAddress, parseCidr, parseIp, parseMask, parsePort, resolveHost } from '../../src/userland/netutils/inet.js';
import { portRange } from '../../src/userland/netutils/nc.js';
import { formatInet, formatUnix } from '../../src/userland/netutils/netstat-format.js';
import { PingStats, replyLine, summary } from '../../src/userland/netutils/ping-stats.js';
import { formatRouteTable, lookupRoute } from '../../src/userland/netutils/route-table.js';
import { parseRequest } from '../../src/userland/netutils/route.js';

describe('addresses', () => {
  it('parses and prints dotted quads, prefixes and netmasks', () => {
    expect(parseIp('192.0.2.1')).toBe(0xc0000201);
    expect(formatIp(0xc0000201)).toBe('192.0.2.1');
    expect(formatIp(0xffffffff)).toBe('255.255.255.255');
    for (const bad of ['192.0.2', '192.0.2.256', '1.2.3.4.5', 'a.b.c.d', '1..2.3', ' 1.2.3.4']) expect(parseIp(bad)).toBeUndefined();
    expect(hexMask(24)).toBe('0xffffff00');
    expect(hexMask(8)).toBe('0xff000000');
    expect(hexMask(32)).toBe('0xffffffff');
    expect(hexMask(0)).toBe('0x00000000');
    expect(parseMask('0xffffff00')).toBe(24);
    expect(parseMask('255.255.0.0')).toBe(16);
    expect(parseMask('255.0.255.0')).toBeUndefined();
    expect(parseCidr('10.0.0.0/8')).toEqual({ address: 0x0a000000, prefix: 8 });
    expect(parseCidr('10.0.0.1')).toEqual({ address: 0x0a000001, prefix: undefined });
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parsePort('65535')).toBe(65535);
    expect(parsePort('65536')).toBeUndefined();
    expect(resolveHost('localhost')).toBe('127.0.0.1');
    expect(resolveHost('www.example.org')).toBeUndefined();
  });

  it('prints socket addresses as netstat does', () => {
    expect(netstatAddress({ address: '192.0.2.10', port: 80 })).toBe('192.0.2.10.80');
    expect(netstatAddress({ address: '0.0.0.0', port: 53 })).toBe('*.53');
    expect(netstatAddress({ address: '0.0.0.0', port: 0 })).toBe('*.*');
    expect(netstatAddress(null)).toBe('*.*');
  });
});

describe('ICMP', () => {
  it('computes RFC 1071\'s example checksum', () => {
    expect(internetChecksum(new Uint8Array([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]))).toBe(0x220d);
    expect(internetChecksum(new Uint8Array([0x01]))).toBe(0xfeff);
  });

  it('builds echo requests that check, and reads a reply behind its IPv4 header', () => {
    const request = echoRequest(0x1234, 7, 56, 123456);
    expect(request.length).toBe(64);
    expect([...request.subarray(0, 2)]).toEqual([8, 0]);
    expect(internetChecksum(request)).toBe(0);
    expect(request[8 + 8]).toBe(8); // data after the timestamp counts up from 8
    const reply = request.slice();
    reply[0] = ICMP_ECHOREPLY;
    reply[2] = 0;
    reply[3] = 0;
    const sum = internetChecksum(reply);
    reply[2] = sum >> 8;
    reply[3] = sum & 0xff;
    const ip = new Uint8Array(20 + reply.length);
    ip[0] = 0x45;
    ip[8] = 63;
    ip.set(reply, 20);
    expect(parseIcmp(ip)).toEqual({ type: 0, id: 0x1234, seq: 7, ttl: 63, length: 64, sentAt: 123456, checksumOk: true });
    ip[30] = ip[30]! ^ 0xff;
    expect(parseIcmp(ip)?.checksumOk).toBe(false);
    expect(parseIcmp(new Uint8Array(24))).toBeUndefined();
    expect(parseIcmp(ip.subarray(0, 20 + 12))?.sentAt).toBeUndefined();
  });
});

describe('ping report', () => {
  it('counts duplicates apart and prints FreeBSD\'s statistics', () => {
    const s = new PingStats();
    s.transmitted = 4;
    expect(s.reply(0, 2)).toBe(false);
    expect(s.reply(1, 4)).toBe(false);
    expect(s.reply(1, 6)).toBe(true);
    expect(s.received).toBe(2);
    expect(replyLine(64, '192.0.2.1', 1, 64, 6, true)).toBe('64 bytes from 192.0.2.1: icmp_seq=1 ttl=64 time=6.000 ms (DUP!)\n');
    expect(replyLine(12, '192.0.2.1', 0, 64, undefined, false)).toBe('12 bytes from 192.0.2.1: icmp_seq=0 ttl=64\n');
    expect(summary('h', s, true)).toBe(
      '\n--- h ping statistics ---\n4 packets transmitted, 2 packets received, +1 duplicates, 50.0% packet loss\n' +
        'round-trip min/avg/max/stddev = 2.000/4.000/6.000/1.633 ms\n',
    );
    const none = new PingStats();
    none.transmitted = 3;
    expect(summary('h', none, true)).toBe('\n--- h ping statistics ---\n3 packets transmitted, 0 packets received, 100.0% packet loss\n');
  });
});

const EM0: NetInterface = {
  name: 'em0', flags: ['UP', 'BROADCAST', 'RUNNING', 'MULTICAST'], mtu: 1500, mac: '02:00:00:00:00:01',
  addresses: [{ address: '192.0.2.1', prefix: 24, broadcast: '192.0.2.255' }], switch: 'default',
};
const LO0: NetInterface = {
  name: 'lo0', flags: ['UP', 'LOOPBACK', 'RUNNING', 'MULTICAST'], mtu: 16384, mac: null,
  addresses: [{ address: '127.0.0.1', prefix: 8, broadcast: null }], switch: null,
};

describe('ifconfig format', () => {
  it('computes the flags value from the names and prints them in bit order', () => {
    expect(formatFlags(['UP', 'LOOPBACK', 'RUNNING', 'MULTICAST'])).toBe('8049<UP,LOOPBACK,RUNNING,MULTICAST>');
    expect(formatFlags(['MULTICAST', 'SIMPLEX', 'RUNNING', 'BROADCAST', 'UP'])).toBe('8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST>');
    expect(formatFlags([])).toBe('0<>');
  });

  it('prints an interface with SIMPLEX for Ethernet', () => {
    expect(formatInterface(EM0)).toBe(
      'em0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500\n\tether 02:00:00:00:00:01\n\tinet 192.0.2.1 netmask 0xffffff00 broadcast 192.0.2.255\n',
    );
    expect(formatInterface(LO0)).toBe('lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384\n\tinet 127.0.0.1 netmask 0xff000000\n');
  });

  it('parses the words after the interface name', () => {
    expect(parseWords(['inet', '10.0.0.1/8', 'alias'])).toEqual({ alias: 1, address: { address: 0x0a000001, prefix: 8 } });
    expect(parseWords(['10.0.0.1', 'netmask', '0xffff0000', 'up'])).toEqual({ alias: 0, up: true, address: { address: 0x0a000001, prefix: 16 } });
    expect(parseWords(['inet', '10.0.0.1', 'delete'])).toEqual({ alias: -1, address: { address: 0x0a000001, prefix: undefined } });
    expect(parseWords(['down'])).toEqual({ alias: 0, up: false });
    expect(parseWords(['10.0.0.1', '10.0.0.2'])).toBe('10.0.0.2: bad value');
    expect(parseWords(['netmask', 'bogus'])).toBe('bogus: bad value');
  });
});

const ROUTES: RouteInfo[] = [
  { destination: '127.0.0.0', prefix: 8, gateway: null, iface: 'lo0', flags: 'U' },
  { destination: '192.0.2.0', prefix: 24, gateway: null, iface: 'em0', flags: 'U' },
  { destination: 'default', prefix: 0, gateway: '192.0.2.254', iface: 'em0', flags: 'UGS' },
  { destination: '10.1.1.1', prefix: 32, gateway: '192.0.2.253', iface: 'em0', flags: 'UGHS' },
];

describe('routes', () => {
  it('prints the table as netstat -rn, link#N for connected subnets', () => {
    expect(formatRouteTable(ROUTES, [LO0, EM0])).toBe(
      'Routing tables\n\nInternet:\nDestination        Gateway            Flags     Netif Expire\n' +
        '127.0.0.0/8        link#1             U           lo0\n192.0.2.0/24       link#2             U           em0\n' +
        'default            192.0.2.254        UGS         em0\n10.1.1.1           192.0.2.253        UGHS        em0\n',
    );
  });

  it('widens a column for a long interface name', () => {
    const out = formatRouteTable([{ destination: '192.0.2.0', prefix: 24, gateway: null, iface: 'epair123456b', flags: 'U' }], [{ ...EM0, name: 'epair123456b' }]);
    expect(out.split('\n')[4]).toBe('192.0.2.0/24       link#1             U      epair123456b');
  });

  it('finds the longest matching prefix', () => {
    expect(lookupRoute(ROUTES, '192.0.2.9')?.destination).toBe('192.0.2.0');
    expect(lookupRoute(ROUTES, '10.1.1.1')?.prefix).toBe(32);
    expect(lookupRoute(ROUTES, '8.8.8.8')?.destination).toBe('default');
    expect(lookupRoute(ROUTES.slice(0, 2), '8.8.8.8')).toBeUndefined();
  });

  it('parses route add and delete as route(8) does', () => {
    expect(parseRequest(['default', '192.0.2.254'], true)).toEqual({ destination: 'default', gateway: '192.0.2.254', host: false, shown: 'default' });
    expect(parseRequest(['-net', '10.0.0.0/8', '192.0.2.1'], true)).toMatchObject({ destination: '10.0.0.0/8', host: false });
    expect(parseRequest(['-net', '172.16.0.0', '192.0.2.1'], true)).toMatchObject({ destination: '172.16.0.0/16', host: false });
    expect(parseRequest(['10.1.1.1', '192.0.2.1'], true)).toMatchObject({ destination: '10.1.1.1/32', host: true });
    expect(parseRequest(['-net', '10.0.0.0', '-netmask', '255.255.255.0', '192.0.2.1'], true)).toMatchObject({ destination: '10.0.0.0/24' });
    expect(parseRequest(['default'], false)).toMatchObject({ destination: 'default', gateway: undefined });
    expect(parseRequest(['default'], true)).toBe('');
    expect(parseRequest(['default', 'gw'], true)).toBe('bad address: gw');
  });
});

const sock = (proto: string, local: SocketInfo['local'], remote: SocketInfo['remote'], state = ''): SocketInfo => ({ proto, local, remote, state, recvQ: 0, sendQ: 0 });

describe('netstat format', () => {
  const sockets = [
    sock('udp4', { address: '0.0.0.0', port: 53 }, null),
    sock('tcp4', { address: '192.0.2.10', port: 80 }, null, 'LISTEN'),
    sock('tcp4', { address: '192.0.2.10', port: 80 }, { address: '192.0.2.11', port: 49152 }, 'ESTABLISHED'),
    sock('raw4', { address: '0.0.0.0', port: 0 }, null),
    sock('unix', { path: '/var/run/log' }, null, 'LISTEN'),
    sock('unix', null, { path: '/var/run/log' }, 'CONNECTED'),
  ];

  it('lists tcp, udp and icmp sockets in FreeBSD\'s columns; servers only with -a', () => {
    const header = 'Proto Recv-Q Send-Q Local Address          Foreign Address        (state)\n';
    expect(formatInet(sockets, true)).toBe(
      `Active Internet connections (including servers)\n${header}` +
        'tcp4       0      0 192.0.2.10.80          *.*                    LISTEN\n' +
        'tcp4       0      0 192.0.2.10.80          192.0.2.11.49152       ESTABLISHED\n' +
        'udp4       0      0 *.53                   *.*\n' +
        'icm4       0      0 *.*                    *.*\n',
    );
    expect(formatInet(sockets, false)).toBe(`Active Internet connections\n${header}tcp4       0      0 192.0.2.10.80          192.0.2.11.49152       ESTABLISHED\n`);
    expect(formatInet(sockets, true, 'udp')).toContain('udp4       0      0 *.53');
    expect(formatInet(sockets, true, 'udp')).not.toContain('tcp4');
    expect(formatInet([], true)).toBe('');
  });

  it('lists UNIX domain sockets', () => {
    expect(formatUnix(sockets, true)).toBe('Active UNIX domain sockets\nType   Recv-Q Send-Q Addr\nstream      0      0 /var/run/log\nstream      0      0\n');
    expect(formatUnix(sockets, false)).toBe('Active UNIX domain sockets\nType   Recv-Q Send-Q Addr\nstream      0      0\n');
  });
});

describe('HTTP', () => {
  it('parses URLs and names the local file', () => {
    expect(parseUrl('http://192.0.2.10:8080/a/b.txt?x=1')).toEqual({ host: '192.0.2.10', port: 8080, path: '/a/b.txt?x=1' });
    expect(parseUrl('http://localhost')).toEqual({ host: 'localhost', port: 80, path: '/' });
    expect(parseUrl('ftp://h/')).toBe('Invalid URL scheme');
    expect(parseUrl('nonsense')).toBe('parse error');
    expect(parseUrl('http://h:99999/')).toBe('parse error');
    expect(localName('/a/b.txt?x=1')).toBe('b.txt');
    expect(localName('/dir/')).toBe('fetch.out');
  });

  it('keeps request targets inside the document root', () => {
    expect(resolveTarget('/var/www', '/index.html')).toBe('/var/www/index.html');
    expect(resolveTarget('/var/www/', '/../../etc/passwd')).toBe('/var/www/etc/passwd');
    expect(resolveTarget('/var/www', '/a/./b/../c%2e%2e/%2e%2e/x?q')).toBe('/var/www/a/x');
    expect(resolveTarget('/var/www', '/sub/')).toBe('/var/www/sub/');
    expect(resolveTarget('/var/www', 'http://host/p')).toBe('/var/www/p');
    expect(resolveTarget('/var/www', 'relative')).toBeUndefined();
    expect(resolveTarget('/var/www', '/%zz')).toBeUndefined();
    expect(resolveTarget('/var/www', '/a%00b')).toBeUndefined();
  });

  it('parses request lines, response heads and finds where the head ends', () => {
    expect(parseRequestLine('GET /x HTTP/1.0')).toEqual({ method: 'GET', target: '/x', version: 'HTTP/1.0' });
    expect(parseRequestLine('GET /x')).toBeUndefined();
    const head = parseResponseHead('HTTP/1.0 404 Not Found\r\nContent-Length: 14\r\nX-Y:  z ');
    expect(head?.status).toBe(404);
    expect(head?.reason).toBe('Not Found');
    expect(head?.headers.get('content-length')).toBe('14');
    expect(head?.headers.get('x-y')).toBe('z');
    expect(parseResponseHead('SSH-2.0')).toBeUndefined();
    const bytes = new TextEncoder().encode('HTTP/1.0 200 OK\r\nA: b\r\n\r\nbody');
    expect(headEnd(bytes)).toEqual({ head: 21, body: 25 });
    expect(headEnd(new TextEncoder().encode('GET / HTTP/1.0\n\nx'))).toEqual({ head: 14, body: 16 });
    expect(headEnd(new TextEncoder().encode('GET / HTTP/1.0\r\n'))).toBeUndefined();
    expect(contentType('/a/B.HTML')).toBe('text/html');
    expect(contentType('/a/b')).toBe('application/octet-stream');
  });

  it('prints fetch\'s closing line with size, rate and time', () => {
    expect(statLine('hello.txt', 13, 22)).toBe(`hello.txt${' '.repeat(37)}${' '.repeat(8)}  13  B  590  Bps 00m00s\n`);
    expect(statLine('f', 200000, 0)).toBe(`f${' '.repeat(45)}${' '.repeat(8)} 195 kB    ?? Bps 00m00s\n`);
    expect(statLine('f', 1, 61000)).toContain('01m01s');
  });
});

describe('nc ports', () => {
  it('expands ranges and refuses bad ports in netcat\'s words', () => {
    expect(portRange('80')).toEqual([80]);
    expect(portRange('20-23')).toEqual([20, 21, 22, 23]);
    expect(() => portRange('23-20')).toThrow('port range not valid');
    expect(() => portRange('abc')).toThrow('port number invalid: abc');
    expect(() => portRange('0')).toThrow('port number too small: 0');
    expect(() => portRange('70000')).toThrow('port number too large: 70000');
  });
});
