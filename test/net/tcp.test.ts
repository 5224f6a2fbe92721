/**
 * TCP and UDP behaviour a user relies on: errnos, reliable delivery under seeded loss,
 * backpressure from a bounded send buffer, teardown states, accounting of sockets.
 */
import { describe, expect, it } from 'vitest';
import { AF_INET, SOCK_DGRAM, SOCK_STREAM, type Sys } from '../../src/index.js';
import { boot, errnoOf, text } from '../kernel/helpers.js';
import { recvAll, vnetWith } from './helpers.js';
import { cellWith, partitionOf } from '../cells/helpers.js';

/** A payload whose every byte depends on its position, so a lost or reordered byte shows. */
function pattern(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 7 + (i >> 8)) & 0xff;
  return out;
}

async function digest(sys: Sys, fd: number): Promise<string> {
  let n = 0;
  let sum = 0;
  for (;;) {
    const chunk = await sys.recv(fd);
    if (chunk.length === 0) return `${n}:${sum}`;
    for (const byte of chunk) sum = (sum * 31 + byte) >>> 0;
    n += chunk.length;
  }
}

function expectedDigest(data: Uint8Array): string {
  let sum = 0;
  for (const byte of data) sum = (sum * 31 + byte) >>> 0;
  return `${data.length}:${sum}`;
}

