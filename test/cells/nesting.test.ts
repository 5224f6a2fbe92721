/**
 * Nesting (FreeBSD hierarchical jails) through the cell syscalls, from inside the cells:
 * children.max, a child never stronger than its parent, hierarchical names, removal killing
 * everything below.
 */
import { describe, expect, it } from 'vitest';
import { HostApi, SysError, type Sys } from '../../src/index.js';
import { boot, errnoOf, probe } from '../kernel/helpers.js';

async function detailOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (err) {
    return err instanceof SysError ? `${err.code}${err.detail === undefined ? '' : `: ${err.detail}`}` : String(err);
  }
}

async function mkdirs(sys: Sys, ...paths: string[]): Promise<void> {
  for (const path of paths) await sys.mkdir(path);
}

describe('nested cells', () => {
  it('enforces children.max from inside, naming the limit as FreeBSD does', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      await mkdirs(sys, '/j', '/j/a', '/j/a/b', '/j/a/c', '/j/z');
      const a = await sys.cell_create({ name: 'a', path: '/j/a', persist: true, childrenMax: 1, privileges: ['sys_cell', 'file_dac_search'] });
      const z = await sys.cell_create({ name: 'z', path: '/j/z', persist: true });
      expect((await sys.cell_list()).map((c) => c.name)).toEqual(['a', 'z']);
      await sys.cell_attach(a);
      expect(await sys.getcwd()).toBe('/');
      expect((await sys.cell_get()).name).toBe('a');
      expect(await detailOf(sys.cell_create({ name: 'b', path: '/b', persist: true, childrenMax: 1 }))).toBe('EPERM'); // not below a's 1
      const b = await sys.cell_create({ name: 'b', path: '/b', persist: true });
      expect(await detailOf(sys.cell_create({ name: 'c', path: '/c', persist: true }))).toBe('EPERM: prison limit exceeded');
      expect((await sys.cell_list()).map((c) => [c.name, c.path])).toEqual([['b', '/b']]);
      expect(await detailOf(sys.cell_get(z))).toBe('ENOENT: jail 2 not found'); // a sibling is invisible
      await sys.cell_attach(b);
      expect(await detailOf(sys.cell_create({ name: 'd', persist: true }))).toBe('EPERM'); // children.max 0
      expect(await detailOf(sys.cell_create({ name: 'd', persist: true, privileges: ['sys_time'] }))).toBe('EPERM');
    });
    const names = [...k.cells.values()].map((c) => c.name).sort();
    expect(names).toEqual(['a', 'a.b', 'host', 'z']);
  });

  it('resolves a dotted name and its path inside the parent', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      await mkdirs(sys, '/j', '/j/www', '/j/www/sub');
      await sys.cell_create({ name: 'www', path: '/j/www', persist: true, childrenMax: 2, privileges: ['sys_cell'] });
      const sub = await sys.cell_create({ name: 'www.sub', path: '/sub', persist: true });
      const info = await sys.cell_get('www.sub');
      expect(info).toMatchObject({ id: sub, name: 'www.sub', path: '/j/www/sub', parent: 1 });
      expect(await detailOf(sys.cell_create({ name: 'nope.sub', persist: true }))).toBe('ENOENT: jail "nope" not found');
      expect(await detailOf(sys.cell_create({ name: 'www.sub', path: '/sub', persist: true }))).toBe('EEXIST: jail "www.sub" already exists');
      expect(await detailOf(sys.cell_create({ name: '7', persist: true }))).toBe('EINVAL: name cannot be numeric (unless it is the jid)');
      expect(await detailOf(sys.cell_create({ name: 'q', persist: true, childenMax: 1 } as never))).toBe('EINVAL: unknown parameter: childenMax');
    });
  });

  it('never lets a child be weaker-bound than its parent', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      await mkdirs(sys, '/p', '/p/c');
      const p = await sys.cell_create({ name: 'p', path: '/p', persist: true, childrenMax: 3, securelevel: 2, enforceStatfs: 1, privileges: ['sys_cell', 'proc_setid'] });
      await sys.cell_attach(p);
      for (const bad of [{ securelevel: 1 }, { enforceStatfs: 0 }, { childrenMax: 3 }, { privileges: ['sys_mount'] }]) {
        expect(await errnoOf(sys.cell_create({ name: 'c', path: '/c', persist: true, ...bad })), JSON.stringify(bad)).toBe('EPERM');
      }
      const c = await sys.cell_create({ name: 'c', path: '/c', persist: true, childrenMax: 2 });
      expect(await sys.cell_get(c)).toMatchObject({ securelevel: 2, enforceStatfs: 2, childrenMax: 2 });
      expect(await errnoOf(sys.cell_set(c, { path: '/x' }))).toBe('EINVAL');
    });
  });

  it('kills every process in a removed cell and its descendants, and only there', async () => {
    const k = await boot();
    const ids: number[] = [];
    await probe(k, async (sys) => {
      await mkdirs(sys, '/r', '/r/bin', '/r/kid', '/r/kid/bin');
      for (const dir of ['/r/bin', '/r/kid/bin']) {
        const fd = await sys.open(`${dir}/sleep`, 0o101, 0o755);
        await sys.write(fd, '#!builtin sleep\n');
        await sys.close(fd);
      }
      ids.push(await sys.cell_create({ name: 'r', path: '/r', persist: true, childrenMax: 1, privileges: ['sys_cell'] }));
      ids.push(await sys.cell_create({ name: 'r.kid', path: '/kid', persist: true }));
    });
    const [r, kid] = ids.map((id) => new HostApi(k, k.cells.get(id)!));
    const sleepers = [r!.exec(['sleep', '1000']), kid!.exec(['sleep', '1000']), k.host.exec(['sleep', '1'])];
    await probe(k, async (sys) => {
      await sys.sleep(20);
      await sys.cell_remove('r');
      expect(await errnoOf(sys.cell_get(ids[1]!))).toBe('ENOENT');
    });
    const [inR, inKid, onHost] = await Promise.all(sleepers);
    expect([inR!.signal, inKid!.signal, onHost!.exitCode]).toEqual([9, 9, 0]);
    expect([...k.cells.keys()]).toEqual([0]);
  });
});
