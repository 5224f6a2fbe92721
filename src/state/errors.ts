/**
 * Errors of the state directory. Both are bad input from the user's point of view (ARCHITECTURE
 * principle 6): the CLI prints the message as it is and exits non-zero.
 */
import { hostname } from 'node:os';

/** A state file that cannot be used (corrupt, foreign, newer): reported with its path, never overwritten. */
export class StateError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cellblock: ${path}: ${reason}`);
    this.name = 'StateError';
  }
}

/** Who holds a state directory's lock, as its lock file says. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  /** ISO 8601 wall-clock time the lock was taken. */
  readonly since: string;
}

/** The lock stayed held for the whole wait. holder is null when the lock file is unreadable. */
export class LockError extends Error {
  constructor(
    readonly dir: string,
    readonly lockPath: string,
    readonly holder: LockHolder | null,
  ) {
    super(`cellblock: state directory ${dir} is locked ${holder === null ? `(unreadable lock file ${lockPath}: remove it if no cellblock is running)` : describeHolder(holder)}`);
    this.name = 'LockError';
  }
}

/** "by pid 123 (cellblock create www.json) since 2025-...", naming the host when it is another. */
export function describeHolder(h: LockHolder): string {
  return `by pid ${h.pid}${h.host === hostname() ? '' : ` on ${h.host}`} (${h.command}) since ${h.since}`;
}
