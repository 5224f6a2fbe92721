/**
 * The host's cell registry through the door (cellcfg_list, cellcfg_op): what zoneadm uses.
 */
import { describe, expect, it } from 'vitest';
import { SysError } from '../../src/index.js';
import { boot, errnoOf, probe } from '../kernel/helpers.js';
import { DB, WWW } from './helpers.js';

describe('cell registry syscalls', () => {
  it('lists defined cells and runs lifecycle operations from a host program', async () => {
    const k = await boot();
    await k.createCell(DB);
    await k.createCell(WWW);
    const seen: unknown[] = [];
    await probe(k, async (sys) => {
      seen.push((await sys.cellcfg_list()).map((c) => [c.name, c.state, c.zonepath]));
      expect(await sys.cellcfg_op('db', 'install')).toBe('');
      expect(await sys.cellcfg_op('db', 'boot')).toBe('');
      expect(await sys.cellcfg_op('db', 'boot')).toBe("zoneadm: zone 'db': zone is already booted");
      const refused = await sys.cellcfg_op('db', 'uninstall').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(SysError);
      expect((refused as SysError).detail).toBe("zoneadm: zone 'db': uninstall operation is invalid for running zones.");
      expect(await errnoOf(sys.cellcfg_op('nope', 'boot'))).toBe('ENOENT');
      seen.push((await sys.cellcfg_list()).map((c) => [c.name, c.state, c.id]));
    });
    expect(seen).toEqual([
      [['db', 'configured', '/zones/db'], ['www', 'defined', null]],
      [['db', 'running', 1], ['www', 'defined', null]],
    ]);
  });

  it('is the host\'s alone', async () => {
    const k = await boot();
    const db = await k.createCell(DB);
    await db.bringUp();
    const r = await db.run(async (sys) => {
      expect(await errnoOf(sys.cellcfg_list())).toBe('EPERM');
      expect(await errnoOf(sys.cellcfg_op('db', 'halt'))).toBe('EPERM');
      return 0;
    });
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
  });
});
