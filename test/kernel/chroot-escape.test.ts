/**
 * Chroot escapes, each tried from inside a chrooted process: every technique must fail.
 * The jail is /tmp/jail with bin/ (sh, ls), a sub/ directory and a marker file; the host has
 * /etc/passwd and /secret outside it.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { O_DIRECTORY, O_RDONLY, type Kernel, type Sys } from '../../src/index.js';
import { boot, errnoOf, probe, sh, text } from './helpers.js';

let k: Kernel;

beforeEach(async () => {
  k = await boot();
  const setup = await sh(k, 'mkdir -p /tmp/jail/bin /tmp/jail/sub/deeper /tmp/jail/proc && cp /bin/sh /bin/ls /bin/cat /tmp/jail/bin && echo inside > /tmp/jail/marker && echo TOP-SECRET > /secret');
  expect(setup.exitCode).toBe(0);
});

/** Runs `attempt` chrooted into /tmp/jail (cwd = new root). */
async function inJail(attempt: (sys: Sys) => Promise<void>): Promise<void> {
  const code = await probe(k, async (sys) => {
    await sys.chroot('/tmp/jail');
    await sys.chdir('/');
    await attempt(sys);
  });
  expect(code).toBe(0);
}

async function names(sys: Sys, path: string): Promise<string[]> {
  return (await sys.readdir(path)).map((e) => e.name).sort();
}

const JAIL_ROOT = ['bin', 'marker', 'proc', 'sub'];

