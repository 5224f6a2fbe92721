/**
 * The lock between real processes: a second invocation waits and names the holder, a killed
 * holder's lock is taken over, an exiting holder releases it, concurrent writers serialize.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LOCKER = fileURLToPath(new URL('./fixtures/locker.ts', import.meta.url));

interface Child {
  readonly pid: number;
  /** Resolves when the child prints "locked" (or "ready"). */
  readonly locked: Promise<void>;
  readonly done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
  end(): void;
  go(): void;
}

function locker(...args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', LOCKER, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let onLocked = (): void => undefined;
  const locked = new Promise<void>((resolve) => (onLocked = resolve));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (/^(locked|ready)$/m.test(stdout)) onLocked();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { pid: child.pid!, locked, done, end: () => child.stdin.end(), go: () => child.stdin.end('go\n') };
}

const newDir = (): string => join(mkdtempSync(join(tmpdir(), 'cellblock-state-')), 'state');

describe('the state lock between processes', { timeout: 60000 }, () => {
  it('makes a second process wait, then fail naming the holder; after release it gets in', async () => {
    const dir = newDir();
    const holder = locker('hold', dir);
    await holder.locked;
    const refused = await locker('try', dir, '300').done;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^cellblock: state directory ${dir} is locked by pid ${holder.pid} \\(locker hold ${dir}\\) since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\n$`));
    holder.end();
    expect((await holder.done).code).toBe(0);
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    expect(await locker('try', dir, '0').done).toMatchObject({ code: 0, stderr: '' });
  });

  it('takes over the lock of a holder killed by SIGKILL, and says so', async () => {
    const dir = newDir();
    const dead = locker('die', dir);
    expect((await dead.done).signal).toBe('SIGKILL');
    const stale = JSON.parse(readFileSync(join(dir, 'lock'), 'utf8')) as { pid: number; since: string };
    expect(stale.pid).toBe(dead.pid);
    const r = await locker('try', dir, '0').done;
    expect(r).toMatchObject({ code: 0, stderr: `cellblock: state directory ${dir}: removed the stale lock of dead pid ${dead.pid} (locker die ${dir}) since ${stale.since}\n` });
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });

  it('releases the lock when the holder exits without closing', async () => {
    const dir = newDir();
    expect((await locker('exit', dir).done).code).toBe(0);
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });

  it('serializes concurrent writers: no update is lost', async () => {
    const dir = newDir();
    const writers = [1, 2, 3, 4].map(() => locker('count', dir));
    await Promise.all(writers.map((w) => w.locked));
    for (const w of writers) w.go();
    const runs = await Promise.all(writers.map(async (w) => (await w.done).code));
    expect(runs).toEqual([0, 0, 0, 0]);
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))).toEqual({ format: 'cellblock-state', version: 1, host: { count: 4 }, cells: [] });
  });
});
