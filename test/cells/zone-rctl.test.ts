/**
 * Zones' resource controls as zonecfg has them: rctl resources with zone.* names and
 * (priv, limit, action) values, capped-memory (swap a hard limit, physical the barrier,
 * locked binding nothing), checked in zonecfg's words and enforced at the boundary.
 */
import { describe, expect, it } from 'vitest';
import { IPC_CREAT, IPC_PRIVATE } from '../../src/index.js';
import { validateSpec } from '../../src/spec/index.js';
import { boot, errnoOf } from '../kernel/helpers.js';

const ZONE = { kind: 'zone', zonename: 'db', zonepath: '/zones/db', rootfs: 'minimal' } as const;
const value = (limit: number, action = 'deny', priv = 'privileged') => ({ priv, limit, action });

function errorsOf(spec: Record<string, unknown>): string[] {
  const r = validateSpec({ ...ZONE, ...spec });
  return r.ok ? [] : r.errors;
}

describe('zone rctl and capped-memory: checks in zonecfg\'s words', () => {
  it('accepts every known zone.* name with its actions', () => {
    expect(errorsOf({
      rctl: [
        { name: 'zone.max-processes', value: [value(20), value(15, 'signal=SIGTERM'), value(10, 'none')] },
        { name: 'zone.max-lwps', value: [value(30)] },
        { name: 'zone.cpu-shares', value: [value(7, 'none')] },
        { name: 'zone.cpu-cap', value: [value(50)] },
        { name: 'zone.max-swap', value: [value(64 * 1024 ** 2)] },
        { name: 'zone.max-locked-memory', value: [value(1024)] },
        { name: 'zone.max-shm-memory', value: [value(1024 ** 2)] },
        { name: 'zone.max-shm-ids', value: [value(2)] },
        { name: 'zone.max-msg-ids', value: [value(1, 'signal=KILL')] },
      ],
    })).toEqual([]);
  });

  it('refuses unknown names, bad values, duplicates and rctls beside their property', () => {
    expect(errorsOf({ rctl: [{ name: 'zone.max-sockets', value: [value(1)] }] })).toEqual(["db: \"rctl[0]\": 'zone.max-sockets' is not a valid zone rctl name."]);
    expect(errorsOf({
      rctl: [
        { name: 'zone.max-processes', value: [value(20, 'deny', 'basic')] },
        { name: 'zone.cpu-shares', value: [value(7, 'deny')] },
        { name: 'zone.cpu-cap', value: [value(50, 'signal=SIGTERM')] },
        { name: 'zone.max-lwps', value: [value(5, 'signal=SIGNOPE')] },
        { name: 'zone.max-swap', value: [] },
      ],
    })).toEqual([
      'db: "rctl[0]": (priv=basic,limit=20,action=deny) is not a valid value for rctl \'zone.max-processes\'',
      'db: "rctl[1]": (priv=privileged,limit=7,action=deny) is not a valid value for rctl \'zone.cpu-shares\'',
      'db: "rctl[2]": (priv=privileged,limit=50,action=signal=SIGTERM) is not a valid value for rctl \'zone.cpu-cap\'',
      'db: "rctl[3]": (priv=privileged,limit=5,action=signal=SIGNOPE) is not a valid value for rctl \'zone.max-lwps\'',
      'db: "rctl[4]": rctl: no value specified',
    ]);
    expect(errorsOf({ rctl: [{ name: 'zone.max-lwps', value: [value(1)] }, { name: 'zone.max-lwps', value: [value(2)] }] })).toEqual(['db: "rctl[1]": A rctl resource with the name \'zone.max-lwps\' already exists.']);
    expect(errorsOf({ 'max-processes': 100, rctl: [{ name: 'zone.max-processes', value: [value(20)] }] })).toEqual(['db: "rctl[0]": An incompatible rctl already exists for this property']);
    expect(errorsOf({ 'capped-memory': { swap: '64M' }, rctl: [{ name: 'zone.max-swap', value: [value(1)] }] })).toEqual(['db: "rctl[0]": The capped-memory resource or a related resource control already exists.']);
    expect(errorsOf({ 'capped-memory': { physical: '64M' }, rctl: [{ name: 'zone.max-swap', value: [value(1)] }] })).toEqual([]);
    expect(errorsOf({ rctl: [{ name: 'zone.max-processes' }] })).toEqual(['db: missing required property "rctl[0].value"']);
  });

  it('checks capped-memory as zonecfg does', () => {
    expect(errorsOf({ 'capped-memory': {} })).toEqual(['db: "capped-memory": No property was specified.  One of physical, swap or locked is required.']);
    expect(errorsOf({ 'capped-memory': { physical: '1023k', swap: '49M', locked: '2m' } })).toEqual([
      'db: "capped-memory": physical value is too small.  It must be at least 1M.',
      'db: "capped-memory": swap value is too small.  It must be at least 50M.',
      'db: "capped-memory": The locked cap must be less than or equal to the physical cap.',
    ]);
    expect(errorsOf({ 'capped-memory': { physical: '1m', swap: '50G', locked: 1048576 } })).toEqual([]);
    expect(errorsOf({ 'capped-memory': { swap: '50 M' } })).toEqual(['db: "capped-memory.swap" must be a number of bytes with an optional K, M, G or T suffix (either case) (got "50 M")']);
  });
});

