/**
 * nullfs (lofs, bind): a directory mounted again elsewhere, read-only or not. What lies under it
 * is the same files; `..` from its root leads to the mountpoint's parent, not the source's;
 * mounts below the source do not show through it; links and renames do not cross it.
 */
import { describe, expect, it } from 'vitest';
import { MNT_RDONLY, O_CREAT, O_TRUNC, O_WRONLY } from '../../src/index.js';
import { readFile } from '../../src/userland/lib.js';
import { boot, errnoOf, probe, sh } from './helpers.js';

describe('nullfs mounts', () => {
  it('shows the source directory at the mountpoint, writable or read-only', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      await sys.mkdir('/base');
      await sys.mkdir('/base/etc');
      const fd = await sys.open('/base/etc/motd', O_CREAT | O_WRONLY, 0o644);
      await sys.write(fd, 'shared\n');
      await sys.close(fd);
      for (const dir of ['/rw', '/ro']) await sys.mkdir(dir);
      await sys.mount('/base', '/rw', 'nullfs');
      await sys.mount('/base', '/ro', 'nullfs', MNT_RDONLY);
      expect(await readFile(sys, '/ro/etc/motd')).toBe('shared\n');
      // The same file: a write through the writable mount shows everywhere.
      const w = await sys.open('/rw/etc/motd', O_WRONLY | O_TRUNC);
      await sys.write(w, 'changed\n');
      await sys.close(w);
      expect(await readFile(sys, '/base/etc/motd')).toBe('changed\n');
      expect((await sys.stat('/ro/etc/motd')).ino).toBe((await sys.stat('/base/etc/motd')).ino);
      // Every kind of write through the read-only one is EROFS.
      expect(await errnoOf(sys.open('/ro/etc/motd', O_WRONLY))).toBe('EROFS');
      expect(await errnoOf(sys.open('/ro/etc/new', O_CREAT | O_WRONLY, 0o644))).toBe('EROFS');
      expect(await errnoOf(sys.unlink('/ro/etc/motd'))).toBe('EROFS');
      expect(await errnoOf(sys.mkdir('/ro/d'))).toBe('EROFS');
      expect(await errnoOf(sys.rename('/ro/etc/motd', '/ro/etc/m'))).toBe('EROFS');
      expect(await errnoOf(sys.chmod('/ro/etc/motd', 0o600))).toBe('EROFS');
      expect(await errnoOf(sys.chown('/ro/etc/motd', 5, 5))).toBe('EROFS');
      expect(await errnoOf(sys.truncate('/ro/etc/motd', 0))).toBe('EROFS');
      expect(await errnoOf(sys.symlink('x', '/ro/etc/l'))).toBe('EROFS');
      expect(await readFile(sys, '/base/etc/motd')).toBe('changed\n');
      // Hard links and renames do not cross mounts, even onto the same filesystem.
      expect(await errnoOf(sys.link('/base/etc/motd', '/rw/etc/hard'))).toBe('EXDEV');
      expect(await errnoOf(sys.rename('/rw/etc/motd', '/base/etc/moved'))).toBe('EXDEV');
      expect(await readFile(sys, '/proc/mounts')).toContain('/base /rw nullfs rw 0 0\n/base /ro nullfs ro 0 0\n');
      expect(await errnoOf(sys.mount('/base/etc/motd', '/rw', 'nullfs'))).toBe('ENOTDIR');
      await sys.umount('/ro');
      expect(await errnoOf(sys.stat('/ro/etc'))).toBe('ENOENT');
    });
  });

  it('climbs from its root to the mountpoint\'s parent, and does not show the mounts below its source', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      await sys.mkdir('/j');
      await sys.mkdir('/j/root');
      await sys.mount('/', '/j/root', 'nullfs', MNT_RDONLY);
      const names = async (path: string): Promise<string[]> => (await sys.readdir(path)).map((e) => e.name).sort();
      expect(await names('/j/root/..')).toEqual(['root']);
      await sys.mkdir('/j/etc');
      await sys.mount('/etc', '/j/etc', 'nullfs');
      expect(await names('/j/etc/..')).toEqual(['etc', 'root']); // not the host's /
      await sys.umount('/j/etc');
      await sys.rmdir('/j/etc');
      await sys.chdir('/j/root/etc');
      expect(await names('../..')).toEqual(['root']);
      // devfs is mounted on the host's /dev, not on the nullfs view of it.
      expect(await names('/j/root/dev')).toEqual([]);
      expect((await names('/dev')).length).toBeGreaterThan(0);
      // The mountpoint itself, seen through the view of /, is the empty directory it covers.
      expect(await names('/j/root/j/root')).toEqual([]);
      await sys.chdir('/');
      // A nullfs alias of a mountpoint is busy: one mount per directory as reached through one mount.
      expect(await errnoOf(sys.mount('x', '/j/root/dev', 'memfs'))).toBe('EBUSY');
    });
  });

  it('is reachable from mount(8): -t nullfs with -o ro or -r', async () => {
    const k = await boot();
    const r = await sh(k, 'mkdir /m /n; mount -t nullfs -o ro /etc /m && mount -r -t nullfs /etc /n && mount | grep nullfs; echo x > /m/f; mount -o bogus -t nullfs /etc /n');
    expect(r.stdout).toBe('/etc on /m (nullfs, read-only)\n/etc on /n (nullfs, read-only)\n');
    expect(r.stderr).toBe('sh: cannot create /m/f: Read-only file system\nmount: bogus: unknown option\n');
    expect(r.exitCode).toBe(1);
  });

  it('unmounts only what has nothing mounted on top of it', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      await sys.mkdir('/a');
      await sys.mount('scratch', '/a', 'memfs');
      await sys.mkdir('/a/b');
      await sys.mount('/etc', '/a/b', 'nullfs', MNT_RDONLY);
      expect(await errnoOf(sys.umount('/a'))).toBe('EBUSY');
      await sys.umount('/a/b');
      await sys.umount('/a');
      expect(await errnoOf(sys.stat('/a/b'))).toBe('ENOENT');
    });
  });

  it('needs sys_mount', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      await sys.setuid(1001);
      expect(await errnoOf(sys.mount('/etc', '/tmp', 'nullfs'))).toBe('EPERM');
    });
  });
});
