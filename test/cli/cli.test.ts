/**
 * The CLI as a user runs it: a real `node` process per invocation; the first test through the
 * entry users run (cmd/cellblock.js, through tsx), the others through the test run's build.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellblock as run, freshState, SOURCE_BIN, type CliResult } from './cellblock.js';

/** Runs the CLI with its own fresh state directory unless one is given. */
function cellblock(args: string[], input = '', state = freshState(), bin?: string): CliResult {
  return run(args, { input, state, ...(bin === undefined ? {} : { bin }) });
}

describe('cellblock CLI', () => {
  it('runs a command in the host cell and returns its status, from the entry users run', () => {
    const r = cellblock(['exec', 'host', '--', 'sh', '-c', 'mkdir -p /tmp/a && echo hi > /tmp/a/f && cat /tmp/a/f'], '', freshState(), SOURCE_BIN);
    expect(r).toMatchObject({ status: 0, stdout: 'hi\n', stderr: '' });
    expect(cellblock(['exec', 'host', '--', 'sh', '-c', 'exit 3'], '', freshState(), SOURCE_BIN).status).toBe(3);
  });

  it('reports a missing command with status 127', () => {
    expect(cellblock(['exec', 'host', '--', 'nosuch'])).toMatchObject({ status: 127, stderr: 'cellblock: nosuch: not found\n' });
    expect(cellblock(['exec', 'host', '--', 'sh', '-c', 'nosuch'])).toMatchObject({ status: 127, stderr: 'sh: nosuch: not found\n' });
  });

  it('passes stdin through', () => {
    expect(cellblock(['exec', 'host', '--', 'wc', '-l'], 'a\nb\nc\n').stdout.trim()).toBe('3');
  });

  it('suggests the nearest command for a typo, with status 2', () => {
    expect(cellblock(['exce', 'host'])).toMatchObject({ status: 2, stderr: 'cellblock: unknown command "exce" (did you mean "exec"?)\n' });
  });

  it('writes the same trace for the same seed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cellblock-trace-'));
    const run = (file: string): string => {
      cellblock(['exec', 'host', '--seed', '9', '--trace', join(dir, file), '--', 'sh', '-c', 'spin 50 & ls /bin | wc -l; wait']);
      return readFileSync(join(dir, file), 'utf8');
    };
    const first = run('a.jsonl');
    expect(first.split('\n').length).toBeGreaterThan(20);
    expect(run('b.jsonl')).toBe(first);
  });
});