describe('TCP', () => {
  it('errnos: ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EADDRINUSE, EACCES below 1024 for a user', async () => {
    const k = await boot();
    const r = await k.host.run(async (sys) => {
      const out: string[] = [];
      for (const address of ['127.0.0.1', '192.0.2.1', '192.0.2.77', '10.1.2.3']) {
        const s = await sys.socket(AF_INET, SOCK_STREAM);
        out.push(await errnoOf(sys.connect(s, { address, port: 9 })));
        await sys.close(s);
      }
      const a = await sys.socket(AF_INET, SOCK_STREAM);
      const b = await sys.socket(AF_INET, SOCK_STREAM);
      await sys.bind(a, { address: '0.0.0.0', port: 8000 });
      out.push(await errnoOf(sys.bind(b, { address: '0.0.0.0', port: 8000 })));
      await sys.setuid(1001);
      const c = await sys.socket(AF_INET, SOCK_STREAM);
      out.push(await errnoOf(sys.bind(c, { address: '0.0.0.0', port: 80 })), await errnoOf(sys.bind(c, { address: '0.0.0.0', port: 1024 })));
      await sys.write(1, out.join(' '));
      return 0;
    });
    expect(r.stdout).toBe('ECONNREFUSED ECONNREFUSED EHOSTUNREACH ENETUNREACH EADDRINUSE EACCES OK');
  });

  it('a stream of 200 KB arrives intact over a switch losing 10% of frames (retransmission)', async () => {
    const k = await boot({ network: { loss: 0.1, latency: 2 } });
    const a = await vnetWith(k, 'a', '192.0.2.20/24');
    const b = await vnetWith(k, 'b', '192.0.2.21/24');
    const data = pattern(200_000);
    const [server, client] = await Promise.all([
      b.run(async (sys) => {
        const s = await sys.socket(AF_INET, SOCK_STREAM);
        await sys.bind(s, { address: '0.0.0.0', port: 5001 });
        await sys.listen(s);
        const { fd } = await sys.accept(s);
        await sys.write(1, await digest(sys, fd));
        return 0;
      }),
      a.run(async (sys) => {
        await sys.sleep(5);
        const c = await sys.socket(AF_INET, SOCK_STREAM);
        await sys.connect(c, { address: '192.0.2.21', port: 5001 });
        await sys.send(c, data);
        await sys.close(c);
        return 0;
      }),
    ]);
    expect(client.exitCode).toBe(0);
    expect(server.stdout).toBe(expectedDigest(data));
    const counts = k.net.switchNamed('default').counts;
    expect(counts.lost).toBeGreaterThan(counts.frames * 0.05); // frames were lost, and made good
    expect(counts.frames).toBeGreaterThan(200_000 / 1460 + 20);
  });

  it('a UDP exchange gets through under loss when the application retries, data intact', async () => {
    const k = await boot({ network: { loss: 0.3, latency: 1 } });
    const a = await vnetWith(k, 'a', '192.0.2.20/24');
    const b = await vnetWith(k, 'b', '192.0.2.21/24');
    const [server, client] = await Promise.all([
      b.run(async (sys) => {
        const s = await sys.socket(AF_INET, SOCK_DGRAM);
        await sys.bind(s, { address: '0.0.0.0', port: 53 });
        const { data, from } = await sys.recvfrom(s);
        for (let i = 0; i < 10; i++) await sys.sendto(s, `ack ${text(data)}`, from);
        await sys.write(1, text(data));
        return 0;
      }),
      a.run(async (sys) => {
        const s = await sys.socket(AF_INET, SOCK_DGRAM);
        await sys.setsockopt(s, 'SO_RCVTIMEO', 20);
        for (let attempt = 0; attempt < 50; attempt++) {
          await sys.sendto(s, 'query-0123456789', { address: '192.0.2.21', port: 53 });
          try {
            const { data } = await sys.recvfrom(s);
            await sys.write(1, text(data));
            return 0;
          } catch (err) {
            if ((err as { code?: string }).code !== 'EAGAIN') throw err;
          }
        }
        return 1;
      }),
    ]);
    expect(server.stdout).toBe('query-0123456789');
    expect(client.stdout).toBe('ack query-0123456789');
  });

  it('a writer blocks while the reader does not read: the send buffer bounds what is in flight', async () => {
    const k = await boot();
    const [server, client] = await Promise.all([
      k.host.run(async (sys) => {
        const s = await sys.socket(AF_INET, SOCK_STREAM);
        await sys.bind(s, { address: '127.0.0.1', port: 7000 });
        await sys.listen(s);
        const { fd } = await sys.accept(s);
        await sys.sleep(1000);
        const started = await sys.time();
        const got = await digest(sys, fd);
        await sys.write(1, `${started} ${got}`);
        return 0;
      }),
      k.host.run(async (sys) => {
        await sys.sleep(1);
        const c = await sys.socket(AF_INET, SOCK_STREAM);
        await sys.connect(c, { address: '127.0.0.1', port: 7000 });
        await sys.send(c, pattern(1_000_000));
        const done = await sys.time();
        await sys.close(c);
        await sys.write(1, String(done));
        return 0;
      }),
    ]);
    const [readerStart, got] = server.stdout.split(' ');
    expect(got).toBe(expectedDigest(pattern(1_000_000)));
    expect(Number(client.stdout)).toBeGreaterThan(Number(readerStart));
  });

  it('closing with unread data resets the peer (ECONNRESET); an orderly close leaves TIME_WAIT', async () => {
    const k = await boot();
    const [server, client] = await Promise.all([
      k.host.run(async (sys) => {
        const s = await sys.socket(AF_INET, SOCK_STREAM);
        await sys.bind(s, { address: '127.0.0.1', port: 7001 });
        await sys.listen(s);
        const first = await sys.accept(s);
        await sys.sleep(10);
        await sys.close(first.fd); // its request was never read: RST
        const second = await sys.accept(s);
        await sys.close(second.fd); // nothing unread: FIN, and this side closed first
        await sys.sleep(50);
        const states = (await sys.net_sockets()).filter((i) => i.state === 'TIME_WAIT').length;
        await sys.write(1, `time-wait=${states}`);
        return 0;
      }),
      k.host.run(async (sys) => {
        await sys.sleep(1);
        const c = await sys.socket(AF_INET, SOCK_STREAM);
        await sys.connect(c, { address: '127.0.0.1', port: 7001 });
        await sys.send(c, 'unread');
        const reset = await errnoOf(sys.recv(c));
        const d = await sys.socket(AF_INET, SOCK_STREAM);
        await sys.connect(d, { address: '127.0.0.1', port: 7001 });
        const eof = (await sys.recv(d)).length;
        await sys.close(d);
        await sys.write(1, `${reset} eof=${eof}`);
        return 0;
      }),
    ]);
    expect(client.stdout).toBe('ECONNRESET eof=0');
    expect(server.stdout).toBe('time-wait=1');
  });

  it('sockets are a quota (ENOBUFS), and every charge goes back when the cell\'s processes are done', async () => {
    const k = await boot();
    const c = await cellWith(k, 'q', { sockets: 3 }, { params: { net: { mode: 'restrict', addresses: ['192.0.2.40'] } } });
    const r = await c.run(async (sys) => {
      const out: string[] = [];
      for (let i = 0; i < 4; i++) out.push(await errnoOf(sys.socket(AF_INET, SOCK_DGRAM)));
      await sys.close(3); // the first socket
      out.push(await errnoOf(sys.socket(AF_INET, SOCK_STREAM)));
      await sys.write(1, out.join(' '));
      return 0;
    });
    expect(r.stdout).toBe('OK OK OK ENOBUFS OK');
    const part = partitionOf(k, 'q');
    expect(part.counters.sockets.usage).toBe(0);
    expect(part.counters.sockets.failcnt).toBe(1);
    expect(part.counters.memory.usage).toBe(0);
  });

  it('send-buffer bytes are memory of the writer\'s cell until acknowledged', async () => {
    const k = await boot();
    const c = await cellWith(k, 'm', {}, { params: { net: { mode: 'restrict', addresses: ['192.0.2.41'] } } });
    const seen: number[] = [];
    const [server] = await Promise.all([
      k.host.run(async (sys) => {
        const s = await sys.socket(AF_INET, SOCK_STREAM);
        await sys.bind(s, { address: '192.0.2.1', port: 7002 });
        await sys.listen(s);
        const { fd } = await sys.accept(s);
        await sys.sleep(200);
        seen.push(partitionOf(k, 'm').counters.memory.usage);
        await sys.write(1, String((await recvAll(sys, fd)).length));
        return 0;
      }),
      c.run(async (sys) => {
        await sys.sleep(1);
        const s = await sys.socket(AF_INET, SOCK_STREAM);
        await sys.connect(s, { address: '192.0.2.1', port: 7002 });
        await sys.send(s, pattern(100_000));
        await sys.close(s);
        return 0;
      }),
    ]);
    expect(server.stdout).toBe('100000');
    // The receiver's window (64 KiB) took the rest; what remains waits, charged, in the sender's buffer.
    expect(seen[0]).toBeGreaterThan(0);
    expect(partitionOf(k, 'm').counters.memory.usage).toBe(0);
  });
});
