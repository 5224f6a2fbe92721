/**
 * Memory and SysV IPC partitions, tested from inside cells: alloc/free against a memory limit,
 * kernel buffers (pipe bytes, messages, segments) charged to their owner, IPC objects counted,
 * and usage that always equals what live processes and objects hold.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HostApi, IPC_CREAT, IPC_NOWAIT, IPC_PRIVATE, IPC_RMID, type Kernel, type Sys } from '../../src/index.js';
import { boot, errnoOf, probe } from '../kernel/helpers.js';
import { cellWith, partitionOf } from './helpers.js';

/** A cell with its own SysV IPC and these limits. */
const ipcCell = (k: Kernel, name: string, limits: Record<string, number>): Promise<HostApi> => cellWith(k, name, limits, { params: { sysvipc: true } });

function counters(k: Kernel, name: string) {
  return partitionOf(k, name).counters;
}

describe('memory partitions', () => {
  it('refuses alloc past the limit with ENOMEM while a sibling still allocates; free and exit give back', async () => {
    const k = await boot();
    const small = await ipcCell(k, 'small', { memory: 10000 });
    const sibling = await ipcCell(k, 'calm', { memory: 10000 });
    const r = await small.run(async (sys) => {
      await sys.alloc(6000);
      expect(await errnoOf(sys.alloc(5000))).toBe('ENOMEM');
      await sys.alloc(4000); // exactly up to the limit
      expect(await errnoOf(sys.free(10001))).toBe('EINVAL');
      await sys.free(3000);
      expect(counters(k, 'small').memory.usage).toBe(7000);
      expect(await errnoOf(sys.alloc(-1))).toBe('EINVAL');
      return 0;
    });
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(counters(k, 'small').memory).toMatchObject({ usage: 0, peak: 10000, failcnt: 1 });
    expect((await sibling.run(async (sys) => (await errnoOf(sys.alloc(10000))) === 'OK' ? 0 : 1)).exitCode).toBe(0);
    expect(counters(k, 'calm').memory).toMatchObject({ usage: 0, peak: 10000, failcnt: 0 });
  });

  it('moves a process\'s memory with it when it attaches to a cell, or refuses with ENOMEM', async () => {
    const k = await boot();
    await ipcCell(k, 'tight', { memory: 1000 });
    await ipcCell(k, 'roomy', {});
    const r = await probe(k, async (sys) => {
      await sys.alloc(5000);
      expect(await errnoOf(sys.cell_attach('tight'))).toBe('ENOMEM');
      expect(counters(k, 'tight').memory.usage).toBe(0);
      await sys.cell_attach('roomy');
      expect(counters(k, 'roomy').memory.usage).toBe(5000);
      await sys.free(5000);
      expect(counters(k, 'roomy').memory.usage).toBe(0);
      return 0;
    });
    expect(r).toBe(0);
    expect(counters(k, 'tight').memory.failcnt).toBe(1);
  });

  it('charges a blocked pipe writer only for the bytes it has put in the pipe', async () => {
    const k = await boot();
    const cell = await ipcCell(k, 'pipes', {});
    // dd's second 48 KiB write fits by 16 KiB and blocks; the reader takes 10 KiB at tick ~2000,
    // so the writer puts 10 KiB more (charged afresh) and blocks again; then cat drains the rest.
    const reader = '(sleep 2; dd of=/dev/null bs=10k count=1 2>/dev/null; sleep 2; cat >/dev/null)';
    const piping = cell.exec(['sh', '-c', `dd if=/dev/zero bs=48k count=2 2>/dev/null | ${reader}`]);
    const seen: number[] = [];
    await probe(k, async (sys) => {
      await sys.sleep(1000);
      seen.push(counters(k, 'pipes').memory.usage);
      await sys.sleep(2000);
      seen.push(counters(k, 'pipes').memory.usage);
    });
    expect((await piping).exitCode).toBe(0);
    expect(seen).toEqual([65536, 65536]);
    expect(counters(k, 'pipes').memory).toMatchObject({ usage: 0, peak: 65536 });
    const tight = await ipcCell(k, 'tight', { memory: 40 * 1024 });
    const dd = await tight.exec(['sh', '-c', 'dd if=/dev/zero bs=48k count=1 | cat >/dev/null']);
    expect(dd.stderr).toContain('Cannot allocate memory');
    expect(counters(k, 'tight').memory).toMatchObject({ usage: 0, failcnt: 1 });
  });
});

