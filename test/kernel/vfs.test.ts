/**
 * The VFS through the syscall table: entries, links, renames, offsets, mounts, devfs, procfs.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { O_APPEND, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, SEEK_END, SEEK_SET, type Sys } from '../../src/index.js';
import { readFile } from '../../src/userland/lib.js';
import { boot, errnoOf, probe, text } from './helpers.js';

async function writeFile(sys: Sys, path: string, data: string, flags = O_CREAT | O_WRONLY | O_TRUNC): Promise<void> {
  const fd = await sys.open(path, flags, 0o644);
  await sys.write(fd, data);
  await sys.close(fd);
}

describe('files and directories', () => {
  it('creates, links, renames and removes entries with the right errnos', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      await sys.mkdir('/tmp/d');
      expect(await errnoOf(sys.mkdir('/tmp/d'))).toBe('EEXIST');
      await writeFile(sys, '/tmp/d/a', 'one');
      expect(await errnoOf(sys.open('/tmp/d/a', O_CREAT | O_EXCL | O_WRONLY))).toBe('EEXIST');
      await sys.link('/tmp/d/a', '/tmp/d/b');
      expect((await sys.stat('/tmp/d/a')).nlink).toBe(2);
      await sys.rename('/tmp/d/b', '/tmp/d/c');
      await sys.mkdir('/tmp/d/sub');
      await sys.rename('/tmp/d/c', '/tmp/d/sub/c');
      expect((await sys.readdir('/tmp/d')).map((e) => e.name).sort()).toEqual(['a', 'sub']);
      expect(await readFile(sys, '/tmp/d/sub/c')).toBe('one');
      expect(await errnoOf(sys.rmdir('/tmp/d/sub'))).toBe('ENOTEMPTY');
      expect(await errnoOf(sys.unlink('/tmp/d/sub'))).toBe('EPERM');
      expect(await errnoOf(sys.rename('/tmp/d', '/tmp/d/sub/inside'))).toBe('EINVAL');
      await sys.unlink('/tmp/d/sub/c');
      expect((await sys.stat('/tmp/d/a')).nlink).toBe(1);
      await sys.rmdir('/tmp/d/sub');
      expect(await errnoOf(sys.stat('/tmp/d/sub'))).toBe('ENOENT');
      expect(await errnoOf(sys.link('/tmp/d', '/tmp/e'))).toBe('EPERM');
      expect(await errnoOf(sys.link('/tmp/d/a', '/proc/x'))).toBe('EXDEV');
      expect(await errnoOf(sys.stat('/tmp/d/a/x'))).toBe('ENOTDIR');
      expect(await errnoOf(sys.rmdir('/tmp/d/.'))).toBe('EINVAL');
    });
  });

  it('keeps offsets, appends, truncates and seeks', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      await writeFile(sys, '/tmp/f', 'hello');
      await writeFile(sys, '/tmp/f', ' world', O_WRONLY | O_APPEND);
      expect(await readFile(sys, '/tmp/f')).toBe('hello world');
      const fd = await sys.open('/tmp/f', O_RDWR);
      expect(text(await sys.read(fd, 5))).toBe('hello');
      const copy = await sys.dup(fd); // shares the offset
      expect(text(await sys.read(copy, 1))).toBe(' ');
      expect(await sys.lseek(fd, -5, SEEK_END)).toBe(6);
      await sys.write(fd, 'WORLD');
      await sys.lseek(fd, 0, SEEK_SET);
      expect(text(await sys.read(fd))).toBe('hello WORLD');
      await sys.truncate('/tmp/f', 5);
      expect((await sys.fstat(fd)).size).toBe(5);
      expect(await errnoOf(sys.write(await sys.open('/tmp/f', O_RDONLY), 'x'))).toBe('EBADF');
      expect(await errnoOf(sys.open('/tmp', O_WRONLY))).toBe('EISDIR');
      await sys.symlink('f', '/tmp/l');
      expect(await sys.readlink('/tmp/l')).toBe('f');
      expect((await sys.lstat('/tmp/l')).mode & 0o170000).toBe(0o120000);
      expect(await errnoOf(sys.readlink('/tmp/f'))).toBe('EINVAL');
      expect(await sys.dup2(fd, 9)).toBe(9);
      await sys.close(9);
      expect(await errnoOf(sys.close(9))).toBe('EBADF');
    });
  });

  it('stamps files with the virtual clock', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      await sys.sleep(3000);
      await writeFile(sys, '/tmp/t', 'x');
      const st = await sys.stat('/tmp/t');
      expect(st.mtimeMs).toBeGreaterThanOrEqual(3000);
      expect(st.mtimeMs).toBeLessThanOrEqual(await sys.time());
    });
  });

  it('mounts and unmounts filesystems in the mount namespace', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      await sys.mkdir('/mnt');
      await sys.mount('scratch', '/mnt', 'memfs');
      await writeFile(sys, '/mnt/f', 'on the mount');
      expect(await readFile(sys, '/proc/mounts')).toBe('rootfs / memfs rw 0 0\ndevfs /dev devfs rw 0 0\nprocfs /proc procfs ro 0 0\ncgroup2 /sys/fs/cgroup cgroup2 ro 0 0\nscratch /mnt memfs rw 0 0\n');
      expect((await sys.statfs('/mnt')).type).toBe('memfs');
      expect(await errnoOf(sys.rmdir('/mnt'))).toBe('EBUSY');
      await sys.chdir('/mnt');
      expect(await errnoOf(sys.umount('/mnt'))).toBe('EBUSY');
      await sys.chdir('/');
      await sys.umount('/mnt');
      expect(await errnoOf(sys.stat('/mnt/f'))).toBe('ENOENT');
      expect(await errnoOf(sys.mount('x', '/mnt', 'nosuchfs'))).toBe('ENODEV');
      expect(await errnoOf(sys.umount('/tmp'))).toBe('EINVAL');
    });
  });

  it('serves devfs devices: null, zero, random', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      const zero = await sys.open('/dev/zero', O_RDONLY);
      expect(Array.from(await sys.read(zero, 4))).toEqual([0, 0, 0, 0]);
      const nul = await sys.open('/dev/null', O_RDWR);
      expect(await sys.write(nul, 'gone')).toBe(4);
      expect((await sys.read(nul)).length).toBe(0);
      expect((await sys.stat('/dev/null')).mode & 0o170000).toBe(0o020000);
      expect(await errnoOf(sys.open('/proc/uptime', O_WRONLY))).toBe('EROFS');
      expect(await readFile(sys, '/proc/uptime')).toMatch(/^\d+\.\d\d 0\.00\n$/);
    });
  });
});

describe('owners of files', () => {
  it('never come from the real process: the same tree whoever runs cellblock', async () => {
    const real = vi.spyOn(process, 'getuid').mockReturnValue(1000);
    const realGid = vi.spyOn(process, 'getgid').mockReturnValue(1000);
    try {
      const k = await boot();
      await probe(k, async (sys) => {
        for (const path of ['/', '/etc/passwd', '/dev', '/proc', '/sys/fs/cgroup']) {
          const st = await sys.stat(path);
          expect([path, st.uid, st.gid]).toEqual([path, 0, 0]);
        }
        await sys.mkdir('/tmp/mine');
        expect((await sys.stat('/tmp/mine')).uid).toBe(0);
      });
    } finally {
      real.mockRestore();
      realGid.mockRestore();
    }
  });
});

describe('/proc/PID/environ', () => {
  it('opens for the user the process started as and for root (proc_owner), shown as mode 0400 of that user', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      const [r, w] = await sys.pipe();
      const asRoot = await sys.spawn('/bin/cat', ['cat'], { fds: [r, w, w], env: { TOKEN: 'root token' } });
      expect(await readFile(sys, `/proc/${asRoot}/environ`)).toBe('TOKEN=root token\0');
      await sys.setgid(1001);
      await sys.setuid(1001); // no longer root
      const asUser = await sys.spawn('/bin/cat', ['cat'], { fds: [r, w, w], env: { TOKEN: 'user token', HOME: '/home/u' } });
      expect(await readFile(sys, `/proc/${asUser}/environ`)).toBe('TOKEN=user token\0HOME=/home/u\0');
      const shown = await sys.stat(`/proc/${asUser}/environ`);
      expect([shown.mode & 0o7777, shown.uid, shown.gid]).toEqual([0o400, 1001, 1001]);
      expect(await errnoOf(sys.open(`/proc/${asUser}/environ`, O_WRONLY))).toBe('EROFS');
      expect(await errnoOf(sys.open(`/proc/${asRoot}/environ`, O_RDONLY))).toBe('EACCES');
      // This process started as root: changing user does not give its environ to that user.
      expect(await errnoOf(sys.open('/proc/self/environ', O_RDONLY))).toBe('EACCES');
      await sys.close(r);
      await sys.close(w);
    });
  });
});

describe('path resolution (property)', () => {
  it('resolves like a simple path model for ".", ".." and names without symlinks', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      for (const dir of ['/tmp/p', '/tmp/p/a', '/tmp/p/a/b', '/tmp/p/c']) await sys.mkdir(dir);
    });
    const dirs = new Set(['/', '/tmp', '/tmp/p', '/tmp/p/a', '/tmp/p/a/b', '/tmp/p/c']);
    const model = (start: string, parts: string[]): string | undefined => {
      let at = start.split('/').filter(Boolean);
      for (const part of parts) {
        if (part === '' || part === '.') continue;
        if (part === '..') at = at.slice(0, -1);
        else {
          at = [...at, part];
          if (!dirs.has('/' + at.join('/'))) return undefined;
        }
      }
      return '/' + at.join('/');
    };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('..', '.', '', 'a', 'b', 'c', 'tmp', 'p'), { maxLength: 7 }), async (parts) => {
        const path = parts.join('/') || '.';
        let got: string | undefined;
        await probe(k, async (sys) => {
          await sys.chdir('/tmp/p/a');
          got = await sys.chdir(path).then(() => sys.getcwd(), () => undefined);
        });
        expect(got).toBe(model(path.startsWith('/') ? '/' : '/tmp/p/a', parts));
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});
