/**
 * SysV IPC: message queues and shared memory through the syscall table, per IPC namespace.
 * Isolation is tested from inside cells, by programs that attach to them through cell_attach.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IPC_CREAT, IPC_EXCL, IPC_NOWAIT, IPC_PRIVATE, IPC_RMID, IPC_STAT, MSG_NOERROR,
  type Kernel, type MsgInfo, type ShmInfo, type Sys,
} from '../../src/index.js';
import { boot, errnoOf, probe, text } from './helpers.js';

const KEY = 1234;
const MSGMNB = 16 * 1024;

/** Runs `body` inside cell `name`, creating it (with its root at the host's) on first use. */
async function inCell(k: Kernel, name: string, body: (sys: Sys) => Promise<void>, sysvipc = true): Promise<void> {
  expect(
    await probe(k, async (sys) => {
      const exists = (await sys.cell_list()).some((c) => c.name === name);
      if (!exists) await sys.cell_create({ name, persist: true, sysvipc });
      await sys.cell_attach(name);
      await body(sys);
    }),
  ).toBe(0);
}

/** Runs `body` as uid/gid 1001. */
async function asUser(k: Kernel, body: (sys: Sys) => Promise<void>): Promise<void> {
  const r = await k.host.run(async (sys) => {
    await body(sys);
    return 0;
  }, ['user'], { uid: 1001, gid: 1001 });
  expect(r).toMatchObject({ exitCode: 0, stderr: '' });
}

async function stat(sys: Sys, id: number): Promise<MsgInfo> {
  return (await sys.msgctl(id, IPC_STAT))!;
}

describe('msgget', () => {
  it('finds, creates and refuses by key, with FreeBSD-style deterministic ids', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      expect(await errnoOf(sys.msgget(KEY, 0o600))).toBe('ENOENT');
      const id = await sys.msgget(KEY, IPC_CREAT | 0o640);
      expect(id).toBe(65536);
      expect(await sys.msgget(KEY, IPC_CREAT | 0o600)).toBe(id);
      expect(await sys.msgget(KEY)).toBe(id);
      expect(await errnoOf(sys.msgget(KEY, IPC_CREAT | IPC_EXCL | 0o600))).toBe('EEXIST');
      // IPC_PRIVATE always makes a new queue, in the next free slot.
      expect(await sys.msgget(IPC_PRIVATE, 0o600)).toBe(65537);
      expect(await sys.msgget(IPC_PRIVATE, 0o600)).toBe(65538);
      expect(await stat(sys, id)).toMatchObject({ kind: 'msg', key: KEY, id, uid: 0, gid: 0, cuid: 0, cgid: 0, mode: 0o640, qnum: 0, cbytes: 0, qbytes: MSGMNB, lspid: 0, lrpid: 0 });
      // A removed id stays invalid; its slot is reused with the next sequence number.
      await sys.msgctl(id, IPC_RMID);
      expect(await errnoOf(sys.msgctl(id, IPC_STAT))).toBe('EINVAL');
      expect(await errnoOf(sys.msgget(KEY))).toBe('ENOENT');
      expect(await sys.msgget(KEY, IPC_CREAT | 0o600)).toBe(2 * 65536);
      expect(await errnoOf(sys.msgctl(424242, IPC_STAT))).toBe('EINVAL');
      expect(await errnoOf(sys.msgctl(65537, 99))).toBe('EINVAL');
    });
  });

  it('runs out of queues at msgmni (ENOSPC)', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      for (let i = 0; i < 40; i++) await sys.msgget(IPC_PRIVATE, 0o600);
      expect(await errnoOf(sys.msgget(IPC_PRIVATE, 0o600))).toBe('ENOSPC');
    });
  });
});

