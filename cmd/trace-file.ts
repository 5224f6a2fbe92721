/** `--trace FILE`: the kernel's JSON Lines trace written to a file for the length of `body`. */
import { closeSync, openSync, writeSync } from 'node:fs';

export async function withTraceFile<T>(path: string | undefined, body: (trace: ((line: string) => void) | undefined) => Promise<T>): Promise<T> {
  if (path === undefined) return body(undefined);
  const fd = openSync(path, 'w');
  try {
    return await body((line) => writeSync(fd, line + '\n'));
  } finally {
    closeSync(fd);
  }
}