describe('SysV IPC partitions', () => {
  it('counts queues and segments as ipc objects (ENOSPC past the limit) and their bytes as memory', async () => {
    const k = await boot();
    const cell = await ipcCell(k, 'ipc', { ipc: 2, memory: 8192 });
    const r = await cell.run(async (sys) => {
      const q = await sys.msgget(IPC_PRIVATE, IPC_CREAT | 0o600);
      const again = await sys.msgget(41, IPC_CREAT | 0o600);
      expect(await sys.msgget(41, IPC_CREAT)).toBe(again); // an existing key makes nothing
      expect(await errnoOf(sys.msgget(42, IPC_CREAT))).toBe('ENOSPC');
      expect(await errnoOf(sys.shmget(IPC_PRIVATE, 100, IPC_CREAT))).toBe('ENOSPC');
      await sys.msgctl(again, IPC_RMID);
      expect(await errnoOf(sys.shmget(IPC_PRIVATE, 9000, IPC_CREAT))).toBe('ENOMEM');
      const seg = await sys.shmget(IPC_PRIVATE, 5000, IPC_CREAT | 0o600);
      expect(await errnoOf(sys.msgsnd(q, 1, new Uint8Array(4000), IPC_NOWAIT))).toBe('ENOMEM');
      await sys.msgsnd(q, 1, new Uint8Array(3000));
      expect(counters(k, 'ipc').memory.usage).toBe(8000);
      await sys.msgrcv(q, 0, 3000);
      expect(counters(k, 'ipc').memory.usage).toBe(5000);
      await sys.msgsnd(q, 1, 'abc');
      await sys.msgctl(q, IPC_RMID); // its messages go with it
      await sys.shmctl(seg, IPC_RMID);
      return 0;
    });
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(counters(k, 'ipc').ipc).toMatchObject({ usage: 0, peak: 2, failcnt: 2 });
    expect(counters(k, 'ipc').memory).toMatchObject({ usage: 0, failcnt: 2 });
  });

  it('charges a message while its sender waits for room, and gives it back when the sender is killed', async () => {
    const k = await boot();
    const cell = await ipcCell(k, 'q', {});
    const q = (await cell.run(async (sys) => {
      const id = await sys.msgget(7, IPC_CREAT | 0o600);
      await sys.msgsnd(id, 1, new Uint8Array(16 * 1024)); // the queue is full now
      return 0;
    })).exitCode;
    expect(q).toBe(0);
    const send = (bytes: number, pid: { value: number }) =>
      cell.run(async (sys) => {
        pid.value = await sys.getpid();
        await sys.msgsnd(await sys.msgget(7), 2, new Uint8Array(bytes)); // blocks: no room
        return 0;
      });
    const sender = send(1000, { value: 0 });
    const victimPid = { value: 0 };
    const victim = send(500, victimPid);
    const r = await cell.run(async (sys: Sys) => {
      await sys.sleep(10);
      expect(counters(k, 'q').memory.usage).toBe(16 * 1024 + 1500);
      await sys.kill(victimPid.value, 'SIGKILL');
      await sys.sleep(10);
      expect(counters(k, 'q').memory.usage).toBe(16 * 1024 + 1000);
      const id = await sys.msgget(7);
      await sys.msgrcv(id, 1, 16 * 1024); // room: the sender goes on
      await sys.sleep(10);
      expect(counters(k, 'q').memory.usage).toBe(1000);
      await sys.msgctl(id, IPC_RMID);
      return 0;
    });
    expect((await victim).exitCode).not.toBe(0);
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect((await sender).exitCode).toBe(0);
    expect(counters(k, 'q').memory.usage).toBe(0);
  });
});