describe('msgsnd and msgrcv', () => {
  it('select messages by type: 0 first, > 0 that type, < 0 lowest type up to |type|', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      const id = await sys.msgget(IPC_PRIVATE, 0o600);
      for (const [type, data] of [[3, 'c'], [2, 'b1'], [1, 'a'], [5, 'e'], [2, 'b2']] as const) await sys.msgsnd(id, type, data);
      const take = async (type: number): Promise<string> => {
        const m = await sys.msgrcv(id, type, 100, IPC_NOWAIT);
        return `${m.type}:${text(m.data)}`;
      };
      expect(await take(2)).toBe('2:b1');
      expect(await take(-3)).toBe('1:a'); // the lowest type, not the first that qualifies
      expect(await take(0)).toBe('3:c');
      expect(await take(-10)).toBe('2:b2');
      expect(await errnoOf(sys.msgrcv(id, 4, 100, IPC_NOWAIT))).toBe('ENOMSG');
      expect(await errnoOf(sys.msgrcv(id, -4, 100, IPC_NOWAIT))).toBe('ENOMSG');
      expect(await take(5)).toBe('5:e');
      expect(await stat(sys, id)).toMatchObject({ qnum: 0, cbytes: 0 });
    });
  });

  it('fails with E2BIG on a long message, leaving it queued, or truncates with MSG_NOERROR', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      const id = await sys.msgget(IPC_PRIVATE, 0o600);
      await sys.msgsnd(id, 1, 'hello world');
      expect(await errnoOf(sys.msgrcv(id, 0, 5))).toBe('E2BIG');
      expect(await stat(sys, id)).toMatchObject({ qnum: 1, cbytes: 11 });
      const m = await sys.msgrcv(id, 0, 5, MSG_NOERROR);
      expect(text(m.data)).toBe('hello');
      expect(await stat(sys, id)).toMatchObject({ qnum: 0, cbytes: 0 });
    });
  });

  it('refuses bad types and sizes (EINVAL) and a full queue with IPC_NOWAIT (EAGAIN)', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      const id = await sys.msgget(IPC_PRIVATE, 0o600);
      expect(await errnoOf(sys.msgsnd(id, 0, 'x'))).toBe('EINVAL');
      expect(await errnoOf(sys.msgsnd(id, -1, 'x'))).toBe('EINVAL');
      expect(await errnoOf(sys.msgsnd(id, 1, new Uint8Array(MSGMNB + 1)))).toBe('EINVAL');
      expect(await errnoOf(sys.msgrcv(id, 0, -1))).toBe('EINVAL');
      await sys.msgsnd(id, 1, new Uint8Array(MSGMNB - 1));
      expect(await errnoOf(sys.msgsnd(id, 1, 'xy', IPC_NOWAIT))).toBe('EAGAIN');
      await sys.msgsnd(id, 1, 'x', IPC_NOWAIT);
      const pid = await sys.getpid();
      expect(await stat(sys, id)).toMatchObject({ qnum: 2, cbytes: MSGMNB, lspid: pid, lrpid: 0 });
    });
  });

  it('blocks a receiver until another process sends', async () => {
    const k = await boot();
    let id = 0;
    const log: string[] = [];
    const receiver = probe(k, async (sys) => {
      id = await sys.msgget(KEY, IPC_CREAT | 0o600);
      const m = await sys.msgrcv(id, 7, 100);
      log.push(`got ${text(m.data)} at ${await sys.time()}`);
    });
    const sender = probe(k, async (sys) => {
      await sys.sleep(50);
      await sys.msgsnd(id, 3, 'other type');
      log.push('sent 3');
      await sys.sleep(50);
      log.push(`sending 7 at ${await sys.time()}`);
      await sys.msgsnd(await sys.msgget(KEY), 7, 'wanted');
    });
    expect(await Promise.all([receiver, sender])).toEqual([0, 0]);
    expect(log[0]).toBe('sent 3');
    expect(log[1]).toMatch(/^sending 7 at (\d+)$/);
    const sentAt = Number(/(\d+)$/.exec(log[1]!)![1]);
    const gotAt = Number(/(\d+)$/.exec(log[2]!)![1]);
    expect(log[2]).toMatch(/^got wanted at /);
    expect(gotAt).toBeGreaterThan(sentAt);
  });

  it('blocks a sender on a full queue until a receiver makes room', async () => {
    const k = await boot();
    let id = -1;
    const order: string[] = [];
    const sender = probe(k, async (sys) => {
      id = await sys.msgget(IPC_PRIVATE, 0o600);
      await sys.msgsnd(id, 1, new Uint8Array(MSGMNB));
      await sys.msgsnd(id, 2, 'more');
      order.push('sent more');
    });
    const receiver = probe(k, async (sys) => {
      await sys.sleep(30);
      order.push('receiving');
      expect((await sys.msgrcv(id, 0, MSGMNB)).type).toBe(1);
      await sys.sleep(30);
      expect(text((await sys.msgrcv(id, 0, 10)).data)).toBe('more');
    });
    expect(await Promise.all([sender, receiver])).toEqual([0, 0]);
    expect(order).toEqual(['receiving', 'sent more']);
  });

  it('wakes waiters of a removed queue with EIDRM', async () => {
    const k = await boot();
    let id = -1;
    const got: string[] = [];
    const waitRecv = probe(k, async (sys) => {
      id = await sys.msgget(IPC_PRIVATE, 0o600);
      got.push(`recv ${await errnoOf(sys.msgrcv(id, 5, 10))}`); // type 5 never comes
    });
    const waitSend = probe(k, async (sys) => {
      await sys.sleep(5);
      await sys.msgsnd(id, 9, new Uint8Array(MSGMNB)); // full: the next send waits
      got.push(`send ${await errnoOf(sys.msgsnd(id, 9, 'x'))}`);
    });
    const remover = probe(k, async (sys) => {
      await sys.sleep(50);
      await sys.msgctl(id, IPC_RMID);
    });
    expect(await Promise.all([waitRecv, waitSend, remover])).toEqual([0, 0, 0]);
    expect(got.sort()).toEqual(['recv EIDRM', 'send EIDRM']);
  });
});

