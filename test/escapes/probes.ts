/**
 * Small helpers the escape programs are written with: each turns a syscall's result into a short
 * outcome word (an errno name, OK, or what was read), so an entry's expected outcome is a string.
 * They use only `sys`, as any program inside a cell would.
 */
import { O_CREAT, O_RDONLY, O_WRONLY, type Sys } from '../../src/index.js';

/** The errno a call fails with, or OK. */
export async function errno(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

/** A file's text, or the errno that stopped reading it. */
export async function readText(sys: Sys, path: string): Promise<string> {
  let fd: number;
  try {
    fd = await sys.open(path, O_RDONLY);
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  const chunks: string[] = [];
  for (;;) {
    const bytes = await sys.read(fd, 4096);
    if (bytes.length === 0) break;
    chunks.push(new TextDecoder().decode(bytes));
  }
  await sys.close(fd);
  return chunks.join('');
}

export async function writeText(sys: Sys, path: string, text: string | Uint8Array): Promise<void> {
  const fd = await sys.open(path, O_CREAT | O_WRONLY, 0o644);
  await sys.write(fd, text);
  await sys.close(fd);
}

/** Calls `attempt` up to `times` times: how many succeeded before the first failure, and its errno. */
export async function until(times: number, attempt: () => Promise<unknown>): Promise<string> {
  for (let i = 0; i < times; i++) {
    const r = await errno(attempt());
    if (r !== 'OK') return `${i} then ${r}`;
  }
  return `${times} then none`;
}

/** Leaves a child blocked for good on a pipe it holds both ends of; returns its pid. */
export async function blockedChild(sys: Sys, env?: Readonly<Record<string, string>>): Promise<number> {
  const [r, w] = await sys.pipe();
  const pid = await sys.spawn('/bin/cat', ['cat'], { fds: [r, w, w], ...(env === undefined ? {} : { env }) });
  await sys.close(r);
  await sys.close(w);
  return pid;
}