describe('zone rctl and capped-memory: enforced', () => {
  it('denies past zone.max-processes and signals past a signal value', async () => {
    const k = await boot();
    const db = await k.createCell({ ...ZONE, rctl: [{ name: 'zone.max-processes', value: [value(4), value(1, 'none')] }] });
    await db.bringUp();
    expect(db.stats()?.processes.limit).toBe(4);
    const bomb = await db.run(async (sys) => {
      const codes: string[] = [];
      for (let i = 0; i < 5; i++) codes.push(await errnoOf(sys.spawn('/bin/sleep', ['sleep', '5'])));
      return codes.join() === 'OK,OK,OK,EAGAIN,EAGAIN' ? 0 : 1;
    });
    expect(bomb.exitCode).toBe(0); // itself and three sleeps
    expect(db.stats()?.processes.failcnt).toBe(2);
    const sig = await k.createCell({ ...ZONE, zonename: 'sig', zonepath: '/zones/sig', rctl: [{ name: 'zone.max-processes', value: [value(3, 'signal=SIGTERM')] }] });
    await sig.bringUp();
    let spawned = 0;
    const spawner = await sig.run(async (sys) => {
      for (let i = 0; i < 4; i++) {
        await sys.spawn('/bin/sleep', ['sleep', '5']);
        spawned++;
      }
      return 0;
    });
    expect(spawner.signal).toBe(15); // the spawn that took usage past 3 never happened
    expect(spawned).toBe(2);
  });

  it('maps the CPU, memory and IPC rctls and capped-memory onto limits and the barrier', async () => {
    const k = await boot();
    const db = await k.createCell({
      ...ZONE,
      'capped-memory': { physical: '10m', swap: '50M', locked: '1M' },
      rctl: [
        { name: 'zone.cpu-shares', value: [value(7, 'none')] },
        { name: 'zone.cpu-cap', value: [value(80), value(50)] },
        { name: 'zone.max-shm-ids', value: [value(2)] },
        { name: 'zone.max-msg-ids', value: [value(1)] },
      ],
    });
    await db.bringUp();
    expect(db.stats()).toMatchObject({
      memory: { limit: 50 * 1024 ** 2, barrier: 10 * 1024 ** 2 },
      ipc: { limit: 3 },
      cpu: { shares: 7, cap: 50 },
    });
    const r = await db.run(async (sys) => {
      await sys.alloc(20 * 1024 ** 2); // past the barrier: reported, not refused
      const refused = await errnoOf(sys.alloc(40 * 1024 ** 2));
      const ids = [];
      for (let i = 0; i < 4; i++) ids.push(await errnoOf(sys.msgget(IPC_PRIVATE, IPC_CREAT | 0o600)));
      return refused === 'ENOMEM' && ids.join() === 'OK,OK,OK,ENOSPC' ? 0 : 1;
    });
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(db.stats()?.memory).toMatchObject({ peak: 20 * 1024 ** 2, failcnt: 1 });
    expect((await k.host.exec(['cat', '/zones/db/root/sys/fs/cgroup/memory.high', '/zones/db/root/sys/fs/cgroup/memory.max'])).stdout).toBe(`${10 * 1024 ** 2}\n${50 * 1024 ** 2}\n`);
  });

  it('keeps the lowest of a deny value and the generic limit', async () => {
    const k = await boot();
    const db = await k.createCell({ ...ZONE, limits: { memory: '60M' }, rctl: [{ name: 'zone.max-shm-memory', value: [value(1024 ** 2)] }] });
    await db.bringUp();
    expect(db.stats()?.memory.limit).toBe(1024 ** 2);
  });
});
