/**
 * The state directory in one process: where it is, the lock, atomic writes, and bad files
 * reported with their path and never overwritten.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LockError, resolveStateDir, StateDir, StateError } from '../../src/state/index.js';
import { S_IFREG } from '../../src/index.js';
import { MemFs, stamp } from '../../src/vfs/memfs.js';
import { writeFileAtomic } from '../../src/state/atomic.js';
import { listing } from './listing.js';

const newDir = (): string => join(mkdtempSync(join(tmpdir(), 'cellblock-state-')), 'state');

/** A pid that is certainly not running: a process that has already exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('valid JSON');
}

function sampleFs(): MemFs {
  const fs = new MemFs('memfs', 5);
  const link = fs.create(fs.root, 'motd', S_IFREG | 0o644, 0, 0, 42);
  link.getNode().setBuffer(Buffer.from('welcome\n'));
  stamp(link.getNode(), 42);
  return fs;
}

describe('resolveStateDir', () => {
  it('takes --state, else $CELLBLOCK_STATE, else ~/.cellblock, made absolute', () => {
    expect(resolveStateDir('/a/b', { CELLBLOCK_STATE: '/c' })).toBe('/a/b');
    expect(resolveStateDir(undefined, { CELLBLOCK_STATE: '/c' })).toBe('/c');
    expect(resolveStateDir('', { CELLBLOCK_STATE: '' })).toBe(join(homedir(), '.cellblock'));
    expect(resolveStateDir('rel', {})).toBe(join(process.cwd(), 'rel'));
  });
});

describe('StateDir lock', () => {
  it('creates the directory and records the holder in the lock file', async () => {
    const dir = newDir();
    const state = await StateDir.open(dir, { command: 'cellblock create www.json' });
    const lock = JSON.parse(readFileSync(join(dir, 'lock'), 'utf8')) as Record<string, unknown>;
    expect(lock).toMatchObject({ pid: process.pid, host: hostname(), command: 'cellblock create www.json' });
    expect(new Date(lock.since as string).toISOString()).toBe(lock.since);
    expect(state.notes).toEqual([]);
    await state.close();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });

  it('makes a second opener wait, then fail naming the holder; after close it succeeds', async () => {
    const dir = newDir();
    const first = await StateDir.open(dir, { command: 'cellblock create www.json' });
    const since = (JSON.parse(readFileSync(join(dir, 'lock'), 'utf8')) as { since: string }).since;
    const started = Date.now();
    const err = await StateDir.open(dir, { waitMs: 200 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(err).toBeInstanceOf(LockError);
    expect((err as Error).message).toBe(`cellblock: state directory ${dir} is locked by pid ${process.pid} (cellblock create www.json) since ${since}`);
    await first.close();
    const second = await StateDir.open(dir, { waitMs: 0 });
    await second.close();
  });

  it('lets a waiting opener in as soon as the holder closes', async () => {
    const dir = newDir();
    const first = await StateDir.open(dir);
    const waiting = StateDir.open(dir, { waitMs: 5000 });
    setTimeout(() => void first.close(), 150);
    const second = await waiting;
    expect(JSON.parse(readFileSync(join(dir, 'lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    await second.close();
  });

  it('takes over a stale lock of a dead pid and says so', async () => {
    const dir = newDir();
    mkdirSync(dir, { recursive: true });
    const pid = deadPid();
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid, host: hostname(), command: 'cellblock start www', since: '2024-01-02T03:04:05.000Z' }));
    const state = await StateDir.open(dir, { waitMs: 0 });
    expect(state.notes).toEqual([`cellblock: state directory ${dir}: removed the stale lock of dead pid ${pid} (cellblock start www) since 2024-01-02T03:04:05.000Z`]);
    expect(JSON.parse(readFileSync(join(dir, 'lock'), 'utf8'))).toMatchObject({ pid: process.pid });
    expect(readdirSync(dir).sort()).toEqual(['fs', 'lock']);
    await state.close();
  });

  it('never judges a lock of another host stale, and names that host', async () => {
    const dir = newDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: deadPid(), host: 'elsewhere.example', command: 'cellblock shell', since: '2024-01-02T03:04:05.000Z' }));
    await expect(StateDir.open(dir, { waitMs: 0 })).rejects.toThrow(/is locked by pid \d+ on elsewhere\.example \(cellblock shell\) since 2024-01-02T03:04:05\.000Z$/);
  });

  it('reports an unreadable lock file instead of guessing', async () => {
    const dir = newDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'lock'), '{"pid": 12');
    await expect(StateDir.open(dir, { waitMs: 100 })).rejects.toThrow(`cellblock: state directory ${dir} is locked (unreadable lock file ${join(dir, 'lock')}: remove it if no cellblock is running)`);
  });

  it('reports a state path that is not a directory', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cellblock-state-')), 'plain');
    writeFileSync(file, 'x');
    await expect(StateDir.open(file)).rejects.toThrow(new StateError(file, 'not a directory'));
  });
});

describe('StateDir files', () => {
  it('keeps state and filesystems from one opening to the next', async () => {
    const dir = newDir();
    const a = await StateDir.open(dir);
    expect(await a.read()).toBeNull();
    expect(await a.loadFs('host', new MemFs('memfs', 5))).toBe(false);
    await a.write({ host: { hostname: 'h' }, cells: [{ name: 'www' }] });
    await a.saveFs('host', sampleFs());
    await a.close();
    await expect(a.read()).rejects.toThrow('is closed');

    const b = await StateDir.open(dir);
    expect(await b.read()).toEqual({ host: { hostname: 'h' }, cells: [{ name: 'www' }] });
    const fs = new MemFs('memfs', 5);
    expect(await b.loadFs('host', fs)).toBe(true);
    expect(listing(fs)).toEqual(listing(sampleFs()));
    await b.removeFs('host');
    expect(existsSync(b.fsPath('host'))).toBe(false);
    expect(() => b.fsPath('../escape')).toThrow('bad filesystem name');
    await b.close();
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))).toMatchObject({ format: 'cellblock-state', version: 1 });
  });

  it('writes atomically: no temp file is left', async () => {
    const dir = newDir();
    const state = await StateDir.open(dir);
    for (let i = 0; i < 5; i++) await state.write({ host: i, cells: [] });
    await state.saveFs('host', sampleFs());
    expect(readdirSync(dir).sort()).toEqual(['fs', 'lock', 'state.json']);
    expect(readdirSync(join(dir, 'fs'))).toEqual(['host.snap']);
    mkdirSync(join(dir, 'fs', 'x.snap')); // something it cannot read is not replaced either
    await expect(state.saveFs('x', sampleFs())).rejects.toThrow(new StateError(join(dir, 'fs', 'x.snap'), 'illegal operation on a directory'));
    await state.close();
  });

  it('removes its temp file when the rename fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cellblock-atomic-'));
    mkdirSync(join(dir, 'target', 'inside'), { recursive: true }); // rename over a non-empty directory fails
    await expect(writeFileAtomic(join(dir, 'target'), 'data')).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir)).toEqual(['target']);
    await writeFileAtomic(join(dir, 'file'), 'data');
    expect([readdirSync(dir).sort(), readFileSync(join(dir, 'file'), 'utf8')]).toEqual([['file', 'target'], 'data']);
  });

  it('sweeps temp files a crashed writer left', async () => {
    const dir = newDir();
    mkdirSync(join(dir, 'fs'), { recursive: true });
    writeFileSync(join(dir, '.state.json.tmp-123-abcdef'), 'half');
    writeFileSync(join(dir, 'fs', '.host.snap.tmp-123-abcdef'), 'half');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const state = await StateDir.open(dir);
    expect(readdirSync(dir).sort()).toEqual(['fs', 'lock', 'notes.txt']);
    expect(readdirSync(join(dir, 'fs'))).toEqual([]);
    await state.close();
  });

  const badStates: [string, string][] = [
    ['{"format": "cellblock-state", "version": 1, ', `not a cellblock state file (${jsonError('{"format": "cellblock-state", "version": 1, ')})`],
    ['', 'not a cellblock state file (empty file)'],
    ['[1, 2]', 'not a cellblock state file (not a JSON object)'],
    ['{"format": "other", "version": 1}', 'not a cellblock state file (format is "other")'],
    ['{"version": 1}', 'not a cellblock state file (format is missing)'],
    ['{"format": "cellblock-state", "version": 7, "host": {}, "cells": []}', 'state format version 7 is newer than this cellblock supports (1)'],
    ['{"format": "cellblock-state", "version": "1", "host": {}, "cells": []}', 'unknown state format version "1"'],
    ['{"format": "cellblock-state", "version": 1, "cells": []}', 'malformed state file ("host" is missing)'],
    ['{"format": "cellblock-state", "version": 1, "host": null, "cells": {}}', 'malformed state file ("cells" is not an array)'],
  ];

  it.each(badStates)('reports %j with its path and never overwrites it', async (text, reason) => {
    const dir = newDir();
    mkdirSync(join(dir, 'fs'), { recursive: true });
    const path = join(dir, 'state.json');
    writeFileSync(path, text);
    const expected = new StateError(path, reason);
    expect(expected.message).toBe(`cellblock: ${path}: ${reason}`);

    // A write without a read first still checks what it would replace.
    const blind = await StateDir.open(dir);
    await expect(blind.write({ host: {}, cells: [] })).rejects.toThrow(expected);
    await blind.close();

    const state = await StateDir.open(dir);
    await expect(state.read()).rejects.toThrow(expected);
    await expect(state.write({ host: {}, cells: [] })).rejects.toThrow(expected);
    await expect(state.saveFs('host', sampleFs())).rejects.toThrow(expected);
    await expect(state.removeFs('host')).rejects.toThrow(expected);
    await state.close();
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(readdirSync(dir).sort()).toEqual(['fs', 'state.json']);
  });

  it('reports a corrupt snapshot with its path, keeps it, and refuses later writes', async () => {
    const dir = newDir();
    const setup = await StateDir.open(dir);
    await setup.saveFs('host', sampleFs());
    await setup.close();
    const path = join(dir, 'fs', 'host.snap');
    const bytes = readFileSync(path);
    const at = bytes.length - 40; // a byte of file content
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0x55, at);
    writeFileSync(path, bytes);

    const state = await StateDir.open(dir);
    const target = new MemFs('memfs', 5);
    await expect(state.loadFs('host', target)).rejects.toThrow(new StateError(path, 'snapshot checksum mismatch (damaged or truncated file)'));
    expect(listing(target)).toEqual(listing(new MemFs('memfs', 5)));
    await expect(state.saveFs('host', sampleFs())).rejects.toThrow(path);
    await expect(state.write({ host: {}, cells: [] })).rejects.toThrow(path);
    await state.close();

    const blind = await StateDir.open(dir); // saving over it without loading first
    await expect(blind.saveFs('host', sampleFs())).rejects.toThrow(new StateError(path, 'snapshot checksum mismatch (damaged or truncated file)'));
    await blind.close();
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
  });

  it.skipIf(process.getuid?.() === 0)('reports a state file it cannot read', async () => {
    const dir = newDir();
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'state.json');
    writeFileSync(path, '{}');
    chmodSync(path, 0);
    const state = await StateDir.open(dir);
    await expect(state.read()).rejects.toThrow(new StateError(path, 'permission denied'));
    await expect(state.write({ host: {}, cells: [] })).rejects.toThrow(path);
    await state.close();
  });
});
