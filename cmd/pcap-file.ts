/**
 * `--pcap FILE` (or a scenario's `pcap`): the capture's bytes streamed to a file as the run
 * goes, in chunks of up to 64 KiB so a long capture neither waits in memory nor costs a write
 * per frame; what is left is written when the run ends.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { CellError } from '../src/cells/lifecycle-table.js';

const CHUNK = 64 * 1024;

export async function withPcapFile<T>(path: string | undefined, body: (sink: ((chunk: Uint8Array) => void) | undefined) => Promise<T>): Promise<T> {
  if (path === undefined) return body(undefined);
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    // Node's "ENOENT: no such file or directory, open 'x'": the middle part says why.
    throw new CellError(`cellblock run: cannot write ${path}: ${(err as Error).message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')}`);
  }
  let pending: Uint8Array[] = [];
  let size = 0;
  const flush = (): void => {
    for (const chunk of pending) writeSync(fd, chunk);
    pending = [];
    size = 0;
  };
  try {
    // The writer never changes bytes it has handed out, so chunks may wait here uncopied.
    return await body((chunk) => {
      pending.push(chunk);
      size += chunk.length;
      if (size >= CHUNK) flush();
    });
  } finally {
    flush();
    closeSync(fd);
  }
}
