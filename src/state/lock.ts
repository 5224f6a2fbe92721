/**
 * The state directory's lock: one writer at a time across processes. The lock is a file created
 * with O_CREAT|O_EXCL holding JSON {pid, host, command, since, token}; a second opener polls
 * until it is gone, then gives up with a LockError naming the holder. A lock whose holder pid is
 * dead on this host is stale and taken over. Locks of another host are never judged stale.
 *
 * Takeover is rename-then-verify: the stale file is renamed aside and compared with what was
 * read, so two openers racing for one stale lock never delete a fresh lock; if the renamed file
 * is someone's fresh lock after all, it is linked back.
 *
 * This is host I/O, outside the simulation: it reads the wall clock and waits on real timers
 * (eslint.config.js exempts src/state from the kernel's determinism rules).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LockError, type LockHolder } from './errors.js';

export const POLL_MS = 50;

export interface LockOptions {
  /** How long to wait for the holder to release: default 10 s. 0 tries once. */
  readonly waitMs?: number;
  /** What the lock file says is holding it; default: this process's command line. */
  readonly command?: string;
}

export interface HeldLock {
  readonly path: string;
  /** The exact bytes we wrote: release removes the file only while it still holds them. */
  readonly content: string;
  /** Present when a stale lock was taken over, for the caller to show. */
  readonly note: string | null;
}

/** Takes the lock at `path`, waiting for a live holder. `dir` names the state directory in messages. */
export async function acquireLock(dir: string, path: string, options: LockOptions = {}): Promise<HeldLock> {
  const me = {
    pid: process.pid,
    host: hostname(),
    command: options.command ?? defaultCommand(),
    since: new Date().toISOString(), // wall-clock time, for people reading the message
    token: randomBytes(8).toString('hex'),
  };
  const content = `${JSON.stringify(me)}\n`;
  const deadline = Date.now() + (options.waitMs ?? 10_000);
  let note: string | null = null;
  let retryAtOnce = true;
  for (;;) {
    if (await createExclusive(path, content)) {
      exitRelease.set(path, content);
      installExitHook();
      return { path, content, note };
    }
    const raw = await readFile(path, 'utf8').catch(() => null);
    if (raw === null && retryAtOnce) {
      retryAtOnce = false; // released meanwhile, most likely: try again now, once
      continue;
    }
    retryAtOnce = true;
    const holder = raw === null ? null : parseHolder(raw);
    if (raw !== null && holder !== null && isStale(holder) && (await takeOver(path, raw, me.token))) {
      note = `cellblock: state directory ${dir}: removed the stale lock of dead pid ${holder.pid} (${holder.command}) since ${holder.since}`;
      continue;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new LockError(dir, path, holder);
    await sleep(Math.min(POLL_MS, left));
  }
}

/** Removes the lock if it is still ours. Idempotent. */
export async function releaseLock(lock: HeldLock): Promise<void> {
  exitRelease.delete(lock.path);
  const raw = await readFile(lock.path, 'utf8').catch(() => null);
  if (raw === lock.content) await unlink(lock.path).catch(() => undefined);
}

async function createExclusive(path: string, content: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return true;
}

/** null when the file is unreadable: being written right now, or damaged. */
function parseHolder(raw: string): LockHolder | null {
  try {
    const h = JSON.parse(raw) as Partial<LockHolder>;
    if (Number.isSafeInteger(h.pid) && typeof h.host === 'string' && typeof h.command === 'string' && typeof h.since === 'string') return h as LockHolder;
  } catch {
    // fall through
  }
  return null;
}

function isStale(h: LockHolder): boolean {
  if (h.host !== hostname() || h.pid === process.pid) return false;
  try {
    process.kill(h.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH'; // EPERM: alive, someone else's
  }
}

/** Removes the stale lock whose content is `raw`; false if it was no longer there. */
async function takeOver(path: string, raw: string, token: string): Promise<boolean> {
  const aside = `${path}.stale-${token}`;
  try {
    await rename(path, aside);
  } catch {
    return false; // another opener moved it first
  }
  const moved = await readFile(aside, 'utf8').catch(() => null);
  if (moved !== raw) await link(aside, path).catch(() => undefined); // a fresh lock: put it back
  await unlink(aside).catch(() => undefined);
  return moved === raw;
}

function defaultCommand(): string {
  const script = process.argv[1];
  const name = script === undefined ? 'node' : basename(script).replace(/\.[cm]?[jt]s$/, '');
  return [name, ...process.argv.slice(2)].join(' ');
}

/** Locks to drop if the process exits without closing (best effort: not on SIGKILL or a crash). */
const exitRelease = new Map<string, string>();
let hooked = false;

function installExitHook(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const [path, content] of exitRelease) {
      try {
        if (readFileSync(path, 'utf8') === content) unlinkSync(path);
      } catch {
        // already gone
      }
    }
  });
}
