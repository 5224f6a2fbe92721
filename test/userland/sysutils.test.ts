// The system utilities, run as built-in binaries of a booted kernel through the public API.
import { beforeEach, describe, expect, it } from 'vitest';
import { Kernel } from '../../src/index.js';
import type { Sys } from '../../src/kernel/abi.js';
import { readText } from '../../src/userland/lib.js';
import { readProcesses } from '../../src/userland/sysutils/procfs.js';

type Booted = Awaited<ReturnType<typeof Kernel.boot>>;

let k: Booted;
beforeEach(async () => {
  k = await Kernel.boot({ seed: 1 });
});

const sh = (script: string) => k.host.exec(['sh', '-c', script]);

interface Captured {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns `path argv` from a program and captures its output through two pipes. */
async function capture(sys: Sys, path: string, argv: readonly string[]): Promise<Captured> {
  const [outR, outW] = await sys.pipe();
  const [errR, errW] = await sys.pipe();
  const pid = await sys.spawn(path, argv, { fds: [0, outW, errW] });
  await sys.close(outW);
  await sys.close(errW);
  const stdout = await readText(sys, outR);
  const stderr = await readText(sys, errR);
  const result = await sys.wait(pid);
  return { status: result?.exitCode ?? null, stdout, stderr };
}

/** Runs a binary as user 1001 (group 1001), as a login would after setgroups/setgid/setuid. */
async function asUser(path: string, argv: readonly string[]): Promise<Captured> {
  let got: Captured | undefined;
  await k.host.run(
    async (sys) => {
      await sys.setgroups([1001]);
      await sys.setgid(1001);
      await sys.setuid(1001);
      got = await capture(sys, path, argv);
      return 0;
    },
    ['login'],
  );
  return got!;
}

/** Splits ps output into rows of cells (header included). */
const table = (out: string): string[][] => out.trimEnd().split('\n').map((l) => l.trim().split(/\s+/));

describe('ps', () => {
  it('shows itself with its parent shell as PPID', async () => {
    const r = await sh('ps -o pid,ppid,comm; true');
    expect(r.exitCode).toBe(0);
    const rows = table(r.stdout);
    expect(rows[0]).toEqual(['PID', 'PPID', 'COMMAND']);
    const self = rows.find((row) => row[2] === 'ps');
    expect(self).toBeDefined();
    const parent = rows.find((row) => row[0] === self![1]);
    expect(parent?.[2]).toBe('sh');
    const pids = rows.slice(1).map((row) => Number(row[0]));
    expect(pids).toEqual([...pids].sort((a, b) => a - b));
  });

  it('prints the FreeBSD default format', async () => {
    const r = await k.host.exec(['ps']);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('  PID TT  STAT    TIME COMMAND');
    expect(lines.find((l) => l.endsWith(' ps'))).toMatch(/^ +\d+ - {3}R +\d+:\d\d\.\d\d ps$/);
  });

  it('takes several -o lists, renamed headers and -Z', async () => {
    const r = await k.host.exec(['ps', '-Z', '-o', 'pid', '-o', 'user,cell,jail']);
    const rows = table(r.stdout);
    expect(r.stdout.split('\n')[0]).toMatch(/^ {4}ZONE +PID USER +CELL +JAIL$/);
    expect(rows.find((row) => row[2] === 'root')).toEqual(['global', expect.stringMatching(/^\d+$/), 'root', 'host', '-']);

    const bare = await k.host.exec(['ps', '-o', 'pid=', '-o', 'args=']);
    expect(bare.stdout).toMatch(/^ *\d+ ps -o pid= -o args=$/m);
    expect(bare.stdout).not.toMatch(/PID/);

    expect((await k.host.exec(['ps', '-p', '1', '-o', 'pid=', '-o', 'comm='])).stdout).toBe('    1 init\n');
    const none = await k.host.exec(['ps', '-p', '99999']);
    expect(none.exitCode).toBe(1);
    expect(none.stdout).toBe('  PID TT  STAT    TIME COMMAND\n');

    const bad = await k.host.exec(['ps', '-o', 'pid,bogus']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toBe('ps: bogus: keyword not found\n');
  });

  it('shows only the caller\'s uid by default, everyone with -e', async () => {
    let mine: Captured | undefined;
    let all: Captured | undefined;
    await k.host.run(async (sys) => {
      // A root process that stays behind, for ps -e to show and plain ps to hide.
      await sys.spawn('/bin/sleep', ['sleep', '100']);
      await sys.setuid(1001);
      mine = await capture(sys, '/bin/ps', ['ps', '-o', 'uid,comm']);
      all = await capture(sys, '/bin/ps', ['ps', '-e', '-o', 'uid,comm']);
      return 0;
    }, ['probe']);
    const uids = table(mine!.stdout).slice(1).map((row) => row[0]);
    expect(uids).toContain('1001');
    expect(new Set(uids)).toEqual(new Set(['1001']));
    expect(table(all!.stdout)).toContainEqual(['0', 'sleep']);
  });

  it('skips a process that exits between readdir and read', async () => {
    let pids: number[] = [];
    await k.host.run(async (sys) => {
      // readdir reports a pid that is gone by the time its status is read.
      const racy: Sys = { ...sys, readdir: async (path) => [...(await sys.readdir(path)), { name: '4242', ino: 0, type: 'dir' }] };
      pids = (await readProcesses(racy)).map((p) => p.pid);
      return 0;
    }, ['probe']);
    expect(pids.length).toBeGreaterThan(0);
    expect(pids).not.toContain(4242);
  });
});

describe('kill', () => {
  it('terminates a sleeping background job with SIGTERM (status 143)', async () => {
    const r = await sh('sleep 100 & kill $!; wait $!');
    expect(r.exitCode).toBe(143);
  });

  it('takes -s NAME, -NAME and -N', async () => {
    expect((await sh('sleep 100 & kill -s KILL $!; wait $!')).exitCode).toBe(137);
    expect((await sh('sleep 100 & kill -INT $!; wait $!')).exitCode).toBe(130);
    expect((await sh('sleep 100 & kill -1 $!; wait $!')).exitCode).toBe(129);
  });

  it('reports a missing process', async () => {
    const r = await k.host.exec(['kill', '99999']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('kill: 99999: No such process\n');
  });

  it('lists signal names', async () => {
    expect((await k.host.exec(['kill', '-l'])).stdout).toBe('HUP INT QUIT KILL USR1 USR2 PIPE ALRM TERM CHLD CONT STOP TSTP\n');
    expect((await k.host.exec(['kill', '-l', '143'])).stdout).toBe('TERM\n');
    const bad = await k.host.exec(['kill', '-FOO', '1']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^kill: unknown signal FOO; valid signals:/);
  });
});

describe('hostname and uname', () => {
  it('gets and sets the hostname', async () => {
    const r = await sh('hostname; hostname jail1.example.org; hostname; hostname -s; uname -n');
    expect(r.stdout).toBe('localhost\njail1.example.org\njail1\njail1.example.org\n');
  });

  it('refuses to set it for an unprivileged user', async () => {
    const r = await asUser('/bin/hostname', ['hostname', 'evil']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('hostname: sethostname: Operation not permitted\n');
    expect((await k.host.exec(['hostname'])).stdout).toBe('localhost\n');
  });

  it('prints uname fields in order', async () => {
    const all = await k.host.exec(['uname', '-a']);
    const u = all.stdout.trimEnd().split(' ');
    expect(u.length).toBeGreaterThanOrEqual(5);
    expect(u[1]).toBe('localhost');
    const field = async (flag: string): Promise<string> => (await k.host.exec(['uname', flag])).stdout.trimEnd();
    const s = await field('-s');
    const n = await field('-n');
    const m = await field('-m');
    expect(all.stdout.startsWith(`${s} ${n} `)).toBe(true);
    expect(all.stdout.endsWith(` ${m}\n`)).toBe(true);
    expect((await k.host.exec(['uname'])).stdout).toBe(`${s}\n`);
    expect((await k.host.exec(['uname', '-sn'])).stdout).toBe(`${s} ${n}\n`);
  });
});

describe('id and whoami', () => {
  it('names root', async () => {
    const r = await k.host.exec(['id']);
    expect(r.stdout).toMatch(/^uid=0\(root\) gid=0\(wheel\) groups=0\(wheel\)(,\d+\(\w+\))*\n$/);
    expect((await k.host.exec(['id', '-un'])).stdout).toBe('root\n');
    expect((await k.host.exec(['id', '-g'])).stdout).toBe('0\n');
    expect((await k.host.exec(['whoami'])).stdout).toBe('root\n');
  });

  it('names a user after setuid', async () => {
    expect((await asUser('/bin/id', ['id'])).stdout).toBe('uid=1001(user) gid=1001(user) groups=1001(user)\n');
    expect((await asUser('/bin/whoami', ['whoami'])).stdout).toBe('user\n');
  });

  it('looks a user up by name', async () => {
    expect((await k.host.exec(['id', 'operator'])).stdout).toBe('uid=2(operator) gid=5(operator) groups=5(operator)\n');
    const r = await k.host.exec(['id', 'nosuch']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('id: nosuch: no such user\n');
  });
});

describe('time', () => {
  it('sleep advances the virtual clock', async () => {
    let elapsed = 0;
    await k.host.run(async (sys) => {
      const before = await sys.time();
      await sys.wait(await sys.spawn('/bin/sleep', ['sleep', '2.5']));
      elapsed = (await sys.time()) - before;
      return 0;
    }, ['probe']);
    expect(elapsed).toBeGreaterThanOrEqual(2500);
    expect(elapsed).toBeLessThan(2600);
  });

  it('spin uses the CPU time it is asked for', async () => {
    let elapsed = 0;
    await k.host.run(async (sys) => {
      const before = await sys.time();
      const pid = await sys.spawn('/bin/spin', ['spin', '300']);
      await sys.wait(pid);
      elapsed = (await sys.time()) - before;
      return 0;
    }, ['probe']);
    expect(elapsed).toBeGreaterThanOrEqual(300);
  });

  it('ps reports the ticks a spinning process used', async () => {
    const spin = await sh('spin & sleep 3; ps -o time,comm; kill $!');
    const row = table(spin.stdout).find((cells) => cells[1] === 'spin');
    expect(row?.[0]).toMatch(/^0:0[1-3]\.\d\d$/);
  });
});

describe('filesystems', () => {
  it('df lists the root filesystem', async () => {
    const r = await k.host.exec(['df']);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Filesystem +1K-blocks +Used +Avail Capacity {2}Mounted on$/);
    expect(lines.some((l) => / +\d+ +\d+ +\d+ +\d+% {4}\/$/.test(l))).toBe(true);
    const one = await k.host.exec(['df', '/bin/sh']);
    expect(one.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(one.stdout).toMatch(/ \/\n$/);
    const missing = await k.host.exec(['df', '/nonexistent']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toBe('df: /nonexistent: No such file or directory\n');
  });

  it('mount lists, mounts and unmounts', async () => {
    const listed = await k.host.exec(['mount']);
    expect(listed.stdout).toMatch(/^\S+ on \/ \(\w+\)$/m);
    const r = await sh('mkdir /tmp/m && mount -t memfs scratch /tmp/m && mount && umount /tmp/m && mount');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.match(/^scratch on \/tmp\/m \(memfs\)$/gm)).toHaveLength(1);
    const denied = await asUser('/bin/mount', ['mount', '-t', 'memfs', 'x', '/tmp']);
    expect(denied.status).toBe(1);
    expect(denied.stderr).toBe('mount: /tmp: Operation not permitted\n');
  });

  it('chroot runs a command inside the new root', async () => {
    const r = await sh('mkdir -p /tmp/r/bin && cp /bin/sh /bin/ls /tmp/r/bin && chroot /tmp/r /bin/ls /');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('bin\n');
    expect(r.exitCode).toBe(0);
    // The working directory moves into the new root too.
    expect((await sh('cd /tmp/r/bin && chroot /tmp/r /bin/ls')).stdout).toBe('bin\n');

    const missing = await sh('mkdir -p /tmp/r/bin && cp /bin/ls /tmp/r/bin && chroot /tmp/r cat /etc/passwd');
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toBe('chroot: cat: No such file or directory\n');

    const bad = await k.host.exec(['chroot', '/nonexistent', '/bin/ls']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toBe('chroot: /nonexistent: No such file or directory\n');
  });

  it('chroot passes the command\'s exit status through', async () => {
    const r = await sh('mkdir -p /tmp/r/bin && cp /bin/sh /bin/false /tmp/r/bin && chroot /tmp/r /bin/false');
    expect(r.exitCode).toBe(1);
  });
});
