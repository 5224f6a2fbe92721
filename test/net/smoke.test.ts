import { describe, expect, it } from 'vitest';
import { AF_INET, SOCK_STREAM, type Sys } from '../../src/index.js';
import { boot, text } from '../kernel/helpers.js';

async function readAll(sys: Sys, fd: number): Promise<string> {
  let out = '';
  for (;;) {
    const chunk = await sys.recv(fd);
    if (chunk.length === 0) return out;
    out += text(chunk);
  }
}

describe('smoke', () => {
  it('tcp echo over loopback on the host', async () => {
    const k = await boot();
    const server = k.host.run(async (sys) => {
      const s = await sys.socket(AF_INET, SOCK_STREAM);
      await sys.bind(s, { address: '127.0.0.1', port: 8080 });
      await sys.listen(s);
      const { fd } = await sys.accept(s);
      const got = await readAll(sys, fd);
      await sys.send(fd, got.toUpperCase());
      await sys.close(fd);
      return 0;
    });
    const client = k.host.run(async (sys) => {
      await sys.sleep(1);
      const c = await sys.socket(AF_INET, SOCK_STREAM);
      await sys.connect(c, { address: '127.0.0.1', port: 8080 });
      await sys.send(c, 'hello '.repeat(5000));
      await sys.shutdown(c, 1);
      const back = await readAll(sys, c);
      await sys.write(1, `${back.length} ${back.slice(0, 12)}\n`);
      return 0;
    });
    const [s, c] = await Promise.all([server, client]);
    expect(s.exitCode).toBe(0);
    expect(c.stdout).toBe('30000 HELLO HELLO \n');
  });
});
