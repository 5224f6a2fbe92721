/**
 * The scale case: a datagram round trip (sendto + recvfrom over the shared host stack) in a jail
 * of a host that also runs 5,000 other address-restricted jails (each an alias on em0), against
 * the same in a host with that one jail: the packet path must not grow with the number of cells.
 */
import { AF_INET, HostApi, Kernel, SOCK_DGRAM, type Sys } from '../../src/index.js';
import type { Loop } from './measure.js';

export const OTHER_CELLS = 5000;

/** A host with one measured jail (192.0.3.x is outside em0's subnet: 10.x for the crowd). */
async function hostWith(crowd: number): Promise<HostApi> {
  const k = await Kernel.boot({ seed: 1, network: { address: '10.0.0.1/8' } });
  let id = 0;
  await k.host.run(async (sys: Sys) => {
    for (let i = 0; i < crowd; i++) {
      await sys.cell_create({ name: `c${i}`, persist: true, net: { mode: 'restrict', addresses: [`10.1.${i >> 8}.${i & 255}`] } });
    }
    id = await sys.cell_create({ name: 'measured', persist: true, net: { mode: 'restrict', addresses: ['10.2.0.1'] } });
    return 0;
  });
  return new HostApi(k, k.cells.get(id)!);
}

function roundTrips(cell: HostApi): Loop {
  return async (n) => {
    const r = await cell.run(async (sys) => {
      const s = await sys.socket(AF_INET, SOCK_DGRAM);
      await sys.bind(s, { address: '0.0.0.0', port: 9000 });
      const to = { address: '10.2.0.1', port: 9000 };
      const data = new Uint8Array(64);
      for (let i = 0; i < n; i++) {
        await sys.sendto(s, data, to);
        await sys.recvfrom(s);
      }
      await sys.close(s);
      return 0;
    });
    if (r.exitCode !== 0) throw new Error(`scale bench program failed: ${r.stderr}`);
  };
}

export async function scaleLoops(): Promise<{ crowded: Loop; alone: Loop }> {
  return { crowded: roundTrips(await hostWith(OTHER_CELLS)), alone: roundTrips(await hostWith(0)) };
}

/**
 * The define case: defining and starting a jail with an address, then stopping and destroying
 * it, in a host where 5,000 jails with addresses are defined and running, against the same in a
 * host with none: checking a new cell's addresses must not scan the cells already there.
 */
async function hostWithDefined(crowd: number): Promise<Kernel> {
  const k = await Kernel.boot({ seed: 1, network: { address: '10.0.0.1/8' } });
  for (let i = 0; i < crowd; i++) {
    await (await k.createCell({ kind: 'jail', name: `c${i}`, path: '/', persist: true, 'ip4.addr': [`10.1.${i >> 8}.${i & 255}`] })).start();
  }
  return k;
}

function defineJails(k: Kernel): Loop {
  let next = 0;
  return async (n) => {
    const made = [];
    for (let i = 0; i < n; i++) {
      const id = next++ & 0xffff;
      const jail = await k.createCell({ kind: 'jail', name: `m${id}`, path: '/', persist: true, 'ip4.addr': [`10.2.${id >> 8}.${id & 255}`] });
      await jail.start();
      made.push(jail);
    }
    for (const jail of made) {
      await jail.stop();
      await jail.destroy();
    }
  };
}

export async function defineLoops(): Promise<{ crowded: Loop; alone: Loop }> {
  return { crowded: defineJails(await hostWithDefined(OTHER_CELLS)), alone: defineJails(await hostWithDefined(0)) };
}
