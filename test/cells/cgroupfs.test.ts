/**
 * cgroup v2 files under /sys/fs/cgroup, generated from the cells' partitions: the host sees
 * every cell as a tree, a cell sees itself at the root and its children below, values follow
 * limits and usage live, directories follow cells coming and going, and the files are read-only.
 */
import { describe, expect, it } from 'vitest';
import { HostApi, O_RDONLY, O_WRONLY, type Sys } from '../../src/index.js';
import { cpuMax, cpuWeight, limitText, memoryEvents } from '../../src/vfs/cgroupfs.js';
import { boot, errnoOf, probe, text } from '../kernel/helpers.js';
import { cellWith, world } from './helpers.js';

async function readFile(sys: Sys, path: string): Promise<string> {
  const fd = await sys.open(path, O_RDONLY);
  let out = '';
  for (;;) {
    const chunk = await sys.read(fd, 4096);
    if (chunk.length === 0) break;
    out += text(chunk);
  }
  await sys.close(fd);
  return out;
}

const FILES = ['cgroup.controllers', 'cgroup.procs', 'cpu.max', 'cpu.stat', 'cpu.weight', 'memory.current', 'memory.events', 'memory.high', 'memory.max', 'memory.peak', 'pids.current', 'pids.max'];

describe('cgroupfs formats', () => {
  it('prints limits, caps and weights as cgroup v2 does', () => {
    expect(limitText(Infinity)).toBe('max');
    expect(limitText(20)).toBe('20');
    expect(cpuMax(null)).toBe('max 100000\n');
    expect(cpuMax(50)).toBe('50000 100000\n');
    expect(cpuMax(150)).toBe('150000 100000\n');
    expect(cpuWeight(1)).toBe(100);
    expect(cpuWeight(7)).toBe(700);
    expect(cpuWeight(65535)).toBe(10000);
    expect(memoryEvents(3)).toBe('low 0\nhigh 0\nmax 3\noom 3\noom_kill 0\n');
  });
});

