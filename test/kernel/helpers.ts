/** Shared helpers for kernel tests: boot a kernel and run probe programs in the host cell. */
import { Kernel, type BootOptions, type Program, type Sys } from '../../src/index.js';

export async function boot(options: BootOptions = {}): Promise<Kernel> {
  return Kernel.boot({ seed: 1, ...options });
}

/** Runs `body` as a process and returns its exit code (failing the test on a crash). */
export async function probe(k: Kernel, body: (sys: Sys) => Promise<void | number>, argv: string[] = ['probe']): Promise<number> {
  const program: Program = async (sys) => (await body(sys)) ?? 0;
  const r = await k.host.run(program, argv);
  if (r.stderr !== '') throw new Error(`probe wrote to stderr: ${r.stderr}`);
  return r.exitCode;
}

/** The errno code a promise rejects with, or 'OK' when it resolves. */
export async function errnoOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

export async function sh(k: Kernel, script: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return k.host.exec(['sh', '-c', script]);
}

export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
