/**
 * Host administration through the door: the personalities change the kernel the way a host
 * administrator's program would, as a root process of the host cell making syscalls, so the
 * privilege gate sees every change.
 */
import type { Sys } from '../kernel/abi.js';
import type { Kernel } from '../kernel/kernel.js';

/** Runs `body` as a root process in the host cell; returns its value or rethrows its error. */
export async function asHost<T>(k: Kernel, body: (sys: Sys) => Promise<T>): Promise<T> {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  await k.host.run(async (sys) => {
    try {
      outcome = { ok: true, value: await body(sys) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    return 0;
  }, ['cellblock-admin']);
  if (outcome === undefined) throw new Error('host administration process died');
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
