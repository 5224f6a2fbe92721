/**
 * Cells that share the host's files read-only instead of copying them: FreeBSD's thin jails
 * (jail(8) `mount` lines with nullfs ro) and Solaris 10's sparse root zones (inherit-pkg-dir).
 * The shared directories are left empty by the rootfs copy, mounted while the cell is in the
 * kernel, read-only from inside, and gone again when it stops.
 */
import { describe, expect, it } from 'vitest';
import { boot } from '../kernel/helpers.js';

const THIN = {
  kind: 'jail', name: 'thin', path: '/jails/thin', rootfs: 'minimal', persist: true,
  mount: ['/bin /jails/thin/bin nullfs ro 0 0', '/usr/bin /jails/thin/usr/bin nullfs ro,noatime 0 0'],
} as const;

describe('thin jails (nullfs ro from jail(8) mount lines)', () => {
  it('run the host\'s programs from a shared /bin they cannot change, and copy none of it', async () => {
    const k = await boot();
    const thin = await k.createCell(THIN);
    // Defined, not started: the copy left the shared directories empty and the rest full.
    expect((await k.host.exec(['sh', '-c', 'ls /jails/thin/bin | wc -l; ls /jails/thin/usr/bin | wc -l; ls /jails/thin/etc | wc -l'])).stdout).toMatch(/^ *0\n *0\n *[1-9]\d*\n$/);
    await thin.start();
    const inside = await thin.exec(['sh', '-c', 'ls /bin | wc -l; ls /usr/bin/netstat; echo x > /bin/x; rm /bin/cat; echo status $?']);
    const hostBin = (await k.host.exec(['sh', '-c', 'ls /bin | wc -l'])).stdout;
    expect(inside.stdout).toBe(`${hostBin}/usr/bin/netstat\nstatus 1\n`);
    expect(inside.stderr).toBe('sh: cannot create /bin/x: Read-only file system\nrm: /bin/cat: Read-only file system\n');
    expect((await k.host.exec(['cat', '/proc/mounts'])).stdout).toContain('/bin /jails/thin/bin nullfs ro 0 0\n/usr/bin /jails/thin/usr/bin nullfs ro 0 0\n');
    await thin.stop();
    expect((await k.host.exec(['sh', '-c', 'ls /jails/thin/bin | wc -l'])).stdout.trim()).toBe('0');
    expect((await k.host.exec(['cat', '/proc/mounts'])).stdout).not.toContain('/jails/thin');
  });

  it('refuses a jail whose mount line cannot be mounted, and leaves nothing mounted', async () => {
    const k = await boot();
    const bad = await k.createCell({ ...THIN, mount: ['/bin /jails/thin/bin nullfs ro 0 0', '/nonexistent /jails/thin/x nullfs ro 0 0'] });
    await expect(bad.start()).rejects.toThrow(/ENOENT|No such file/);
    expect((await k.host.exec(['cat', '/proc/mounts'])).stdout).not.toContain('/jails/thin');
    // A line mount(8) would refuse is refused when the jail is defined: nothing is made.
    await expect(k.createCell({ ...THIN, name: 'odd', path: '/jails/odd', mount: ['/bin /jails/odd/bin nullfs ro,sync 0 0'] })).rejects.toThrow('odd: "mount[0]": mount: sync: unknown option');
    expect(k.managed.has('odd')).toBe(false);
  });

  it('take their mounts from an fstab(5) file too (mount.fstab), read when the jail starts', async () => {
    const k = await boot();
    await k.host.exec(['sh', '-c', 'F=/etc/fstab.ft; echo "# the shared base" > $F; echo /bin /jails/ft/bin nullfs ro 0 0 >> $F; echo >> $F; echo "/sbin /jails/ft/sbin nullfs ro 0 0 # routing tools" >> $F']);
    const jail = await k.createCell({ kind: 'jail', name: 'ft', path: '/jails/ft', rootfs: 'minimal', persist: true, 'mount.fstab': '/etc/fstab.ft', mount: ['/usr /jails/ft/usr nullfs ro 0 0'] });
    await jail.start();
    const mounts = (await k.host.exec(['grep', 'jails/ft', '/proc/mounts'])).stdout;
    expect(mounts).toBe('/bin /jails/ft/bin nullfs ro 0 0\n/sbin /jails/ft/sbin nullfs ro 0 0\n/usr /jails/ft/usr nullfs ro 0 0\n');
    // The file changes while the jail runs: stopping unmounts what was mounted, not what it says now.
    await k.host.exec(['sh', '-c', 'echo /etc /jails/ft/etc nullfs ro 0 0 > /etc/fstab.ft']);
    await jail.stop();
    expect((await k.host.exec(['grep', '-c', 'jails/ft', '/proc/mounts'])).stdout.trim()).toBe('0');
    await k.host.exec(['sh', '-c', 'echo "/bin /jails/ft/bin nullfs ro,sync 0 0" > /etc/fstab.ft']);
    await expect(jail.start()).rejects.toThrow('jail: mount.fstab: /etc/fstab.ft: mount: sync: unknown option');
    await k.host.exec(['rm', '/etc/fstab.ft']);
    await expect(jail.start()).rejects.toThrow('jail: mount.fstab: /etc/fstab.ft: No such file or directory');
    expect((await k.host.exec(['grep', '-c', 'jails/ft', '/proc/mounts'])).stdout.trim()).toBe('0');
  });

  it('come from jail -c with mount= as well', async () => {
    const k = await boot();
    const r = await k.host.exec([
      'sh', '-c',
      'mkdir -p /jails/t/bin && jail -c name=t path=/jails/t mount="/bin /jails/t/bin nullfs ro 0 0" persist && jexec t /bin/echo from the shared bin; jexec t sh -c "echo x > /bin/y"; mount | grep /jails/t',
    ]);
    expect(r.stdout).toBe('from the shared bin\n/bin on /jails/t/bin (nullfs, read-only)\n');
    expect(r.stderr).toBe('sh: cannot create /bin/y: Read-only file system\n');
    const fromFile = await k.host.exec([
      'sh', '-c',
      'mkdir -p /jails/u/sbin && echo /sbin /jails/u/sbin nullfs ro 0 0 > /etc/fstab.u && jail -c name=u path=/jails/u mount.fstab=/etc/fstab.u persist && mount | grep /jails/u; jail -c name=v path=/jails/u mount.fstab=/etc/none persist',
    ]);
    expect(fromFile.stdout).toBe('/sbin on /jails/u/sbin (nullfs, read-only)\n');
    expect(fromFile.stderr).toBe('jail: mount.fstab: /etc/none: No such file or directory\n');
  });
});

