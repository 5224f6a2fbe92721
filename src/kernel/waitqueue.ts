/**
 * A wait channel, as in a Unix kernel's sleep/wakeup: a blocked process sits on one queue;
 * wakeup makes every waiter runnable and each retries its call (a waiter whose condition still
 * does not hold simply blocks again). Owned by whichever object the waiters wait for.
 */
import type { Process } from '../proc/process.js';

export class WaitQueue {
  readonly waiters = new Set<Process>();

  /**
   * @param name what the waiters wait for, shown in deadlock reports ("pipe read", "wait")
   * @param external true when the world outside the kernel (host stdin) can end the wait, so a
   *   kernel whose only blocked processes wait here is idle, not deadlocked
   */
  constructor(
    readonly name: string,
    public external = false,
  ) {}
}
