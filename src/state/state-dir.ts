/**
 * A state directory, held under its lock for as long as it is open:
 *
 *   DIR/lock         who holds it (lock.ts)
 *   DIR/state.json   host configuration, cells (state-file.ts)
 *   DIR/fs/NAME.snap filesystem snapshots (src/vfs/snapshot.ts)
 *
 * Every write is atomic (atomic.ts). A file that cannot be used is reported with its path and
 * never overwritten: a write first checks the file it replaces, and once any corrupt file has
 * been seen, every later write of this StateDir refuses with that error.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { checkSnapshot, restoreFs, snapshotFs, SnapshotError } from '../vfs/snapshot.js';
import type { MemFs } from '../vfs/memfs.js';
import { removeTempFiles, writeFileAtomic } from './atomic.js';
import { StateError } from './errors.js';
import { acquireLock, releaseLock, type HeldLock, type LockOptions } from './lock.js';
import { checkFsName, FS_DIR, fsFile, LOCK_FILE, STATE_FILE } from './paths.js';
import { BadStateFile, parseState, serializeState, type StateFile } from './state-file.js';

export class StateDir {
  private closed = false;
  private corrupt: StateError | null = null;

  private constructor(
    /** Absolute path of the directory. */
    readonly path: string,
    private readonly lock: HeldLock,
  ) {}

  /** Things the caller should tell the user (a stale lock taken over), one line each. */
  get notes(): readonly string[] {
    return this.lock.note === null ? [] : [this.lock.note];
  }

  get statePath(): string {
    return join(this.path, STATE_FILE);
  }

  fsPath(name: string): string {
    checkFsName(name);
    return join(this.path, fsFile(name));
  }

  /** Creates the directory if missing and takes its lock, waiting up to waitMs (default 10 s). */
  static async open(dir: string, options: LockOptions = {}): Promise<StateDir> {
    const path = resolve(dir);
    try {
      await mkdir(join(path, FS_DIR), { recursive: true });
    } catch (err) {
      throw new StateError(path, ioReason(err));
    }
    const lock = await acquireLock(path, join(path, LOCK_FILE), options);
    // Holding the lock, any temp file is a crashed writer's leftover.
    await removeTempFiles(path);
    await removeTempFiles(join(path, FS_DIR));
    return new StateDir(path, lock);
  }

  /** The state file's content, or null when there is none yet (a new directory). */
  async read(): Promise<StateFile | null> {
    this.checkOpen();
    const text = await this.readExisting(this.statePath);
    return text === null ? null : this.checked(this.statePath, () => parseState(text.toString('utf8')));
  }

  async write(state: StateFile): Promise<void> {
    await this.checkReplaceable(this.statePath, (data) => parseState(data.toString('utf8')));
    await writeFileAtomic(this.statePath, serializeState(state));
  }

  /** Saves `fs` as fs/NAME.snap. */
  async saveFs(name: string, fs: MemFs): Promise<void> {
    const file = this.fsPath(name);
    await this.checkReplaceable(file, checkSnapshot);
    await writeFileAtomic(file, snapshotFs(fs));
  }

  /** Restores fs/NAME.snap into the empty `fs`; false when there is no such snapshot. */
  async loadFs(name: string, fs: MemFs): Promise<boolean> {
    this.checkOpen();
    const file = this.fsPath(name);
    const data = await this.readExisting(file);
    if (data === null) return false;
    this.checked(file, () => restoreFs(data, fs));
    return true;
  }

  async removeFs(name: string): Promise<void> {
    const file = this.fsPath(name);
    this.checkWritable();
    await rm(file, { force: true });
  }

  /** Releases the lock. Idempotent; also done (best effort) when the process exits. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await releaseLock(this.lock);
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`cellblock: state directory ${this.path} is closed`);
  }

  private checkWritable(): void {
    this.checkOpen();
    if (this.corrupt !== null) throw this.corrupt;
  }

  /** Before replacing a file: it must be absent or valid, and nothing seen so far corrupt. */
  private async checkReplaceable(path: string, check: (data: Buffer) => unknown): Promise<void> {
    this.checkWritable();
    const data = await this.readExisting(path);
    if (data !== null) this.checked(path, () => check(data));
  }

  /** A file's bytes, or null when it does not exist; an unreadable file is a StateError. */
  private async readExisting(path: string): Promise<Buffer | null> {
    try {
      return await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw this.poison(path, ioReason(err));
    }
  }

  /** Runs a format check; a failure becomes a StateError for `path` that blocks later writes. */
  private checked<T>(path: string, check: () => T): T {
    try {
      return check();
    } catch (err) {
      if (err instanceof SnapshotError || err instanceof BadStateFile) throw this.poison(path, err.message);
      throw err;
    }
  }

  private poison(path: string, reason: string): StateError {
    const err = new StateError(path, reason);
    this.corrupt ??= err;
    return err;
  }
}

/** "permission denied" from Node's "EACCES: permission denied, open '/x'". */
function ioReason(err: unknown): string {
  const message = (err as Error).message;
  return /^E[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message;
}
