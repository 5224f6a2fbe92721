/**
 * The one door: a program reaches the kernel only through `sys`, and nothing reachable from
 * what a program is given (sys, argv, env, results, errors) is a kernel object.
 */
import { describe, expect, it } from 'vitest';
import { Kernel, SysError, SYSCALLS, O_RDONLY, type Sys } from '../../src/index.js';
import { Process } from '../../src/proc/process.js';
import { MemFs } from '../../src/vfs/memfs.js';
import { Cell } from '../../src/cells/cell.js';
import { boot, errnoOf, probe } from './helpers.js';

/** Kernel classes, by prototype (Kernel's constructor is private). */
const KERNEL_PROTOTYPES: [string, object][] = [['Kernel', Kernel.prototype], ['Process', Process.prototype], ['MemFs', MemFs.prototype], ['Cell', Cell.prototype]];

/** Every object reachable from `roots` through properties and prototypes. */
function reachable(roots: unknown[]): Set<object> {
  const seen = new Set<object>();
  const stack = [...roots];
  while (stack.length > 0) {
    const value = stack.pop();
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
    if (value === Object.prototype || value === Function.prototype || value === Array.prototype || value === Error.prototype) continue;
    seen.add(value);
    stack.push(Object.getPrototypeOf(value));
    for (const key of Reflect.ownKeys(value)) {
      const desc = Object.getOwnPropertyDescriptor(value, key);
      if (desc === undefined) continue;
      stack.push(desc.value, desc.get, desc.set);
    }
  }
  return seen;
}

describe('the syscall door', () => {
  it('gives programs nothing that leads to a kernel object', async () => {
    const k = await boot();
    const found: unknown[] = [];
    await probe(k, async (sys) => {
      const st = await sys.stat('/etc/passwd');
      const err = await sys.open('/nope', O_RDONLY).catch((e: unknown) => e);
      const uname = await sys.uname();
      const dir = await sys.readdir('/');
      found.push(sys, st, err, uname, dir);
    });
    let argvSeen: unknown;
    let envSeen: unknown;
    await k.host.run(async (_sys, argv, env) => {
      argvSeen = argv;
      envSeen = env;
      return 0;
    }, ['probe', 'x']);
    const objects = reachable([...found, argvSeen, envSeen]);
    for (const obj of objects) {
      for (const [name, proto] of KERNEL_PROTOTYPES) expect(Object.prototype.isPrototypeOf.call(proto, obj) || obj === proto, `reached a ${name}`).toBe(false);
      expect(obj).not.toBe(k);
    }
    const sys = found[0] as Sys;
    expect(Object.getPrototypeOf(sys)).toBeNull();
    expect(Object.isFrozen(sys)).toBe(true);
    expect(Object.isFrozen(argvSeen)).toBe(true);
    expect(Object.isFrozen(envSeen)).toBe(true);
    expect(Object.keys(sys).sort()).toEqual([...SYSCALLS.map((r) => r.name), 'syscall'].sort());
    for (const fn of Object.values(sys)) expect((fn as { prototype?: unknown }).prototype).toBeUndefined();
  });

  it('rejects failures with SysError carrying code, errno, syscall and path', async () => {
    const k = await boot();
    let caught: unknown;
    await probe(k, async (sys) => {
      caught = await sys.open('/no/such/file').catch((e: unknown) => e);
    });
    expect(caught).toBeInstanceOf(SysError);
    expect(caught).toMatchObject({ code: 'ENOENT', errno: 2, syscall: 'open', path: '/no/such/file' });
  });

  it('answers an unknown call with ENOSYS', async () => {
    const k = await boot();
    let code = '';
    await probe(k, async (sys) => {
      code = await errnoOf(sys.syscall('reboot'));
      expect(await sys.syscall('getpid')).toBeGreaterThan(1);
    });
    expect(code).toBe('ENOSYS');
  });

  it('turns bad arguments into errnos, never a kernel crash', async () => {
    const k = await boot();
    const codes: string[] = [];
    await probe(k, async (sys) => {
      const loose = sys as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      codes.push(await errnoOf(loose.open!(42)));
      codes.push(await errnoOf(loose.write!(1, { not: 'bytes' })));
      codes.push(await errnoOf(loose.kill!(1.5, 'SIGTERM')));
      codes.push(await errnoOf(loose.read!(99)));
    });
    expect(codes).toEqual(['EFAULT', 'EFAULT', 'EINVAL', 'EBADF']);
    expect(k.panic).toBeUndefined();
  });

  it('refuses a call made while another of the same process is in progress', async () => {
    const k = await boot();
    let second = '';
    await probe(k, async (sys) => {
      await sys.spawn('/bin/sleep', ['sleep', '1']);
      const first = sys.wait(); // blocks: the child runs now
      second = await errnoOf(sys.getpid());
      await first;
    });
    expect(second).toBe('EBUSY');
  });
});