describe('a receiver nobody will serve', () => {
  it('is reported as a deadlock waiting on msgrcv', async () => {
    const k = await boot();
    const run = k.host.run(async (sys) => {
      await sys.msgrcv(await sys.msgget(IPC_PRIVATE, 0o600), 0, 10);
      return 0;
    }, ['lonely']);
    await expect(run).rejects.toThrow(/pid \d+ \(lonely\) in cell host: msgrcv/);
  });
});

describe('permissions', () => {
  it('checks mode bits against the caller: EACCES to use, EPERM to remove', async () => {
    const k = await boot();
    let priv = 0;
    let readable = 0;
    await probe(k, async (sys) => {
      priv = await sys.msgget(KEY, IPC_CREAT | 0o600);
      readable = await sys.msgget(KEY + 1, IPC_CREAT | 0o644);
      await sys.msgsnd(readable, 1, 'for anyone');
    });
    await asUser(k, async (sys) => {
      expect(await sys.msgget(KEY)).toBe(priv); // asking for no access is always allowed
      expect(await errnoOf(sys.msgget(KEY, 0o400))).toBe('EACCES');
      expect(await errnoOf(sys.msgget(KEY, IPC_CREAT | 0o600))).toBe('EACCES');
      expect(await errnoOf(sys.msgsnd(priv, 1, 'x'))).toBe('EACCES');
      expect(await errnoOf(sys.msgrcv(priv, 0, 10, IPC_NOWAIT))).toBe('EACCES');
      expect(await errnoOf(sys.msgctl(priv, IPC_STAT))).toBe('EACCES');
      expect(await errnoOf(sys.msgctl(priv, IPC_RMID))).toBe('EPERM');
      expect(await sys.msgget(KEY + 1, 0o400)).toBe(readable);
      expect(await errnoOf(sys.msgsnd(readable, 1, 'x'))).toBe('EACCES');
      expect(text((await sys.msgrcv(readable, 0, 100)).data)).toBe('for anyone');
      expect((await stat(sys, readable)).uid).toBe(0);
      expect(await errnoOf(sys.msgctl(readable, IPC_RMID))).toBe('EPERM');
      // Its own queue: the user may do anything with it.
      const own = await sys.msgget(KEY + 2, IPC_CREAT | 0o600);
      expect(await stat(sys, own)).toMatchObject({ uid: 1001, gid: 1001, cuid: 1001, cgid: 1001 });
    });
    await probe(k, async (sys) => {
      // Root overrides the bits (its cell grants the DAC privileges) and may remove anyone's queue.
      const own = await sys.msgget(KEY + 2);
      await sys.msgsnd(own, 1, 'root writes');
      await sys.msgctl(own, IPC_RMID);
      await sys.msgctl(priv, IPC_RMID);
    });
  });

  it('gives group members the group bits', async () => {
    const k = await boot();
    let id = 0;
    await probe(k, async (sys) => {
      await sys.setgid(1001);
      id = await sys.msgget(IPC_PRIVATE, 0o060);
    });
    await asUser(k, async (sys) => {
      await sys.msgsnd(id, 1, 'group');
      expect(text((await sys.msgrcv(id, 0, 10)).data)).toBe('group');
    });
  });
});