describe('memory accounting property', () => {
  it('keeps memory usage equal to what processes, pipes, queues and segments hold (property)', async () => {
    const k = await boot();
    const cells = { m1: await ipcCell(k, 'm1', { memory: 40_000, ipc: 2 }), m2: await ipcCell(k, 'm2', {}) };
    const op = fc.oneof(
      fc.record({ kind: fc.constant('alloc' as const), bytes: fc.integer({ min: 0, max: 40_000 }) }),
      fc.record({ kind: fc.constant('free' as const), bytes: fc.integer({ min: 0, max: 40_000 }) }),
      fc.record({ kind: fc.constant('pipe' as const) }),
      fc.record({ kind: fc.constant('pwrite' as const), bytes: fc.integer({ min: 1, max: 70_000 }) }),
      fc.record({ kind: fc.constant('pread' as const), bytes: fc.integer({ min: 1, max: 70_000 }) }),
      fc.record({ kind: fc.constant('pclose' as const) }),
      fc.record({ kind: fc.constant('msgget' as const) }),
      fc.record({ kind: fc.constant('msgsnd' as const), bytes: fc.integer({ min: 0, max: 9000 }) }),
      fc.record({ kind: fc.constant('msgrcv' as const) }),
      fc.record({ kind: fc.constant('shmget' as const), bytes: fc.integer({ min: 1, max: 30_000 }) }),
      fc.record({ kind: fc.constant('rmid' as const) }),
    );
    type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;
    /** Runs one op; a refusal must be the resource's errno (or an errno the call may give anyway). */
    async function step(sys: Sys, o: Op, st: { held: number; pipes: [number, number][] }): Promise<void> {
      const pipe = st.pipes[st.pipes.length - 1];
      const ids = await sys.ipc_list();
      const queue = ids.find((i) => i.kind === 'msg');
      const last = ids[ids.length - 1];
      const refused = (codes: string[]) => (e: { code: string }) => {
        if (!codes.includes(e.code)) throw e;
      };
      if (o.kind === 'alloc') await sys.alloc(o.bytes).then(() => void (st.held += o.bytes), refused(['ENOMEM']));
      else if (o.kind === 'free') await sys.free(o.bytes).then(() => void (st.held -= o.bytes), refused(['EINVAL']));
      else if (o.kind === 'pipe') await sys.pipe().then((p) => void st.pipes.push(p), refused(['EMFILE']));
      else if (o.kind === 'pwrite' && pipe !== undefined) {
        const room = 65536 - (await sys.fstat(pipe[0])).size; // never block: nobody else reads
        if (room > 0) await sys.write(pipe[1], new Uint8Array(Math.min(room, o.bytes))).catch(refused(['ENOMEM']));
      } else if (o.kind === 'pread' && pipe !== undefined && (await sys.fstat(pipe[0])).size > 0) await sys.read(pipe[0], o.bytes);
      else if (o.kind === 'pclose' && pipe !== undefined) {
        st.pipes.pop();
        await sys.close(pipe[0]);
        await sys.close(pipe[1]);
      } else if (o.kind === 'msgget') await sys.msgget(IPC_PRIVATE, IPC_CREAT | 0o600).catch(refused(['ENOSPC', 'ENOMEM']));
      else if (o.kind === 'msgsnd' && queue !== undefined) await sys.msgsnd(queue.id, 1, new Uint8Array(o.bytes), IPC_NOWAIT).catch(refused(['ENOMEM', 'EAGAIN']));
      else if (o.kind === 'msgrcv' && queue !== undefined) await sys.msgrcv(queue.id, 0, 9000, IPC_NOWAIT).catch(refused(['ENOMSG']));
      else if (o.kind === 'shmget') await sys.shmget(IPC_PRIVATE, o.bytes, IPC_CREAT | 0o600).catch(refused(['ENOSPC', 'ENOMEM']));
      else if (o.kind === 'rmid' && last !== undefined) await (last.kind === 'msg' ? sys.msgctl(last.id, IPC_RMID) : sys.shmctl(last.id, IPC_RMID));
    }
    /** What the cell's live objects hold: process memory, pipe buffers, messages, segments. */
    async function held(sys: Sys, st: { held: number; pipes: [number, number][] }): Promise<number> {
      let bytes = st.held;
      for (const [r] of st.pipes) bytes += (await sys.fstat(r)).size;
      for (const info of await sys.ipc_list()) bytes += info.kind === 'msg' ? info.cbytes : info.segsz;
      return bytes;
    }
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('m1' as const, 'm2' as const), fc.array(op, { minLength: 5, maxLength: 40, size: 'max' }), async (name, ops) => {
        const other = name === 'm1' ? 'm2' : 'm1';
        const otherBefore = counters(k, other).memory.usage;
        const r = await cells[name].run(async (sys) => {
          const st = { held: 0, pipes: [] as [number, number][] };
          for (const o of ops) {
            await step(sys, o, st);
            const c = counters(k, name);
            if (c.memory.usage !== (await held(sys, st)) || c.ipc.usage !== (await sys.ipc_list()).length) return 1;
            if (c.memory.usage > c.memory.limit || c.ipc.usage > c.ipc.limit) return 2;
          }
          return 0;
        });
        expect(r).toMatchObject({ exitCode: 0, stderr: '' });
        expect(counters(k, other).memory.usage).toBe(otherBefore);
        // The process is gone: what is left is the queues and segments; removing them is baseline.
        const cleanup = await cells[name].run(async (sys) => {
          if (counters(k, name).memory.usage !== (await held(sys, { held: 0, pipes: [] }))) return 1;
          for (const info of await sys.ipc_list()) await (info.kind === 'msg' ? sys.msgctl(info.id, IPC_RMID) : sys.shmctl(info.id, IPC_RMID));
          return 0;
        });
        expect(cleanup.exitCode).toBe(0);
        expect([counters(k, name).memory.usage, counters(k, name).ipc.usage]).toEqual([0, 0]);
      }),
      { numRuns: 80, seed: 6 },
    );
    expect(counters(k, 'm1').memory.failcnt).toBeGreaterThan(0); // the limits were met
    expect(counters(k, 'm1').ipc.failcnt).toBeGreaterThan(0);
  });
});

describe('memory and ipc limits from specs', () => {
  it('takes memory as a size and ipc as a count', async () => {
    const k = await boot();
    const www = await k.createCell({ kind: 'jail', name: 'www', path: '/jails/www', rootfs: 'minimal', 'allow.sysvipc': true, limits: { memory: '64K', ipc: 1 } });
    await www.start();
    expect(www.stats()).toMatchObject({ memory: { limit: 65536 }, ipc: { limit: 1 } });
    const r = await www.run(async (sys) => ((await errnoOf(sys.alloc(65537))) === 'ENOMEM' ? 0 : 1));
    expect(r.exitCode).toBe(0);
    await expect(www.update({ memory: 'lots' })).rejects.toThrow('"limits.memory" must be a number of bytes');
  });
});
