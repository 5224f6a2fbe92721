// ipcs and ipcrm, run as built-in binaries of a booted kernel, in the host and inside cells.
import { beforeEach, describe, expect, it } from 'vitest';
import { IPC_CREAT, IPC_PRIVATE, Kernel, type Sys } from '../../src/index.js';
import { readText } from '../../src/userland/lib.js';
import { formatMode, formatTime } from '../../src/userland/ipcutils/ipcs.js';

let k: Kernel;
beforeEach(async () => {
  k = await Kernel.boot({ seed: 1 });
});

const sh = (script: string, uid?: number) => k.host.exec(['sh', '-c', script], uid === undefined ? {} : { uid, gid: uid });

/** Makes objects in the caller's namespace: a queue (key 1234, one message) and a segment (key 5678). */
async function populate(sys: Sys): Promise<void> {
  const q = await sys.msgget(1234, IPC_CREAT | 0o644);
  await sys.msgsnd(q, 1, 'hello');
  await sys.shmget(5678, 4096, IPC_CREAT | 0o600);
}

async function hostObjects(): Promise<void> {
  const r = await k.host.run(async (sys) => {
    await populate(sys);
    return 0;
  });
  expect(r.exitCode).toBe(0);
}

/** Runs `sh -c script` inside a new cell whose root is the host's, capturing its output. */
async function inCell(name: string, script: string, sysvipc: boolean, before?: (sys: Sys) => Promise<void>): Promise<{ status: number | undefined; stdout: string; stderr: string }> {
  let got: { status: number | undefined; stdout: string; stderr: string } | undefined;
  const r = await k.host.run(async (sys) => {
    await sys.cell_attach(await sys.cell_create({ name, persist: true, sysvipc }));
    await before?.(sys);
    const [outR, outW] = await sys.pipe();
    const [errR, errW] = await sys.pipe();
    const pid = await sys.spawn('/bin/sh', ['sh', '-c', script], { fds: [0, outW, errW] });
    await sys.close(outW);
    await sys.close(errW);
    const stdout = await readText(sys, outR);
    const stderr = await readText(sys, errR);
    got = { status: (await sys.wait(pid))?.exitCode ?? undefined, stdout, stderr };
    return 0;
  });
  expect(r).toMatchObject({ exitCode: 0, stderr: '' });
  return got!;
}

const EMPTY = 'Message Queues:\nT           ID          KEY MODE        OWNER    GROUP\n\nShared Memory:\nT           ID          KEY MODE        OWNER    GROUP\n\n';

describe('ipcs', () => {
  it('lists queues and segments in FreeBSD\'s format', async () => {
    await hostObjects();
    const r = await sh('ipcs');
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(r.stdout).toBe(
      'Message Queues:\n' +
        'T           ID          KEY MODE        OWNER    GROUP\n' +
        'q        65536         1234 --rw-r--r-- root     wheel\n' +
        '\n' +
        'Shared Memory:\n' +
        'T           ID          KEY MODE        OWNER    GROUP\n' +
        'm        65536         5678 --rw------- root     wheel\n' +
        '\n',
    );
  });

  it('selects a facility with -q or -m (the last wins) and a user with -u', async () => {
    await hostObjects();
    expect((await sh('ipcs -q')).stdout).toBe('Message Queues:\nT           ID          KEY MODE        OWNER    GROUP\nq        65536         1234 --rw-r--r-- root     wheel\n\n');
    expect((await sh('ipcs -q -m')).stdout).toMatch(/^Shared Memory:\n.*\nm {8}65536 {9}5678 /);
    expect((await sh('ipcs -u 1001')).stdout).toBe(EMPTY);
    expect((await sh('ipcs -m -u root')).stdout).toContain('m        65536');
    expect(await sh('ipcs -u nosuch')).toMatchObject({ exitCode: 1, stderr: 'ipcs: getpwnam failed: No such user\n' });
    expect(await sh('ipcs -x')).toMatchObject({ exitCode: 1, stderr: 'ipcs: illegal option -- x\nusage: ipcs [-abcmopqt] [-u user]\n' });
  });

  it('adds outstanding, biggest and pid columns', async () => {
    await hostObjects();
    const rows = (await sh('ipcs -obp')).stdout.split('\n');
    expect(rows[1]!.split(/\s+/)).toEqual(['T', 'ID', 'KEY', 'MODE', 'OWNER', 'GROUP', 'CBYTES', 'QNUM', 'QBYTES', 'LSPID', 'LRPID']);
    const [, , , , , , cbytes, qnum, qbytes, lspid, lrpid] = rows[2]!.split(/\s+/);
    expect([cbytes, qnum, qbytes, lrpid]).toEqual(['5', '1', '16384', '0']);
    expect(Number(lspid)).toBeGreaterThan(1);
    const shm = rows[6]!.split(/\s+/);
    expect(rows[5]!.split(/\s+/).slice(6)).toEqual(['NATTCH', 'SEGSZ', 'CPID', 'LPID']);
    expect(shm.slice(6, 8)).toEqual(['0', '4096']);
  });

  it('shows a cell only its own namespace, and empty tables without SysV IPC', async () => {
    await hostObjects();
    const own = await inCell('own', 'ipcs -q', true, async (sys) => {
      await sys.msgget(IPC_PRIVATE, 0o600);
    });
    expect(own).toMatchObject({ status: 0, stderr: '' });
    expect(own.stdout).toBe('Message Queues:\nT           ID          KEY MODE        OWNER    GROUP\nq        65536            0 --rw------- root     wheel\n\n');
    const none = await inCell('none', 'ipcs', false);
    expect(none).toEqual({ status: 0, stdout: EMPTY, stderr: '' });
  });
});

