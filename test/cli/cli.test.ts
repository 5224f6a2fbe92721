/**
 * The CLI as a user runs it: a real `node cmd/cellblock.js` process per invocation.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../cmd/cellblock.js', import.meta.url));

/** Runs the CLI with its own fresh state directory unless one is given. */
function cellblock(args: string[], input = '', state = mkdtempSync(join(tmpdir(), 'cellblock-state-'))): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 60000, env: { ...process.env, CELLBLOCK_STATE: state } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cellblock CLI', () => {
  it('runs a command in the host cell and returns its status', () => {
    const r = cellblock(['exec', 'host', '--', 'sh', '-c', 'mkdir -p /tmp/a && echo hi > /tmp/a/f && cat /tmp/a/f']);
    expect(r).toMatchObject({ status: 0, stdout: 'hi\n', stderr: '' });
    expect(cellblock(['exec', 'host', '--', 'sh', '-c', 'exit 3']).status).toBe(3);
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
