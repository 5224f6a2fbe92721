/**
 * poll(2): which of a set of descriptors are ready, waiting until one is or a timeout passes.
 * Each open file says what holds now (OpenFile.poll) and where a change is announced
 * (pollQueues); a waiting caller sleeps on all of those queues at once.
 */
import { POLLERR, POLLHUP, POLLNVAL } from '../kernel/abi.js';
import { int } from '../kernel/args.js';
import { fail } from '../kernel/errno.js';
import type { Handler } from '../kernel/syscall-table.js';
import type { WaitQueue } from '../kernel/waitqueue.js';

/** More descriptors than this in one call is EINVAL (a process has at most OPEN_MAX anyway). */
const POLL_MAX = 1024;

export const poll: Handler<'poll'> = (k, p, [fds, timeout]) => {
  if (!Array.isArray(fds)) throw fail('EFAULT');
  if (fds.length > POLL_MAX) throw fail('EINVAL');
  const wait = int(timeout, -1);
  const revents: number[] = [];
  const queues: WaitQueue[] = [];
  let ready = 0;
  for (const entry of fds as unknown[]) {
    const { fd, events } = (entry ?? {}) as { fd?: unknown; events?: unknown };
    const file = typeof fd === 'number' ? p.fds[fd]?.file : undefined;
    if (file === undefined) {
      revents.push(fd === -1 ? 0 : POLLNVAL); // a negative fd is skipped, as poll(2) says
      if (fd !== -1) ready++;
      continue;
    }
    const wanted = (typeof events === 'number' ? events : 0) | POLLERR | POLLHUP;
    const now = file.poll() & wanted;
    revents.push(now);
    if (now !== 0) ready++;
    for (const queue of file.pollQueues()) queues.push(queue);
  }
  if (ready > 0 || wait === 0) return revents;
  if (wait > 0) {
    if (p.deadline < 0) p.deadline = k.now + wait;
    if (k.now >= p.deadline) return revents;
  }
  return k.sleepOnAny(p, queues, wait > 0 ? p.deadline : -1);
};
