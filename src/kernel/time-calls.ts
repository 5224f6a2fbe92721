/**
 * Time syscalls on the virtual clock: time, sleep, and compute (simulated CPU work).
 */
import { int, nonNegative } from './args.js';
import { YIELD } from './control.js';
import type { Handler } from './syscall-table.js';
import { useCpu } from './sched.js';

export const time: Handler<'time'> = (k) => k.now;

/** The wall clock: ticks are milliseconds, so it is the clock's setting at boot plus the ticks since. */
export const gettime: Handler<'gettime'> = (k) => k.clockBase + k.now;

export const settime: Handler<'settime'> = (k, _p, [epochMs]) => {
  k.clockBase = int(epochMs) - k.now;
  return undefined;
};

/** Sleeps until now + ticks; p.progress remembers the wake time across retries. */
export const sleep: Handler<'sleep'> = (k, p, [ticks]) => {
  if (p.progress === 0) {
    const n = nonNegative(ticks);
    if (n === 0) return undefined;
    p.progress = k.now + n;
  }
  if (k.now >= p.progress) return undefined;
  return k.sleepUntil(p, p.progress);
};

/**
 * Burns `ticks` of CPU in slices: each attempt runs to the end of the quantum (cut short where
 * a cap's budget ends), then yields, so the scheduler can preempt or throttle it at the
 * boundary. p.progress counts ticks done.
 */
export const compute: Handler<'compute'> = (k, p, [ticks]) => {
  const total = nonNegative(ticks);
  const cpu = k.cpu!;
  const slice = Math.max(0, Math.min(total - p.progress, p.sliceEnd - cpu.clock));
  useCpu(cpu, p, slice);
  p.progress += slice;
  return p.progress >= total ? undefined : YIELD;
};
