/**
 * What a syscall handler returns besides a value:
 * - BLOCK: the caller went to sleep on a wait queue or timer (via Kernel.sleepOn/sleepUntil);
 *   when woken, the handler runs again from the top, as a Unix kernel's sleep loop does.
 * - YIELD: the call has more CPU work to do (compute); run it again when the process next gets
 *   the CPU. The dispatcher keeps the CPU when nobody else is waiting for it.
 * - NORETURN: the caller is gone (exit, killed itself): its call never completes.
 */
export const BLOCK: unique symbol = Symbol('BLOCK');
export const YIELD: unique symbol = Symbol('YIELD');
export const NORETURN: unique symbol = Symbol('NORETURN');
export type Control = typeof BLOCK | typeof YIELD | typeof NORETURN;
