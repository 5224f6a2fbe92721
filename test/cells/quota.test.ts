/**
 * Resource partitions enforced at the syscall boundary, tested from inside cells: a fork bomb
 * stops at its limit while the host and a sibling go on, disk and inode quotas with exact
 * usage, descriptors, hierarchy, live resize, and usage that always equals what live objects hold.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HostApi, O_CREAT, O_WRONLY, type Kernel, type Sys } from '../../src/index.js';
import { boot, errnoOf, probe } from '../kernel/helpers.js';
import { cellWith, partitionOf } from './helpers.js';

function usage(k: Kernel, name: string): Record<string, number> {
  return Object.fromEntries(Object.entries(partitionOf(k, name).counters).map(([r, c]) => [r, c.usage]));
}

describe('resource partitions', () => {
  it('stops a fork bomb at 20 processes with EAGAIN while the host and a sibling go on', async () => {
    const k = await boot();
    const bomb = await cellWith(k, 'bomb', { processes: 20 });
    const sibling = await cellWith(k, 'calm', {});
    const refusals: string[] = [];
    const bombing = bomb.run(async (sys) => {
      for (let i = 0; i < 40; i++) {
        const code = await errnoOf(sys.spawn('/bin/sleep', ['sleep', '1']));
        if (code !== 'OK') refusals.push(code);
      }
      return 0;
    });
    const started = k.now;
    const [b, h, s] = await Promise.all([bombing, k.host.exec(['echo', 'host fine']), sibling.exec(['echo', 'sibling fine'])]);
    expect(b.exitCode).toBe(0);
    expect(refusals).toHaveLength(21); // the bomb itself is one of the 20
    expect(new Set(refusals)).toEqual(new Set(['EAGAIN']));
    expect([h.stdout, s.stdout]).toEqual(['host fine\n', 'sibling fine\n']);
    const counters = partitionOf(k, 'bomb').counters.processes;
    expect(counters).toMatchObject({ peak: 20, failcnt: 21 });
    expect(k.now - started).toBeLessThan(2000); // nobody waited on the bomb
  });

  it('fails a write past the disk quota with EDQUOT, usage exact to the byte', async () => {
    const k = await boot();
    const cell = await cellWith(k, 'small', { disk: 10000 });
    const r = await cell.run(async (sys) => {
      const fd = await sys.open('/tmp/fill', O_CREAT | O_WRONLY, 0o644);
      let written = 0;
      for (;;) {
        const code = await errnoOf(sys.write(fd, new Uint8Array(3000)));
        if (code !== 'OK') {
          expect(code).toBe('EDQUOT');
          break;
        }
        written += 3000;
      }
      expect(written).toBe(9000);
      await sys.write(fd, new Uint8Array(1000)); // exactly up to the limit
      return 0;
    });
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(usage(k, 'small').disk).toBe(10000);
    const dd = await cell.exec(['sh', '-c', 'rm /tmp/fill; dd if=/dev/zero of=/tmp/dd bs=1k count=20']);
    expect(dd.stderr).toContain('Disk quota exceeded');
    expect(usage(k, 'small').disk).toBe(9216); // nine whole 1 KiB blocks
    await cell.exec(['rm', '/tmp/dd']);
    expect(usage(k, 'small').disk).toBe(0);
  });

  it('stops descriptors at the limit with EMFILE, and counts inodes', async () => {
    const k = await boot();
    const cell = await cellWith(k, 'fds', { openFiles: 10, inodes: 3 });
    const r = await cell.run(async (sys) => {
      const fds: number[] = [];
      for (;;) {
        const fd = await sys.open('/etc/passwd').catch((e: { code: string }) => e.code);
        if (typeof fd === 'string') {
          expect(fd).toBe('EMFILE');
          break;
        }
        fds.push(fd);
      }
      expect(fds).toHaveLength(7); // 3 standard descriptors + 7 = 10
      expect(await errnoOf(sys.pipe())).toBe('EMFILE');
      for (const fd of fds) await sys.close(fd);
      for (const dir of ['/tmp/a', '/tmp/b', '/tmp/c']) await sys.mkdir(dir);
      expect(await errnoOf(sys.mkdir('/tmp/d'))).toBe('EDQUOT');
      await sys.rmdir('/tmp/a');
      await sys.mkdir('/tmp/d');
      return 0;
    });
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(usage(k, 'fds')).toMatchObject({ openFiles: 0, inodes: 3, processes: 0 });
  });

  it('counts a child cell\'s processes against its parent, and takes limit changes live', async () => {
    const k = await boot();
    const parent = await cellWith(k, 'top', { processes: 5 }, { params: { childrenMax: 1, privileges: ['sys_cell'] } });
    let child: HostApi | undefined;
    await parent.run(async (sys) => {
      await sys.mkdir('/kid');
      k.installRootfs('/c/top/kid', 'minimal');
      const id = await sys.cell_create({ name: 'kid', path: '/kid', persist: true });
      child = new HostApi(k, k.cells.get(id)!);
      return 0;
    });
    const sleepers = [1, 2, 3, 4].map(() => child!.exec(['sleep', '1']));
    const fifth = await child!.exec(['true']); // 4 sleepers + this = 5: fits
    const sixth = parent.exec(['true']);
    expect(fifth.exitCode).toBe(0);
    await Promise.all(sleepers);
    expect((await sixth).exitCode).toBe(0);
    const over = await probe(k, async (sys) => {
      await sys.cell_set('top', { limits: { processes: 0 } }); // live: below usage is allowed
      return 0;
    });
    expect(over).toBe(0);
    expect((await parent.exec(['true'])).stderr).toBe('cellblock: true: Resource temporarily unavailable\n');
    expect(await probe(k, async (sys) => errnoOf(sys.cell_create({ name: 'top.x', persist: true, limits: { processes: 6 } })).then((c) => (c === 'EPERM' ? 0 : 1)))).toBe(0);
  });

  it('keeps usage equal to what live objects hold, back to baseline when processes exit (property)', async () => {
    const k = await boot();
    const cells = [await cellWith(k, 'p1', { openFiles: 12, disk: 5000, inodes: 6 }), await cellWith(k, 'p2', {})];
    const op = fc.oneof(
      fc.record({ kind: fc.constant('open' as const), name: fc.constantFrom('a', 'b', 'c') }),
      fc.record({ kind: fc.constant('write' as const), bytes: fc.integer({ min: 0, max: 2500 }) }),
      fc.record({ kind: fc.constant('close' as const) }),
      fc.record({ kind: fc.constant('unlink' as const), name: fc.constantFrom('a', 'b', 'c') }),
      fc.record({ kind: fc.constant('pipe' as const) }),
      fc.record({ kind: fc.constant('truncate' as const), name: fc.constantFrom('a', 'b', 'c'), size: fc.integer({ min: 0, max: 3000 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1 }), fc.array(op, { maxLength: 25 }), async (which, ops) => {
        const name = which === 0 ? 'p1' : 'p2';
        const before = usage(k, name);
        const r = await cells[which]!.run(async (sys: Sys) => {
          const fds: number[] = [];
          for (const o of ops) {
            if (o.kind === 'open') await sys.open(`/tmp/${o.name}`, O_CREAT | O_WRONLY, 0o644).then((fd) => fds.push(fd), () => undefined);
            else if (o.kind === 'write' && fds.length > 0) await sys.write(fds[fds.length - 1]!, new Uint8Array(o.bytes)).catch(() => undefined);
            else if (o.kind === 'close' && fds.length > 0) await sys.close(fds.pop()!);
            else if (o.kind === 'unlink') await sys.unlink(`/tmp/${o.name}`).catch(() => undefined);
            else if (o.kind === 'pipe') await sys.pipe().then((pair) => fds.push(...pair), () => undefined);
            else if (o.kind === 'truncate') await sys.truncate(`/tmp/${o.name}`, o.size).catch(() => undefined);
            // After every step: descriptors charged = descriptors open (3 standard + ours).
            const live = partitionOf(k, name).counters.openFiles.usage;
            if (live !== 3 + fds.length) return 1;
          }
          return 0;
        });
        expect(r.exitCode).toBe(0);
        const after = usage(k, name);
        expect(after.openFiles).toBe(before.openFiles);
        expect(after.processes).toBe(before.processes);
        // Disk and inodes: what the files under /tmp hold now.
        let bytes = 0;
        let files = 0;
        await cells[which]!.run(async (sys) => {
          for (const e of await sys.readdir('/tmp')) {
            files++;
            bytes += (await sys.stat(`/tmp/${e.name}`)).size;
          }
          return 0;
        });
        expect([after.disk, after.inodes]).toEqual([bytes, files]);
        const limits = partitionOf(k, name).counters;
        expect(after.disk).toBeLessThanOrEqual(limits.disk.limit);
        expect(after.inodes).toBeLessThanOrEqual(limits.inodes.limit);
      }),
      { numRuns: 40, seed: 6 },
    );
  });
});

describe('limits from specs', () => {
  it('takes generic limits from a jail spec, reports stats, and resizes live', async () => {
    const k = await boot();
    const www = await k.createCell({ kind: 'jail', name: 'www', path: '/jails/www', rootfs: 'minimal', 'mount.devfs': true, limits: { processes: 4, disk: '2K' } });
    await www.start();
    const dd = await www.exec(['sh', '-c', 'dd if=/dev/zero of=/tmp/z bs=1k count=5']);
    expect(dd.stderr).toContain('Disk quota exceeded');
    expect(www.stats()).toMatchObject({ disk: { usage: 2048, limit: 2048, failcnt: 1 }, processes: { limit: 4 } });
    await www.update({ disk: '4K' });
    expect((await www.exec(['sh', '-c', 'dd if=/dev/zero of=/tmp/z2 bs=1k count=2 2>/dev/null; echo $?'])).stdout).toBe('0\n');
    expect(www.stats()?.disk).toMatchObject({ usage: 4096, limit: 4096 });
    await expect(www.update({ disk: 'lots' })).rejects.toThrow('"limits.disk" must be a number of bytes');
    expect(www.stats()?.disk?.limit).toBe(4096); // a refused update changes nothing
  });

  it('maps zonecfg\'s resource controls onto the limits', async () => {
    const k = await boot();
    const db = await k.createCell({ kind: 'zone', zonename: 'db', zonepath: '/zones/db', 'max-lwps': 300, 'max-processes': 150, 'cpu-shares': 20, 'capped-cpu': { ncpus: 1.25 } });
    await db.bringUp();
    expect(db.stats()).toMatchObject({ processes: { limit: 150 }, cpu: { shares: 20, cap: 125 } });
    const lwps = await k.createCell({ kind: 'zone', zonename: 'lw', zonepath: '/zones/lw', 'max-lwps': 300 });
    await lwps.bringUp();
    expect(lwps.stats()?.processes.limit).toBe(300);
    await expect(k.createCell({ kind: 'zone', zonename: 'bad', zonepath: '/zones/bad', 'max-processes': 5 })).rejects.toThrow('max-processes');
  });

  it('refuses a child jail whose limits exceed its parent\'s', async () => {
    const k = await boot();
    const top = await k.createCell({ kind: 'jail', name: 'top', path: '/jails/top', rootfs: 'minimal', 'children.max': 1, limits: { processes: 10 } });
    await top.start();
    const sub = await k.createCell({ kind: 'jail', name: 'top.sub', path: '/sub', rootfs: 'minimal', limits: { processes: 11 } });
    await expect(sub.start()).rejects.toMatchObject({ code: 'EPERM' });
    expect(sub.state).toBe('defined');
  });
});

describe('rules with actions (rctl)', () => {
  it('logs when usage passes a log rule, signals the offender, and denies past a deny rule', async () => {
    const console: string[] = [];
    const k = await boot({ consoleOutput: (data) => console.push(new TextDecoder().decode(data)) });
    const r = await k.createCell({
      kind: 'jail', name: 'r', path: '/jails/r', rootfs: 'minimal',
      rctl: ['jail:r:maxproc:log=3', 'jail:r:maxproc:sigterm=5', 'jail:r:openfiles:deny=40'],
    });
    await r.start();
    let spawned = 0;
    const result = await r.run(async (sys) => {
      for (let i = 0; i < 10; i++) {
        await sys.spawn('/bin/sleep', ['sleep', '1']);
        spawned++;
      }
      return 0;
    }, ['spawner']);
    expect(result.signal).toBe(15); // the call that took usage past 5 never happened
    expect(spawned).toBe(4);
    expect(console.join('')).toMatch(/^rctl: rule "jail:r:maxproc:log=3" matched by pid \d+ \(spawner\), uid 0, jail r\n$/);
    expect(r.stats()?.openFiles.limit).toBe(40);
    const deny = await r.run(async (sys) => {
      for (;;) {
        const code = await sys.open('/etc/passwd').then(() => 'OK', (e: { code: string }) => e.code);
        if (code !== 'OK') return code === 'EMFILE' && r.stats()?.openFiles.usage === 40 ? 0 : 1;
      }
    });
    expect(deny.exitCode).toBe(0); // refused exactly at the deny rule's 40
    await expect(k.createCell({ kind: 'jail', name: 'bad', path: '/jails/bad', rctl: ['jail:bad:nproc:deny=1'] }).then((c) => c.start())).rejects.toThrow("rctl: failed to add rule 'jail:bad:nproc:deny=1': Operation not supported");
  });
});