describe('shared memory', () => {
  it('round-trips bytes between processes through a segment', async () => {
    const k = await boot();
    let id = 0;
    let writer = 0;
    await probe(k, async (sys) => {
      id = await sys.shmget(KEY, 64, IPC_CREAT | 0o644);
      expect(id).toBe(65536);
      writer = await sys.getpid();
      expect(Array.from(await sys.shmread(id, 0, 4))).toEqual([0, 0, 0, 0]);
      expect(await sys.shmwrite(id, 10, 'shared!')).toBe(7);
    });
    await probe(k, async (sys) => {
      expect(await sys.shmget(KEY, 32)).toBe(id);
      expect(text(await sys.shmread(id, 10, 7))).toBe('shared!');
      const info = (await sys.shmctl(id, IPC_STAT))!;
      expect(info).toMatchObject<Partial<ShmInfo>>({ kind: 'shm', key: KEY, segsz: 64, cpid: writer, lpid: await sys.getpid(), nattch: 0, mode: 0o644 });
      expect(await errnoOf(sys.shmread(id, 60, 5))).toBe('EFAULT');
      expect(await errnoOf(sys.shmwrite(id, 63, 'xy'))).toBe('EFAULT');
      expect(await errnoOf(sys.shmget(KEY, 65))).toBe('EINVAL');
      expect(await errnoOf(sys.shmget(KEY, 64, IPC_CREAT | IPC_EXCL))).toBe('EEXIST');
      expect(await errnoOf(sys.shmget(IPC_PRIVATE, 0, 0o600))).toBe('EINVAL');
      expect(await errnoOf(sys.shmget(KEY + 1, 8))).toBe('ENOENT');
    });
    await asUser(k, async (sys) => {
      expect(text(await sys.shmread(id, 10, 7))).toBe('shared!');
      expect(await errnoOf(sys.shmwrite(id, 0, 'x'))).toBe('EACCES');
      expect(await errnoOf(sys.shmctl(id, IPC_RMID))).toBe('EPERM');
    });
    await probe(k, async (sys) => {
      await sys.shmctl(id, IPC_RMID);
      expect(await errnoOf(sys.shmread(id, 0, 1))).toBe('EINVAL');
      expect(await errnoOf(sys.shmget(KEY, 8))).toBe('ENOENT');
    });
  });
});

describe('isolation between cells', () => {
  it('gives the same key independent objects in two cells and in the host', async () => {
    const k = await boot();
    let hostId = 0;
    await probe(k, async (sys) => {
      hostId = await sys.msgget(KEY, IPC_CREAT | 0o666);
      await sys.msgsnd(hostId, 1, 'host');
      await sys.shmwrite(await sys.shmget(KEY, 16, IPC_CREAT | 0o666), 0, 'host');
    });
    const ids: number[] = [];
    for (const name of ['a', 'b']) {
      await inCell(k, name, async (sys) => {
        expect(await errnoOf(sys.msgget(KEY))).toBe('ENOENT');
        expect(await errnoOf(sys.shmget(KEY, 0))).toBe('ENOENT');
        const id = await sys.msgget(KEY, IPC_CREAT | 0o666);
        ids.push(id);
        expect(await errnoOf(sys.msgrcv(id, 0, 100, IPC_NOWAIT))).toBe('ENOMSG');
        await sys.msgsnd(id, 1, `from ${name}`);
        const seg = await sys.shmget(KEY, 16, IPC_CREAT | 0o666);
        expect(Array.from(await sys.shmread(seg, 0, 4))).toEqual([0, 0, 0, 0]);
        await sys.shmwrite(seg, 0, name);
        expect((await sys.ipc_list()).map((o) => `${o.kind} ${o.id} ${o.key}`)).toEqual([`msg ${id} ${KEY}`, `shm 65536 ${KEY}`]);
      });
    }
    expect(ids).toEqual([hostId, hostId]); // same numbers, different objects
    await inCell(k, 'a', async (sys) => {
      const id = await sys.msgget(KEY);
      expect(text((await sys.msgrcv(id, 0, 100, IPC_NOWAIT)).data)).toBe('from a');
      expect(text(await sys.shmread(await sys.shmget(KEY, 0), 0, 1))).toBe('a');
      // The host's id names this cell's queue here, never the host's.
      await sys.msgctl(id, IPC_RMID);
    });
    await probe(k, async (sys) => {
      expect(text((await sys.msgrcv(hostId, 0, 100, IPC_NOWAIT)).data)).toBe('host');
      expect(text(await sys.shmread(await sys.shmget(KEY, 0), 0, 4))).toBe('host');
      expect((await sys.ipc_list()).length).toBe(2);
    });
    await inCell(k, 'b', async (sys) => {
      expect(text((await sys.msgrcv(await sys.msgget(KEY), 0, 100, IPC_NOWAIT)).data)).toBe('from b');
    });
  });

  it('fails every SysV call with ENOSYS in a cell without sysvipc', async () => {
    const k = await boot();
    let hostQueue = 0;
    await probe(k, async (sys) => {
      hostQueue = await sys.msgget(KEY, IPC_CREAT | 0o666);
    });
    await inCell(k, 'plain', async (sys) => {
      const calls: Promise<unknown>[] = [
        sys.msgget(KEY, IPC_CREAT | 0o666),
        sys.msgsnd(hostQueue, 1, 'x'),
        sys.msgrcv(hostQueue, 0, 10, IPC_NOWAIT),
        sys.msgctl(hostQueue, IPC_STAT),
        sys.shmget(IPC_PRIVATE, 8, 0o600),
        sys.shmctl(65536, IPC_STAT),
        sys.shmread(65536, 0, 1),
        sys.shmwrite(65536, 0, 'x'),
        sys.ipc_list(),
      ];
      const codes: string[] = [];
      for (const call of calls) codes.push(await errnoOf(call));
      expect(codes).toEqual(Array(9).fill('ENOSYS'));
    }, false);
  });
});

