/**
 * Isolation between cells, each claim tested from inside a cell by a program that tries to
 * break it: files, processes, hostnames, privileges.
 */
import { describe, expect, it } from 'vitest';
import { O_CREAT, O_WRONLY, SIGNALS } from '../../src/index.js';
import { readFile } from '../../src/userland/lib.js';
import { errnoOf } from '../kernel/helpers.js';
import { world } from './helpers.js';

describe('files', () => {
  it('confines a jail to its path and a zone to zonepath/root, while the host sees in', async () => {
    const { k, www, db } = await world();
    const r = await www.run(async (sys) => {
      const fd = await sys.open('/tmp/from-www', O_CREAT | O_WRONLY, 0o644);
      await sys.write(fd, 'www data');
      expect(await errnoOf(sys.stat('/jails'))).toBe('ENOENT');
      expect(await errnoOf(sys.stat('/zones/db/root/etc/passwd'))).toBe('ENOENT');
      await sys.chdir('/../../..');
      expect(await sys.getcwd()).toBe('/');
      expect(await errnoOf(sys.stat('../jails/www'))).toBe('ENOENT');
      await sys.symlink('/../../../../zones', '/tmp/out');
      expect(await errnoOf(sys.readdir('/tmp/out'))).toBe('ENOENT');
      return 0;
    });
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    const seen = await db.exec(['sh', '-c', 'ls /tmp; cat /jails/www/tmp/from-www']);
    expect(seen.stdout).toBe('');
    expect(seen.stderr).toContain('No such file or directory');
    const host = await k.host.exec(['cat', '/jails/www/tmp/from-www']);
    expect(host.stdout).toBe('www data');
    expect((await k.host.exec(['ls', '-ld', '/zones/db'])).stdout).toMatch(/^drwx------ /);
  });
});

describe('processes', () => {
  it('shows a cell only its own processes; other pids are ESRCH', async () => {
    const { k, www, db } = await world();
    let hostPid = 0;
    const host = k.host.run(async (sys) => {
      hostPid = await sys.spawn('/bin/sleep', ['sleep', '1']);
      await sys.wait(hostPid);
      return 0;
    });
    const inside = www.run(async (sys) => {
      await sys.sleep(10); // the host's sleeper exists by now
      expect(hostPid).toBeGreaterThan(0);
      expect(await errnoOf(sys.kill(hostPid, 'SIGKILL'))).toBe('ESRCH');
      expect(await errnoOf(sys.kill(1, 0))).toBe('ESRCH');
      expect(await errnoOf(sys.stat(`/proc/${hostPid}`))).toBe('ENOENT');
      const visible = (await sys.readdir('/proc')).map((e) => e.name).filter((n) => /^\d+$/.test(n));
      expect(visible).toEqual([String(await sys.getpid())]);
      return 0;
    });
    expect((await Promise.all([host, inside])).map((r) => [r.exitCode, r.stderr])).toEqual([[0, ''], [0, '']]);
    const zoneView = await db.exec(['sh', '-c', 'ps -e -o pid,comm | wc -l']);
    expect(zoneView.stdout.trim()).toBe('4'); // header, sh, ps, wc
  });

  it('lets kill(-1) in a jail reach only the jail', async () => {
    const { k, www } = await world();
    const host = k.host.exec(['sh', '-c', 'sleep 1; echo host survived']);
    const inside = www.exec(['sh', '-c', 'sleep 1000 & kill -9 -1; echo not reached']);
    const [h, w] = await Promise.all([host, inside]);
    expect(w.exitCode).toBe(128 + SIGNALS.SIGKILL); // the jail's shell killed itself too
    expect(w.stdout).toBe('');
    expect(h.stdout).toBe('host survived\n');
  });

  it('shows the host every process with its cell', async () => {
    const { k, www, db } = await world();
    const r = await k.host.run(async (sys) => {
      void www.exec(['sleep', '50']);
      void db.exec(['sleep', '50']);
      await sys.sleep(5);
      const pids = (await sys.readdir('/proc')).map((e) => e.name).filter((n) => /^\d+$/.test(n));
      const cells = await Promise.all(pids.map(async (pid) => /Cell:\t(.*)/.exec(await readFile(sys, `/proc/${pid}/status`))![1]));
      expect(new Set(cells)).toEqual(new Set(['host', 'www', 'db']));
      return 0;
    });
    expect(r.exitCode).toBe(0);
  });
});

