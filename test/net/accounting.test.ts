/**
 * Socket accounting, as a property: random socket calls in a cell keep its sockets usage equal to
 * the sockets its descriptors hold after every step, and sockets and memory go back to their
 * baseline once its processes are gone and the connections have wound down.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AF_INET, AF_UNIX, MSG_DONTWAIT, MSG_NOSIGNAL, SOCK_DGRAM, SOCK_STREAM, type Sys } from '../../src/index.js';
import { boot } from '../kernel/helpers.js';
import { partitionOf } from '../cells/helpers.js';
import { jailWith } from './helpers.js';

type Op =
  | { kind: 'socket'; type: 'tcp' | 'udp' | 'unix' }
  | { kind: 'listen'; port: number }
  | { kind: 'connect'; port: number }
  | { kind: 'accept' }
  | { kind: 'send'; bytes: number }
  | { kind: 'close'; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('socket' as const), type: fc.constantFrom('tcp' as const, 'udp' as const, 'unix' as const) }),
  fc.record({ kind: fc.constant('listen' as const), port: fc.integer({ min: 7000, max: 7002 }) }),
  fc.record({ kind: fc.constant('connect' as const), port: fc.integer({ min: 7000, max: 7002 }) }),
  fc.record({ kind: fc.constant('accept' as const) }),
  fc.record({ kind: fc.constant('send' as const), bytes: fc.integer({ min: 1, max: 100_000 }) }),
  fc.record({ kind: fc.constant('close' as const), pick: fc.nat() }),
);

const ignore = (): undefined => undefined;

describe('socket accounting (property)', () => {
  it('usage equals the sockets held after every step, and returns to baseline', async () => {
    const k = await boot();
    const cell = await jailWith(k, 'acct', ['192.0.2.50']);
    const counters = partitionOf(k, 'acct').counters;
    const base = { sockets: counters.sockets.usage, memory: counters.memory.usage };
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), async (ops) => {
        const r = await cell.run(async (sys: Sys) => {
          const fds: number[] = [];
          const last = (): number | undefined => fds[fds.length - 1];
          for (const o of ops) {
            const fd = last();
            if (o.kind === 'socket') {
              const domain = o.type === 'unix' ? AF_UNIX : AF_INET;
              const s = await sys.socket(domain, o.type === 'udp' ? SOCK_DGRAM : SOCK_STREAM);
              await sys.setsockopt(s, 'SO_RCVTIMEO', 5);
              await sys.setsockopt(s, 'SO_SNDTIMEO', 50);
              fds.push(s);
            } else if (o.kind === 'listen' && fd !== undefined) {
              await sys.bind(fd, { address: '0.0.0.0', port: o.port }).then(() => sys.listen(fd, 2), ignore).catch(ignore);
            } else if (o.kind === 'connect' && fd !== undefined) {
              await sys.connect(fd, { address: '192.0.2.50', port: o.port }).catch(ignore);
            } else if (o.kind === 'accept' && fd !== undefined) {
              await sys.accept(fd).then((got) => void fds.push(got.fd), ignore);
            } else if (o.kind === 'send' && fd !== undefined) {
              await sys.send(fd, new Uint8Array(o.bytes), MSG_DONTWAIT | MSG_NOSIGNAL).catch(ignore);
            } else if (o.kind === 'close' && fds.length > 0) {
              const [gone] = fds.splice(o.pick % fds.length, 1);
              await sys.close(gone!);
            }
            if (counters.sockets.usage !== base.sockets + fds.length) return 1;
          }
          return 0;
        });
        expect(r.exitCode).toBe(0);
        await k.host.run(async (sys) => {
          await sys.sleep(3000); // retransmissions and TIME_WAIT run their course
          return 0;
        });
        expect({ sockets: counters.sockets.usage, memory: counters.memory.usage }).toEqual(base);
      }),
      { numRuns: 40, seed: 11 },
    );
  });
});
