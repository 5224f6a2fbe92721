/**
 * The cell commands across invocations: state survives, bad input changes nothing, a second
 * invocation waits on the lock and then names its holder.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { StateDir } from '../../src/state/index.js';
import { cellblock, freshState, type CliResult } from './cellblock.js';

const EXAMPLES = fileURLToPath(new URL('../../specs/examples/', import.meta.url));

function cli(state: string, args: string[], env: Record<string, string> = {}, input = ''): CliResult {
  return cellblock(args, { state, env, input });
}

const fresh = (): string => freshState('cellblock-cli-');

describe('cell commands with durable state', () => {
  it('creates, starts, execs, lists, stops and destroys across invocations', { timeout: 90000 }, () => {
    const state = fresh();
    expect(cli(state, ['create', join(EXAMPLES, 'www.jail.json'), '--start'])).toMatchObject({ status: 0, stdout: 'www: running\n' });
    expect(cli(state, ['create', join(EXAMPLES, 'db.zone.json')])).toMatchObject({ status: 0, stdout: 'db: configured\n' });
    expect(cli(state, ['exec', 'www', '--', 'sh', '-c', 'echo kept > /tmp/note; hostname'])).toMatchObject({ status: 0, stdout: 'www.example.org\n' });
    expect(cli(state, ['exec', 'www', '--', 'cat', '/tmp/note']).stdout).toBe('kept\n');
    expect(cli(state, ['start', 'db']).status).toBe(0);
    const list = cli(state, ['list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([
      { name: 'host', kind: 'host', state: 'running', id: 0, parent: null, hostname: 'localhost', addresses: ['192.0.2.1'], path: '/' },
      { name: 'www', kind: 'jail', state: 'running', id: 1, parent: 'host', hostname: 'www.example.org', addresses: [], path: '/jails/www' },
      { name: 'db', kind: 'zone', state: 'running', id: 2, parent: 'host', hostname: 'db', addresses: [], path: '/zones/db/root' },
    ]);
    expect(cli(state, ['ls']).stdout.split('\n')[0]).toMatch(/^NAME +KIND +STATE +ID +PARENT +HOSTNAME +ADDRESSES +PATH$/);
    expect(cli(state, ['exec', 'host', '--', 'cat', '/jails/www/tmp/note']).stdout).toBe('kept\n');
    expect(cli(state, ['stop', 'www']).status).toBe(0);
    expect(cli(state, ['exec', 'www', '--', 'true'])).toMatchObject({ status: 1, stderr: 'jail: "www" not found\n' });
    expect(cli(state, ['install', 'db'])).toMatchObject({ status: 1, stderr: "zoneadm: zone 'db': install operation is invalid for running zones.\n" });
    expect(cli(state, ['start', 'db'])).toMatchObject({ status: 0, stderr: "zoneadm: zone 'db': zone is already booted\n" });
    expect(cli(state, ['destroy', 'www']).status).toBe(0);
    expect(JSON.parse(cli(state, ['list', '--json']).stdout).map((r: { name: string }) => r.name)).toEqual(['host', 'db']);
  });

  it('opens a shell in a cell, inspects it, and destroys a parent only with --recursive', { timeout: 90000 }, () => {
    const state = fresh();
    expect(cli(state, ['create', join(EXAMPLES, 'www.jail.json'), '--start']).status).toBe(0);
    const shell = cli(state, ['shell', 'www'], {}, 'hostname\necho $((6 * 7))\n');
    expect(shell.stdout).toContain('www.example.org\n42\n');
    const info = JSON.parse(cli(state, ['inspect', 'www', '--json']).stdout) as { state: string; privileges: string[]; limits: object };
    expect(info).toMatchObject({ state: 'running', limits: { childrenMax: 1, securelevel: 2, enforceStatfs: 2 } });
    expect(info.privileges).not.toContain('sys_admin'); // allow.set_hostname: false
    const child = join(state, 'sub.json');
    writeFileSync(child, JSON.stringify({ kind: 'jail', name: 'www.sub', path: '/sub', rootfs: 'minimal', persist: true }));
    expect(cli(state, ['create', child, '--start'])).toMatchObject({ status: 0, stdout: 'www.sub: running\n' });
    expect(cli(state, ['exec', 'host', '--', 'ls', '/jails/www/sub/bin/sh']).status).toBe(0);
    expect(cli(state, ['destroy', 'www'])).toMatchObject({ status: 1, stderr: 'cellblock: www has child cells (www.sub): use --recursive\n' });
    expect(cli(state, ['destroy', 'www', '--recursive']).status).toBe(0);
    expect(JSON.parse(cli(state, ['list', '--json']).stdout)).toHaveLength(1);
  });

  it('reports every error of a bad spec and creates nothing', () => {
    const state = fresh();
    const bad = join(state, 'bad.json');
    writeFileSync(bad, JSON.stringify({ kind: 'jail', name: 'www', path: '/jails/www', 'childen.max': 1, enforce_statfs: 7 }));
    const r = cli(state, ['create', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('www: unknown parameter "childen.max" (did you mean "children.max"?)');
    expect(r.stderr).toContain('enforce_statfs');
    expect(JSON.parse(cli(state, ['list', '--json']).stdout)).toHaveLength(1);
  });

  it('reports a corrupt state file with its path and never overwrites it', () => {
    const state = fresh();
    expect(cli(state, ['exec', 'host', '--', 'true']).status).toBe(0);
    const file = join(state, 'state.json');
    writeFileSync(file, '{ not json');
    const r = cli(state, ['exec', 'host', '--', 'touch', '/tmp/x']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(file);
    expect(readFileSync(file, 'utf8')).toBe('{ not json');
  });

  it('makes a second invocation wait on the lock, then name the holder', async () => {
    const state = fresh();
    const held = await StateDir.open(state);
    try {
      const r = cli(state, ['list'], { CELLBLOCK_LOCK_WAIT_MS: '300' });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`state directory .* is locked by pid ${process.pid}`));
    } finally {
      await held.close();
    }
    expect(cli(state, ['list']).status).toBe(0);
  });

  it('validates files and runs scenarios with the documented exit statuses', () => {
    const state = fresh();
    expect(cli(state, ['validate', join(EXAMPLES, 'www.jail.json'), join(EXAMPLES, 'demo.scenario.json')])).toMatchObject({ status: 0 });
    const run = cli(state, ['run', join(EXAMPLES, 'demo.scenario.json')]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\d+ passed, 0 failed$/m);
  });
});
