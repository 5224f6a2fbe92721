/**
 * The CLI as a user's shell runs it, for tests: a new `node` process per invocation, its exit
 * status and output. By default the build compiled for this test run (test/setup/build-cli.ts);
 * `SOURCE_BIN` is the entry users run (cmd/cellblock.js, through tsx).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

export const SOURCE_BIN = fileURLToPath(new URL('../../cmd/cellblock.js', import.meta.url));

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** The state directory ($CELLBLOCK_STATE); unset: the environment's. */
  readonly state?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly input?: string;
  /** Milliseconds before the process is killed (default 60 s). */
  readonly timeout?: number;
  /** The entry to run (default: the compiled build). */
  readonly bin?: string;
}

export function cellblock(args: readonly string[], options: CliOptions = {}): CliResult {
  const env = { ...process.env, ...(options.state === undefined ? {} : { CELLBLOCK_STATE: options.state }), ...options.env };
  const r = spawnSync(process.execPath, [options.bin ?? inject('cellblockBin'), ...args], {
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: options.timeout ?? 60_000,
    env,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A new empty state directory. */
export function freshState(prefix = 'cellblock-state-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