describe('hostnames and privileges', () => {
  it('gives each cell its own hostname; a jail without allow.set_hostname cannot change it', async () => {
    const { k, www, db } = await world();
    expect((await www.exec(['hostname'])).stdout).toBe('www.example.org\n');
    expect(await www.exec(['hostname', 'evil'])).toMatchObject({ exitCode: 1, stderr: 'hostname: sethostname: Operation not permitted\n' });
    expect((await db.exec(['sh', '-c', 'hostname db2; hostname'])).stdout).toBe('db2\n');
    expect((await k.host.exec(['hostname'])).stdout).toBe('localhost\n');
    expect((await www.exec(['hostname'])).stdout).toBe('www.example.org\n');
  });

  it('makes root in a cell not root on the host', async () => {
    const { www, db } = await world();
    for (const cell of [www, db]) {
      const r = await cell.run(async (sys) => {
        expect(await sys.getuid()).toBe(0);
        expect(await errnoOf(sys.kill(1, 'SIGKILL'))).toBe('ESRCH');
        expect(await errnoOf(sys.sethostname('h'))).toBe(cell === www ? 'EPERM' : 'OK');
        // www may create one child (children.max=1) but never attach upwards; a zone may do neither.
        expect(await errnoOf(sys.cell_attach(0))).toBe(cell === www ? 'EINVAL' : 'EPERM');
        expect(await errnoOf(sys.cell_create({ name: 'x', persist: true, privileges: ['sys_time'] }))).toBe('EPERM');
        return 0;
      });
      expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    }
    const jailRoot = await www.run(async (sys) => {
      expect(await errnoOf(sys.mount('x', '/tmp', 'memfs'))).toBe('EPERM'); // no allow.mount
      await sys.chroot('/tmp'); // proc_chroot is granted inside
      return 0;
    });
    expect(jailRoot).toMatchObject({ exitCode: 0, stderr: '' });
    const zoneRoot = await db.run(async (sys) => {
      await sys.mkdir('/mnt');
      await sys.mount('scratch', '/mnt', 'memfs'); // sys_mount is in the zone default set
      expect((await sys.cell_get()).privileges).not.toContain('sys_cell');
      return 0;
    });
    expect(zoneRoot).toMatchObject({ exitCode: 0, stderr: '' });
  });
});

describe('mount visibility (enforce_statfs)', () => {
  it('shows each cell the mounts its enforce_statfs allows, with paths from its root', async () => {
    const { k, www, db } = await world();
    // www: enforce_statfs 2, only the mount holding its root; db (a zone): 1, its root's mount and those below.
    expect((await www.exec(['cat', '/proc/mounts'])).stdout).toBe('rootfs / memfs rw 0 0\n');
    expect((await db.exec(['cat', '/proc/mounts'])).stdout).toBe('rootfs / memfs rw 0 0\ndevfs /dev devfs rw 0 0\nprocfs /proc procfs ro 0 0\ncgroup2 /sys/fs/cgroup cgroup2 ro 0 0\n');
    const host = (await k.host.exec(['cat', '/proc/mounts'])).stdout;
    expect(host).toContain('procfs /jails/www/proc procfs ro 0 0\n');
    expect(host).toContain('devfs /zones/db/root/dev devfs rw 0 0\n');
  });
});

describe('the host clock', () => {
  it('can be set only by the host and by cells granted sys_time', async () => {
    const { k, www, db } = await world();
    for (const cell of [www, db]) {
      const r = await cell.run(async (sys) => (await errnoOf(sys.settime(1_000_000))) === 'EPERM' ? 0 : 1);
      expect(r.exitCode).toBe(0);
    }
    const timed = await k.createCell({ kind: 'jail', name: 'ntp', path: '/jails/ntp', rootfs: 'minimal', 'allow.settime': true });
    await timed.start();
    expect((await timed.run(async (sys) => {
      await sys.settime(1_700_000_000_000);
      return 0;
    })).exitCode).toBe(0);
    const seen = await k.host.run(async (sys) => ((await sys.gettime()) >= 1_700_000_000_000 ? 0 : 1));
    expect(seen.exitCode).toBe(0);
  });
});