describe('a model queue', () => {
  type Op = { kind: 'snd'; type: number; len: number } | { kind: 'rcv'; type: number; max: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('snd' as const), type: fc.integer({ min: -1, max: 4 }), len: fc.integer({ min: 0, max: 6000 }) }),
    fc.record({ kind: fc.constant('rcv' as const), type: fc.integer({ min: -5, max: 5 }), max: fc.integer({ min: 0, max: 7000 }) }),
  );

  interface Queued {
    readonly type: number;
    readonly len: number;
    /** The byte the message is filled with: the index of its msgsnd, so a mix-up shows. */
    readonly fill: number;
  }

  /** What the kernel should answer to op number `i`, from a plain array of messages. */
  function model(queue: Queued[], o: Op, i: number): string {
    if (o.kind === 'snd') {
      if (o.type < 1) return 'EINVAL';
      if (queue.reduce((n, m) => n + m.len, 0) + o.len > MSGMNB) return 'EAGAIN';
      queue.push({ type: o.type, len: o.len, fill: i });
      return 'OK';
    }
    let at = -1;
    if (o.type === 0) at = queue.length > 0 ? 0 : -1;
    else if (o.type > 0) at = queue.findIndex((m) => m.type === o.type);
    else for (let j = 0; j < queue.length; j++) if (queue[j]!.type <= -o.type && (at < 0 || queue[j]!.type < queue[at]!.type)) at = j;
    if (at < 0) return 'ENOMSG';
    if (queue[at]!.len > o.max) return 'E2BIG';
    const [m] = queue.splice(at, 1);
    return shown(m!.type, m!.len, m!.fill);
  }

  const shown = (type: number, len: number, fill: number | undefined): string => `${type}/${len}/${len === 0 ? '-' : fill}`;

  it('behaves like the model for random msgsnd/msgrcv sequences', async () => {
    const k = await boot();
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), async (ops) => {
        const expected: string[] = [];
        const queue: Queued[] = [];
        ops.forEach((o, i) => expected.push(model(queue, o, i)));
        const actual: string[] = [];
        await probe(k, async (sys) => {
          const id = await sys.msgget(IPC_PRIVATE, 0o600);
          for (const [i, o] of ops.entries()) {
            if (o.kind === 'snd') {
              const data = new Uint8Array(o.len).fill(i);
              actual.push(await errnoOf(sys.msgsnd(id, o.type, data, IPC_NOWAIT)));
            } else {
              try {
                const m = await sys.msgrcv(id, o.type, o.max, IPC_NOWAIT);
                actual.push(shown(m.type, m.data.length, m.data[0]));
              } catch (err) {
                actual.push((err as { code: string }).code);
              }
            }
          }
          const info = (await sys.msgctl(id, IPC_STAT))!;
          expect(info.qnum).toBe(queue.length);
          expect(info.cbytes).toBe(queue.reduce((n, m) => n + m.len, 0));
          await sys.msgctl(id, IPC_RMID);
        });
        expect(actual).toEqual(expected);
      }),
      { numRuns: 60, seed: 4 },
    );
  });
});
