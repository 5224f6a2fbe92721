/**
 * Lifecycles through the public API: jails defined → running → defined; zones through
 * zoneadm's states, with illegal transitions refused in zoneadm's words and changing nothing.
 */
import { describe, expect, it } from 'vitest';
import { CellError } from '../../src/cells/lifecycle-table.js';
import { boot } from '../kernel/helpers.js';
import { DB, WWW } from './helpers.js';

async function refusal(step: Promise<unknown>): Promise<string> {
  try {
    await step;
    return 'OK';
  } catch (err) {
    return err instanceof CellError ? `${err.message}${err.benign ? ' (exit 0)' : ''}` : String(err);
  }
}

describe('jail lifecycle', () => {
  it('populates at definition, runs exec.start at start, kills everything at stop', async () => {
    const k = await boot();
    const www = await k.createCell({ ...WWW, 'exec.start': 'echo started > /tmp/rc.log', 'exec.stop': 'echo stopping >> /tmp/rc.log' });
    expect(www.state).toBe('defined');
    expect((await k.host.exec(['ls', '/jails/www/bin/sh'])).exitCode).toBe(0);
    expect(await refusal(www.exec(['true']))).toBe('jail: "www" not found');
    await www.start();
    expect(await refusal(www.start())).toBe('jail: "www" already exists');
    const sleeper = www.exec(['sleep', '1000']);
    await www.stop();
    expect((await sleeper).signal).toBe(9);
    expect((await k.host.exec(['cat', '/jails/www/tmp/rc.log'])).stdout).toBe('started\nstopping\n');
    expect(www.state).toBe('defined');
    await www.destroy();
    expect(k.cell('www')).toBeUndefined();
  });

  it('reports a failing exec.start in jail(8)\'s words', async () => {
    const k = await boot();
    const bad = await k.createCell({ ...WWW, 'exec.start': 'exit 3' });
    expect(await refusal(bad.start())).toBe('jail: www: exit 3: failed');
  });
});

describe('zone lifecycle', () => {
  it('goes configured → installed → ready → running → installed → configured', async () => {
    const k = await boot();
    const db = await k.createCell(DB);
    const states: string[] = [db.state];
    for (const op of ['install', 'ready', 'boot', 'halt', 'uninstall']) {
      await db.transition(op);
      states.push(db.state);
    }
    expect(states).toEqual(['configured', 'installed', 'ready', 'running', 'installed', 'configured']);
  });

  it('refuses illegal transitions with zoneadm\'s messages and changes nothing', async () => {
    const k = await boot();
    const db = await k.createCell(DB);
    expect(await refusal(db.transition('boot'))).toBe("zoneadm: zone 'db': must be installed before boot.");
    expect(await refusal(db.transition('ready'))).toBe("zoneadm: zone 'db': must be installed before ready.");
    expect(await refusal(db.transition('uninstall'))).toBe("zoneadm: zone 'db': is already in state 'configured'.");
    expect(await refusal(db.transition('halt'))).toBe("zoneadm: zone 'db': cannot manage a zone which is in state 'configured'");
    expect(db.state).toBe('configured');
    expect((await k.host.exec(['ls', '/zones/db'])).exitCode).not.toBe(0);
    await db.install();
    expect(await refusal(db.install())).toBe("zoneadm: zone 'db': is already installed.");
    expect(await refusal(db.transition('halt'))).toBe("zoneadm: zone 'db': zone is already halted (exit 0)");
    await db.start();
    expect(await refusal(db.transition('boot'))).toBe("zoneadm: zone 'db': zone is already booted (exit 0)");
    expect(await refusal(db.transition('uninstall'))).toBe("zoneadm: zone 'db': uninstall operation is invalid for running zones.");
    expect(db.state).toBe('running');
    expect((await db.exec(['hostname'])).stdout).toBe('db\n');
  });

  it('refuses a limitpriv with a prohibited or unknown privilege at boot', async () => {
    const k = await boot();
    const db = await k.createCell({ ...DB, limitpriv: 'default,sys_cell' });
    await db.install();
    expect(await refusal(db.start())).toBe('zoneadm: zone \'db\': privilege "sys_cell" is not permitted within the zone\'s privilege set');
    expect(db.state).toBe('installed');
    const timed = await k.createCell({ ...DB, zonename: 'clock', zonepath: '/zones/clock', limitpriv: 'default,sys_time' });
    await timed.install();
    await timed.start();
    expect((await timed.run(async (sys) => ((await sys.cell_get()).privileges.includes('sys_time') ? 0 : 1))).exitCode).toBe(0);
  });
});
