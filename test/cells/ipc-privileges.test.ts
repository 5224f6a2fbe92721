/**
 * SysV IPC permission overrides are Solaris's ipc_dac_read, ipc_dac_write and ipc_owner, not the
 * file DAC privileges: a cell's root holding only the file ones cannot read or remove another
 * user's queue; the jail and zone default sets grant the IPC ones.
 */
import { describe, expect, it } from 'vitest';
import { IPC_CREAT, IPC_PRIVATE, IPC_RMID, IPC_STAT, type Kernel } from '../../src/index.js';
import { PRIVILEGES } from '../../src/kernel/privileges.js';
import { SYSCALL_BY_NAME } from '../../src/kernel/syscall-table.js';
import { JAIL_BASE_PRIVILEGES } from '../../src/cells/jail-params.js';
import { ZONE_DEFAULT } from '../../src/cells/zone-privileges.js';
import { DEFAULT_CELL_PRIVILEGES } from '../../src/cells/calls.js';
import { boot, errnoOf } from '../kernel/helpers.js';
import { cellWith } from './helpers.js';

const IPC = ['ipc_dac_read', 'ipc_dac_write', 'ipc_owner'];
const FILE = ['file_dac_read', 'file_dac_write', 'file_owner'];

/** A cell with its own SysV IPC whose root holds `privileges`; a user's private queue in it (mode 0600). */
async function setup(k: Kernel, name: string, privileges: string[]): Promise<{ root: (what: 'stat' | 'rmid') => Promise<string> }> {
  const cell = await cellWith(k, name, {}, { params: { sysvipc: true, privileges } });
  let id = -1;
  const user = await cell.run(async (sys) => {
    id = await sys.msgget(IPC_PRIVATE, IPC_CREAT | 0o600);
    return 0;
  }, ['owner'], { uid: 1001, gid: 1001 });
  expect(user.exitCode).toBe(0);
  return {
    root: async (what) => {
      let code = '';
      await cell.run(async (sys) => {
        code = await errnoOf(sys.msgctl(id, what === 'stat' ? IPC_STAT : IPC_RMID));
        return 0;
      });
      return code;
    },
  };
}

describe('IPC privileges', () => {
  it('are rows of the privilege table, and the IPC rows check them instead of the file ones', () => {
    for (const name of IPC) expect(Object.keys(PRIVILEGES)).toContain(name);
    for (const call of ['msgget', 'msgsnd', 'msgrcv', 'msgctl', 'shmget', 'shmctl', 'shmread', 'shmwrite']) {
      const checks = SYSCALL_BY_NAME.get(call)!.checks;
      expect(checks.length, call).toBeGreaterThan(0);
      for (const privilege of checks) expect(IPC, call).toContain(privilege);
    }
  });

  it('override the mode bits for root in a cell only when it holds them', async () => {
    const k = await boot();
    const fileOnly = await setup(k, 'fileonly', FILE);
    expect(await fileOnly.root('stat')).toBe('EACCES');
    expect(await fileOnly.root('rmid')).toBe('EPERM');
    const ipc = await setup(k, 'ipc', IPC);
    expect(await ipc.root('stat')).toBe('OK');
    expect(await ipc.root('rmid')).toBe('OK');
  });

  it('are granted by the jail and zone default sets, as the file DAC ones are', () => {
    for (const set of [JAIL_BASE_PRIVILEGES, ZONE_DEFAULT, DEFAULT_CELL_PRIVILEGES]) {
      for (const name of IPC) expect(set).toContain(name);
    }
  });
});