describe('zonecfg fs resources', () => {
  it('mount a global zone directory (lofs, ro) and a scratch tmpfs when the zone is readied, and neither after it halts', async () => {
    const k = await boot();
    await k.host.exec(['sh', '-c', 'mkdir -p /export/data && echo shared data > /export/data/f']);
    const zone = await k.createCell({
      kind: 'zone', zonename: 'fsz', zonepath: '/zones/fsz', rootfs: 'minimal',
      fs: [
        { dir: '/data', special: '/export/data', type: 'lofs', options: ['ro', 'nodevices'] },
        { dir: '/var/scratch', special: 'swap', type: 'tmpfs' },
      ],
    });
    await zone.install();
    await zone.start();
    const inside = await zone.exec(['sh', '-c', 'cat /data/f; echo x > /data/g; echo kept > /var/scratch/s && cat /var/scratch/s; grep -e lofs -e tmpfs /proc/mounts']);
    expect(inside.stdout).toBe('shared data\nkept\n/export/data /data lofs ro 0 0\nswap /var/scratch tmpfs rw 0 0\n');
    expect(inside.stderr).toBe('sh: cannot create /data/g: Read-only file system\n');
    await zone.stop();
    expect((await k.host.exec(['sh', '-c', 'ls /zones/fsz/root/var/scratch | wc -l; ls /export/data'])).stdout).toMatch(/^ *0\nf\n$/);
  });
});

describe('sparse root zones (inherit-pkg-dir)', () => {
  it('install without the inherited directories, and mount them read-only from the global zone when booted', async () => {
    const k = await boot();
    const zone = await k.createCell({ kind: 'zone', zonename: 'sparse', zonepath: '/zones/sparse', rootfs: 'minimal', 'inherit-pkg-dir': [{ dir: '/sbin' }, { dir: '/usr/bin' }] });
    await zone.install();
    expect((await k.host.exec(['sh', '-c', 'ls /zones/sparse/root/sbin | wc -l; ls /zones/sparse/root/bin | wc -l'])).stdout).toMatch(/^ *0\n *[1-9]\d*\n$/);
    await zone.start();
    const inside = await zone.exec(['sh', '-c', 'ifconfig lo0 | head -1; cat /proc/mounts | grep lofs; touch /sbin/x']);
    expect(inside.stdout).toBe('lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384\n/sbin /sbin lofs ro 0 0\n/usr/bin /usr/bin lofs ro 0 0\n');
    expect(inside.stderr).toBe('touch: /sbin/x: Read-only file system\n');
    await zone.stop();
    expect((await k.host.exec(['cat', '/proc/mounts'])).stdout).not.toContain('/zones/sparse');
  });
});