describe('chroot confinement', () => {
  it('keeps "cd ../../.." at the new root', async () => {
    await inJail(async (sys) => {
      await sys.chdir('../../..');
      expect(await sys.getcwd()).toBe('/');
      expect(await names(sys, '.')).toEqual(JAIL_ROOT);
      expect(await names(sys, '/../../..')).toEqual(JAIL_ROOT);
      expect(await errnoOf(sys.stat('../../etc/passwd'))).toBe('ENOENT');
      expect(await errnoOf(sys.stat('/sub/../../../secret'))).toBe('ENOENT');
    });
  });

  it('resolves symlinks climbing out inside the root', async () => {
    await inJail(async (sys) => {
      await sys.symlink('../../../../..', '/sub/up');
      await sys.symlink('/../../../secret', '/abs');
      await sys.symlink('/etc/passwd', '/sub/passwd');
      expect(await names(sys, '/sub/up')).toEqual([...JAIL_ROOT, 'abs'].sort());
      expect(await errnoOf(sys.stat('/abs'))).toBe('ENOENT');
      expect(await errnoOf(sys.open('/sub/passwd'))).toBe('ENOENT');
      expect(await errnoOf(sys.stat('/sub/up/secret'))).toBe('ENOENT');
    });
  });

  it('cannot hard-link a file from outside', async () => {
    await inJail(async (sys) => {
      expect(await errnoOf(sys.link('../../secret', '/stolen'))).toBe('ENOENT');
      expect(await errnoOf(sys.link('/../../../secret', '/stolen'))).toBe('ENOENT');
      expect(await errnoOf(sys.stat('/stolen'))).toBe('ENOENT');
    });
  });

  it('moves a cwd left outside the new root onto it', async () => {
    const code = await probe(k, async (sys) => {
      await sys.chdir('/tmp');
      await sys.chroot('/tmp/jail');
      expect(await sys.getcwd()).toBe('/');
      expect(await names(sys, '.')).toEqual(JAIL_ROOT);
      expect(await errnoOf(sys.stat('../secret'))).toBe('ENOENT');
      expect(await errnoOf(sys.stat('jail/marker'))).toBe('ENOENT');
    });
    expect(code).toBe(0);
  });

  it('refuses chroot while a directory descriptor from outside is open', async () => {
    const code = await probe(k, async (sys) => {
      const outside = await sys.open('/', O_RDONLY | O_DIRECTORY);
      expect(await errnoOf(sys.chroot('/tmp/jail'))).toBe('EPERM');
      expect(await errnoOf(sys.stat('/marker'))).toBe('ENOENT'); // still unconfined: the chroot did not happen
      await sys.close(outside);
      await sys.chroot('/tmp/jail');
      expect(await errnoOf(sys.stat('/secret'))).toBe('ENOENT');
    });
    expect(code).toBe(0);
  });

  it('gives /proc/<pid>/root and /proc/<pid>/cwd no way out', async () => {
    expect((await sh(k, 'mount -t procfs proc /tmp/jail/proc')).exitCode).toBe(0);
    await inJail(async (sys) => {
      expect(await sys.readlink('/proc/1/root')).toBe('/');
      expect(await sys.readlink('/proc/1/cwd')).toBe('/');
      expect(await names(sys, '/proc/1/root')).toEqual(JAIL_ROOT);
      expect(await errnoOf(sys.stat('/proc/1/root/secret'))).toBe('ENOENT');
      expect(await errnoOf(sys.stat('/proc/1/cwd/../secret'))).toBe('ENOENT');
      const self = await sys.getpid();
      expect(await sys.readlink('/proc/self')).toBe(String(self));
      expect(await sys.readlink(`/proc/${self}/root`)).toBe('/');
    });
  });

  it('fails ".." from a cwd moved out of the root by the host', async () => {
    const jailed = probe(k, async (sys) => {
      await sys.chroot('/tmp/jail');
      await sys.chdir('/sub/deeper');
      await sys.sleep(100); // the host moves sub/ out meanwhile
      expect(await errnoOf(sys.getcwd())).toBe('ENOENT');
      expect(await errnoOf(sys.stat('..'))).toBe('ENOENT');
      expect(await errnoOf(sys.stat('../../..'))).toBe('ENOENT');
      expect(await errnoOf(sys.chdir('..'))).toBe('ENOENT');
    });
    const host = probe(k, async (sys) => {
      await sys.sleep(10);
      await sys.rename('/tmp/jail/sub', '/tmp/moved');
    });
    expect(await Promise.all([jailed, host])).toEqual([0, 0]);
  });

  it('stops symlink loops with ELOOP after 40 links', async () => {
    await inJail(async (sys) => {
      await sys.symlink('/b', '/a');
      await sys.symlink('/a', '/b');
      expect(await errnoOf(sys.stat('/a'))).toBe('ELOOP');
      await sys.symlink('/marker', '/l0');
      for (let i = 1; i <= 41; i++) await sys.symlink(`/l${i - 1}`, `/l${i}`);
      expect(text(await sys.read(await sys.open('/l39')))).toBe('inside\n'); // 40 links: fine
      expect(await errnoOf(sys.stat('/l40'))).toBe('ELOOP'); // 41 links
    });
  });

  it('needs proc_chroot: a non-root process cannot chroot', async () => {
    const code = await probe(k, async (sys) => {
      await sys.setuid(1001);
      expect(await errnoOf(sys.chroot('/tmp/jail'))).toBe('EPERM');
    });
    expect(code).toBe(0);
  });

  it('the chroot(8) tool confines a shell: cd ../../.. then ls / shows the jail', async () => {
    const r = await sh(k, 'chroot /tmp/jail /bin/sh -c "cd ../../..; ls /; cat /etc/passwd"');
    expect(r.stdout).toBe('bin\nmarker\nproc\nsub\n');
    expect(r.stderr).toContain('cat: /etc/passwd: No such file or directory');
  });

  it('never resolves any path of "..", ".", names and symlinks to outside the root (property)', async () => {
    const inside = new Set<number>();
    const setup = await probe(k, async (sys) => {
      await sys.symlink('../../..', '/tmp/jail/sub/up');
      await sys.symlink('/..', '/tmp/jail/rootup');
    });
    expect(setup).toBe(0);
    await probe(k, async (sys) => {
      const walk = async (dir: string): Promise<void> => {
        inside.add((await sys.stat(dir)).ino);
        for (const e of await sys.readdir(dir)) {
          const path = `${dir === '/' ? '' : dir}/${e.name}`;
          if (e.type === 'dir') await walk(path);
          else inside.add((await sys.lstat(path)).ino);
        }
      };
      await sys.chroot('/tmp/jail');
      await walk('/');
    });
    const component = fc.constantFrom('..', '.', '', 'sub', 'deeper', 'up', 'rootup', 'bin', 'tmp', 'jail', 'etc');
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(component, { maxLength: 8 }), async (absolute, parts) => {
        const path = (absolute ? '/' : '') + parts.join('/');
        let ino: number | undefined;
        await probe(k, async (sys) => {
          await sys.chroot('/tmp/jail');
          await sys.chdir('/sub');
          ino = await sys.stat(path || '.').then((st) => st.ino, () => undefined);
        });
        if (ino !== undefined) expect(inside.has(ino), `${path} resolved outside the jail`).toBe(true);
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