describe('ipcrm', () => {
  it('removes by id and by key, in order, and counts failures in its status', async () => {
    await hostObjects();
    const r = await sh('ipcrm -q 65536 -q 65536 -M 5678 -Q 0 -Q 77 -m 12; echo status $?; ipcs');
    expect(r.stdout).toBe('status 3\n' + EMPTY);
    expect(r.stderr).toBe(
      'ipcrm: msqid(65536): : Invalid argument\n' +
        "ipcrm: can't remove private message queues\n" +
        'ipcrm: msqs(77): : No such file or directory\n' +
        'ipcrm: shmid(12): : Invalid argument\n',
    );
  });

  it('removes everything with -W, saying so with -v', async () => {
    await hostObjects();
    const r = await sh('ipcrm -v -W; ipcs');
    expect(r.stdout).toBe('Removed message queue 65536\nRemoved shared memory segment 65536\n' + EMPTY);
  });

  it('is refused another user\'s objects (EPERM)', async () => {
    await hostObjects();
    const r = await sh('ipcrm -q 65536 -M 5678', 1001);
    expect(r).toMatchObject({ exitCode: 2, stderr: 'ipcrm: msqid(65536): : Operation not permitted\nipcrm: shms(5678): : Operation not permitted\n' });
    expect((await sh('ipcs')).stdout).toContain('q        65536');
  });

  it('reports SysV IPC as not configured in a cell without it, and semaphores everywhere', async () => {
    const r = await inCell('none', 'ipcrm -q 65536 -M 5678 -s 1', false);
    expect(r).toEqual({
      status: 3,
      stdout: '',
      stderr:
        'ipcrm: message queues are not configured in the running kernel\n' +
        'ipcrm: shared memory segments are not configured in the running kernel\n' +
        'ipcrm: semaphores are not configured in the running kernel\n',
    });
  });

  it('rejects unknown options and stray arguments with the usage', async () => {
    const usage = 'usage: ipcrm [-W] [-v[v]]\n             [-q msqid] [-m shmid] [-s semid]\n             [-Q msgkey] [-M shmkey] [-S semkey] ...\n';
    expect(await sh('ipcrm -z')).toMatchObject({ exitCode: 1, stderr: `ipcrm: illegal option -- z\nunrecognized option: -z\n${usage}` });
    expect(await sh('ipcrm extra')).toMatchObject({ exitCode: 1, stderr: `unknown argument: extra\n${usage}` });
  });
});

describe('ipcs formatting', () => {
  it('shows modes as FreeBSD\'s fmt_perm and times as cvt_time', () => {
    expect(formatMode(0o640)).toBe('--rw-r-----');
    expect(formatMode(0o777)).toBe('--rwarwarwa');
    expect(formatTime(0)).toBe('no-entry');
    expect(formatTime((3600 + 2 * 60 + 3) * 1000)).toBe(' 1:02:03');
  });
});