describe('/sys/fs/cgroup', () => {
  it('shows the host every cell as a tree, each with its files, mounted as cgroup2', async () => {
    const { k } = await world();
    const host = await k.host.exec(['sh', '-c', 'ls /sys/fs/cgroup; echo; ls /sys/fs/cgroup/db; echo; cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/db/pids.max']);
    expect(host.stdout).toBe([...[...FILES, 'db', 'www'].sort(), '', ...FILES, '', 'max', 'max', ''].join('\n'));
    expect((await k.host.exec(['cat', '/proc/mounts'])).stdout).toContain('cgroup2 /sys/fs/cgroup cgroup2 ro 0 0\n');
    expect((await k.host.exec(['cat', '/proc/mounts'])).stdout).toContain('cgroup2 /zones/db/root/sys/fs/cgroup cgroup2 ro 0 0\n');
  });

  it('shows a cell its own files at the root, and nothing of its siblings or the host', async () => {
    const { k, www, db } = await world();
    const inWww = await www.exec(['sh', '-c', 'ls /sys/fs/cgroup; cat /sys/fs/cgroup/pids.current']);
    expect(inWww.stdout).toBe([...FILES, '2', ''].join('\n')); // sh and cat
    expect((await db.exec(['ls', '/sys/fs/cgroup/www'])).exitCode).toBe(1);
    // A view mounted by the host inside db's root is db's: db's root holds the mountpoint.
    await probe(k, async (sys) => {
      await sys.mkdir('/zones/db/root/tmp/view');
      await sys.mount('cgroup2', '/zones/db/root/tmp/view', 'cgroup2');
    });
    expect((await db.exec(['sh', '-c', 'ls /tmp/view; cat /tmp/view/pids.current'])).stdout).toBe([...FILES, '2', ''].join('\n'));
  });

  it('anchors a mount at the innermost cell whose root holds it, and hides an outer view from inner cells', async () => {
    const k = await boot();
    let id = 0;
    await probe(k, async (sys) => {
      await sys.mkdir('/late');
      k.installRootfs('/late', 'minimal');
      await sys.mount('cgroup2', '/late/tmp', 'cgroup2'); // before the cell exists: the host's view
      id = await sys.cell_create({ name: 'late', path: '/late', persist: true, limits: { processes: 7 } });
    });
    const late = new HostApi(k, k.cells.get(id)!);
    expect((await k.host.exec(['cat', '/late/tmp/late/pids.max'])).stdout).toBe('7\n');
    // Inside, only its own directory of the host's view shows: no host files, no siblings.
    const inside = await late.exec(['sh', '-c', 'ls /tmp; cat /tmp/late/pids.max; cat /tmp/pids.max']);
    expect(inside.stdout).toBe('late\n7\n');
    expect(inside.stderr).toContain('No such file or directory');
    await probe(k, async (sys) => {
      await sys.mkdir('/late/mnt2');
      await sys.mount('cgroup2', '/late/mnt2', 'cgroup2');
    });
    expect((await late.exec(['cat', '/mnt2/pids.max'])).stdout).toBe('7\n');
  });

  it('reports limits, usage and failures from the partition, live', async () => {
    const k = await boot();
    const cell = await cellWith(k, 'small', { processes: 5, memory: 10000, cpuShares: 7, cpuCap: 50 });
    await probe(k, async (sys) => {
      await sys.mount('cgroup2', '/c/small/sys/fs/cgroup', 'cgroup2');
    });
    const r = await cell.run(async (sys) => {
      const read = (name: string): Promise<string> => readFile(sys, `/sys/fs/cgroup/${name}`);
      expect(await read('pids.max')).toBe('5\n');
      expect(await read('pids.current')).toBe('1\n');
      expect(await read('memory.max')).toBe('10000\n');
      expect(await read('memory.high')).toBe('max\n');
      expect(await read('cpu.max')).toBe('50000 100000\n');
      expect(await read('cpu.weight')).toBe('700\n');
      await sys.alloc(6000);
      expect(await errnoOf(sys.alloc(5000))).toBe('ENOMEM');
      expect(await errnoOf(sys.alloc(5000))).toBe('ENOMEM');
      expect(await read('memory.current')).toBe('6000\n');
      expect(await read('memory.events')).toBe('low 0\nhigh 0\nmax 2\noom 2\noom_kill 0\n');
      await sys.free(6000);
      expect(await read('memory.current')).toBe('0\n');
      expect(await read('memory.peak')).toBe('6000\n');
      const pid = await sys.spawn('/bin/sleep', ['sleep', '1']);
      expect(await read('cgroup.procs')).toBe(`${await sys.getpid()}\n${pid}\n`);
      expect(await read('pids.current')).toBe('2\n');
      await sys.kill(pid, 9);
      await sys.wait(pid);
      await sys.compute(40);
      return 0;
    });
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    const small = [...k.cells.values()].find((c) => c.name === 'small')!;
    expect(small.cpu.ticks).toBeGreaterThan(40);
    const usec = small.cpu.ticks * 1000;
    expect((await k.host.exec(['cat', '/sys/fs/cgroup/small/cpu.stat'])).stdout).toBe(`usage_usec ${usec}\nuser_usec ${usec}\nsystem_usec 0\n`);
    await k.host.run(async (sys) => {
      const id = small.id;
      await sys.cell_set(id, { limits: { processes: 3, cpuCap: 25 } });
      expect(await readFile(sys, '/sys/fs/cgroup/small/pids.max')).toBe('3\n');
      expect(await readFile(sys, '/sys/fs/cgroup/small/cpu.max')).toBe('25000 100000\n');
      return 0;
    });
  });

  it('follows cells coming and going, nested cells below their parent', async () => {
    const { k, www } = await world();
    await probe(k, async (sys) => {
      await sys.mkdir('/jails/www/sub');
      await sys.cell_create({ name: 'www.sub', path: '/sub', persist: true, limits: { processes: 4 } });
    });
    expect((await k.host.exec(['cat', '/sys/fs/cgroup/www/sub/pids.max'])).stdout).toBe('4\n');
    expect((await www.exec(['cat', '/sys/fs/cgroup/sub/pids.max'])).stdout).toBe('4\n');
    await www.stop();
    const after = await k.host.exec(['ls', '/sys/fs/cgroup']);
    expect(after.stdout).toBe([...[...FILES, 'db'].sort(), ''].join('\n'));
    await www.start();
    expect((await k.host.exec(['ls', '-d', '/sys/fs/cgroup/www'])).stdout).toBe('/sys/fs/cgroup/www\n');
  });

  it('is read-only: root gets EROFS, others EACCES', async () => {
    const { k } = await world();
    await probe(k, async (sys) => {
      expect(await errnoOf(sys.open('/sys/fs/cgroup/www/pids.max', O_WRONLY))).toBe('EROFS');
      expect(await errnoOf(sys.mkdir('/sys/fs/cgroup/new'))).toBe('EROFS');
      expect(await errnoOf(sys.unlink('/sys/fs/cgroup/www/pids.max'))).toBe('EROFS');
    });
    const user = await k.host.run(async (sys) => ((await errnoOf(sys.open('/sys/fs/cgroup/pids.max', O_WRONLY))) === 'EACCES' ? 0 : 1), ['probe'], { uid: 1001, gid: 1001 });
    expect(user.exitCode).toBe(0);
  });
});
