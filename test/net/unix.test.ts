/**
 * AF_UNIX stream sockets reach a listener only through the caller's own view of the socket
 * file: a cell cannot connect to a host socket outside its root, and can when the host puts
 * the socket file inside it. poll() waits on sockets and pipes together.
 */
import { describe, expect, it } from 'vitest';
import { AF_INET, AF_UNIX, POLLIN, POLLOUT, SOCK_STREAM, type Sys } from '../../src/index.js';
import { boot, errnoOf, text } from '../kernel/helpers.js';
import { cellWith } from '../cells/helpers.js';
import { recvAll } from './helpers.js';

function unixServer(path: string, reply: string) {
  return async (sys: Sys): Promise<number> => {
    const s = await sys.socket(AF_UNIX, SOCK_STREAM);
    await sys.bind(s, { path });
    await sys.listen(s);
    const { fd } = await sys.accept(s);
    const request = await recvAll(sys, fd);
    await sys.send(fd, `${reply}:${request}`);
    await sys.close(fd);
    return 0;
  };
}

function unixClient(path: string, delay = 5) {
  return async (sys: Sys): Promise<number> => {
    await sys.sleep(delay);
    const c = await sys.socket(AF_UNIX, SOCK_STREAM);
    try {
      await sys.connect(c, { path });
    } catch (err) {
      await sys.write(1, (err as { code: string }).code);
      return 1;
    }
    await sys.send(c, 'ping');
    await sys.shutdown(c, 1);
    await sys.write(1, await recvAll(sys, c));
    return 0;
  };
}

describe('AF_UNIX sockets', () => {
  it('a host socket outside a cell\'s root is not reachable from the cell; inside it, it is', async () => {
    const k = await boot();
    const cell = await cellWith(k, 'c', {});
    const [, outside, host] = await Promise.all([
      k.host.run(unixServer('/tmp/host.sock', 'host')),
      cell.run(unixClient('/tmp/host.sock')),
      k.host.run(unixClient('/tmp/host.sock', 20)),
    ]);
    expect(outside.stdout).toBe('ENOENT'); // the cell's /tmp is its own
    expect(host.stdout).toBe('host:ping');
    const [, inside] = await Promise.all([k.host.run(unixServer('/c/c/tmp/shared.sock', 'host')), cell.run(unixClient('/tmp/shared.sock'))]);
    expect(inside.stdout).toBe('host:ping');
  });

  it('bind makes a socket file (EADDRINUSE when the path exists); a stale file refuses connections', async () => {
    const k = await boot();
    const r = await k.host.run(async (sys) => {
      const s = await sys.socket(AF_UNIX, SOCK_STREAM);
      await sys.bind(s, { path: '/tmp/s' });
      const st = await sys.stat('/tmp/s');
      const again = await sys.socket(AF_UNIX, SOCK_STREAM);
      const inUse = await errnoOf(sys.bind(again, { path: '/tmp/s' }));
      await sys.close(s);
      const stale = await errnoOf(sys.connect(again, { path: '/tmp/s' }));
      const notSocket = await errnoOf(sys.connect(again, { path: '/etc/passwd' }));
      await sys.write(1, `${(st.mode & 0o170000).toString(8)} ${inUse} ${stale} ${notSocket}`);
      return 0;
    });
    expect(r.stdout).toBe('140000 EADDRINUSE ECONNREFUSED ECONNREFUSED');
  });

  it('a socket file a user may not write refuses that user (EACCES)', async () => {
    const k = await boot();
    const [, user] = await Promise.all([
      k.host.run(async (sys) => {
        const s = await sys.socket(AF_UNIX, SOCK_STREAM);
        await sys.bind(s, { path: '/tmp/private.sock' });
        await sys.chmod('/tmp/private.sock', 0o700);
        await sys.listen(s);
        await sys.sleep(20);
        return 0;
      }),
      k.host.run(async (sys) => {
        await sys.sleep(5);
        await sys.setuid(1001);
        const c = await sys.socket(AF_UNIX, SOCK_STREAM);
        await sys.write(1, await errnoOf(sys.connect(c, { path: '/tmp/private.sock' })));
        return 0;
      }),
    ]);
    expect(user.stdout).toBe('EACCES');
  });
});

describe('poll', () => {
  it('waits on a socket and a pipe at once, and times out', async () => {
    const k = await boot();
    const [server] = await Promise.all([
      k.host.run(async (sys) => {
        const s = await sys.socket(AF_INET, SOCK_STREAM);
        await sys.bind(s, { address: '127.0.0.1', port: 6000 });
        await sys.listen(s);
        const [r] = await sys.pipe();
        const t0 = await sys.time();
        const idle = await sys.poll([{ fd: s, events: POLLIN }, { fd: r!, events: POLLIN }], 30);
        const t1 = await sys.time();
        const ready = await sys.poll([{ fd: s, events: POLLIN }, { fd: r!, events: POLLIN }]);
        const { fd } = await sys.accept(s);
        const both = await sys.poll([{ fd, events: POLLIN | POLLOUT }]);
        const data = text(await sys.recv(fd));
        await sys.write(1, `${idle.join(',')} waited=${t1 - t0 >= 30} ${ready.join(',')} ${both[0]} ${data}`);
        return 0;
      }),
      k.host.run(async (sys) => {
        await sys.sleep(100);
        const c = await sys.socket(AF_INET, SOCK_STREAM);
        await sys.connect(c, { address: '127.0.0.1', port: 6000 });
        await sys.send(c, 'data');
        await sys.sleep(10);
        return 0;
      }),
    ]);
    expect(server.stdout).toBe(`0,0 waited=true ${POLLIN},0 ${POLLIN | POLLOUT} data`);
  });
});
