/**
 * The stream case: bytes per second of a TCP connection between two cells, against a pipe
 * between two processes in one cell, in the same run. Each cell has a stack of its own (vnet)
 * on the host's switch, so every segment crosses the switch and its links as frames; the pipe
 * pays only the kernel's buffer copy. One operation is one 64 KiB chunk written and read.
 */
import { AF_INET, Kernel, O_CREAT, O_WRONLY, SOCK_STREAM, type HostApi, type Sys } from '../../src/index.js';
import type { Loop } from './measure.js';

export const CHUNK = 64 * 1024;

export interface StreamLoops {
  readonly tcp: Loop;
  readonly pipe: Loop;
}

async function drain(sys: Sys, fd: number): Promise<number> {
  let total = 0;
  for (;;) {
    const chunk = await sys.read(fd, CHUNK);
    if (chunk.length === 0) return total;
    total += chunk.length;
  }
}

async function vnetCell(k: Kernel, name: string, address: string): Promise<HostApi> {
  let id = 0;
  await k.host.run(async (sys) => {
    await sys.mkdir(`/${name}`);
    id = await sys.cell_create({ name, path: `/${name}`, persist: true, privileges: ['net_privaddr'], net: { mode: 'vnet', interfaces: [{ name: 'epair0b', address }] } });
    return 0;
  });
  const { HostApi: Api } = await import('../../src/index.js');
  return new Api(k, k.cells.get(id)!);
}

export async function streamLoops(): Promise<StreamLoops> {
  const k = await Kernel.boot({ seed: 1 });
  const a = await vnetCell(k, 'a', '192.0.2.20/24');
  const b = await vnetCell(k, 'b', '192.0.2.21/24');
  const data = new Uint8Array(CHUNK).fill(0x5a);
  let port = 5000;
  // The pipe's reader: a program the writer spawns with the pipe's read end as its stdin.
  k.registerProgram('bench-drain', async (sys) => ((await drain(sys, 0)) > 0 ? 0 : 1));
  await k.host.run(async (sys) => {
    await sys.mkdir('/a/bin');
    const fd = await sys.open('/a/bin/bench-drain', O_CREAT | O_WRONLY, 0o755);
    await sys.write(fd, '#!builtin bench-drain\n');
    await sys.close(fd);
    return 0;
  });
  const check = (results: { exitCode: number; stderr: string }[]): void => {
    for (const r of results) if (r.exitCode !== 0) throw new Error(`stream bench program failed: ${r.stderr}`);
  };
  return {
    tcp: async (n) => {
      const at = ++port;
      const received: number[] = [];
      const results = await Promise.all([
        b.run(async (sys) => {
          const s = await sys.socket(AF_INET, SOCK_STREAM);
          await sys.bind(s, { address: '0.0.0.0', port: at });
          await sys.listen(s);
          const { fd } = await sys.accept(s);
          received.push(await drain(sys, fd));
          await sys.close(fd);
          await sys.close(s);
          return 0;
        }),
        a.run(async (sys) => {
          await sys.sleep(1);
          const c = await sys.socket(AF_INET, SOCK_STREAM);
          await sys.connect(c, { address: '192.0.2.21', port: at });
          for (let i = 0; i < n; i++) await sys.write(c, data);
          await sys.close(c);
          return 0;
        }),
      ]);
      check(results);
      if (received[0] !== n * CHUNK) throw new Error(`tcp stream delivered ${received[0]} of ${n * CHUNK} bytes`);
    },
    pipe: async (n) => {
      const r = await a.run(async (sys) => {
        const [rd, wr] = await sys.pipe();
        const child = await sys.spawn('/bin/bench-drain', ['bench-drain'], { fds: [rd!, 1, 2] });
        await sys.close(rd!);
        for (let i = 0; i < n; i++) await sys.write(wr!, data);
        await sys.close(wr!);
        const status = await sys.wait(child);
        return status?.exitCode ?? 1;
      });
      check([r]);
    },
  };
}
