/**
 * Processes: zombies until waited, orphans reparented to init, signals with default actions,
 * credentials and mode bits, pipes with backpressure and EPIPE.
 */
import { describe, expect, it } from 'vitest';
import { O_CREAT, O_RDONLY, O_WRONLY, SIGNALS, WNOHANG } from '../../src/index.js';
import { PIPE_BUF_SIZE } from '../../src/ipc/pipe.js';
import { boot, errnoOf, probe, sh, text } from './helpers.js';
import { readFile } from '../../src/userland/lib.js';

describe('process lifecycle', () => {
  it('keeps an exited child as a zombie until its parent waits', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      const child = await sys.spawn('/bin/sh', ['sh', '-c', 'exit 7']);
      await sys.sleep(50);
      expect(await readFile(sys, `/proc/${child}/status`)).toContain('State:\tZ (zombie)');
      expect(await sys.wait(child)).toEqual({ pid: child, exitCode: 7, signal: null });
      expect(await errnoOf(sys.stat(`/proc/${child}`))).toBe('ENOENT');
      expect(await errnoOf(sys.wait())).toBe('ECHILD');
    });
  });

  it('returns null from WNOHANG while the child runs', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      const child = await sys.spawn('/bin/sleep', ['sleep', '1']);
      expect(await sys.wait(child, WNOHANG)).toBeNull();
      expect(await sys.wait(child)).toMatchObject({ pid: child, exitCode: 0 });
    });
  });

  it('reparents orphans to init, which reaps them', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      const [r, w] = await sys.pipe();
      const parent = await sys.spawn('/bin/sh', ['sh', '-c', 'sleep 1 & echo $!'], { fds: [0, w, 2] });
      await sys.close(w);
      const orphan = Number(text(await sys.read(r)).trim());
      await sys.wait(parent);
      expect(await readFile(sys, `/proc/${orphan}/status`)).toContain('PPid:\t1');
      await sys.sleep(2000);
      expect(await errnoOf(sys.stat(`/proc/${orphan}`))).toBe('ENOENT');
    });
  });

  it('applies default actions: SIGTERM ends, SIGSTOP stops, SIGCONT continues', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      const spinner = await sys.spawn('/bin/spin', ['spin', '400']);
      await sys.sleep(20);
      await sys.kill(spinner, 'SIGSTOP');
      const ticks = async (): Promise<string> => /Ticks:\t(\d+)/.exec(await readFile(sys, `/proc/${spinner}/status`))![1]!;
      const stoppedAt = await ticks();
      expect(await readFile(sys, `/proc/${spinner}/status`)).toContain('State:\tT (stopped)');
      await sys.sleep(500);
      expect(await ticks()).toBe(stoppedAt);
      await sys.kill(spinner, 'SIGCONT');
      expect(await sys.wait(spinner)).toMatchObject({ exitCode: 0 });
      const sleeper = await sys.spawn('/bin/sleep', ['sleep', '100']);
      await sys.kill(sleeper, SIGNALS.SIGTERM);
      expect(await sys.wait(sleeper)).toEqual({ pid: sleeper, exitCode: null, signal: 15 });
      expect(await errnoOf(sys.kill(99999, 'SIGTERM'))).toBe('ESRCH');
    });
  });

  it('ends a writer whose pipe has no reader with EPIPE and SIGPIPE', async () => {
    const k = await boot();
    let status: unknown;
    let code = '';
    await probe(k, async (sys) => {
      const [r, w] = await sys.pipe();
      await sys.close(r);
      const child = await sys.spawn('/bin/echo', ['echo', 'into the void'], { fds: [0, w, 2] });
      await sys.close(w);
      status = await sys.wait(child);
    });
    expect(status).toMatchObject({ signal: SIGNALS.SIGPIPE, exitCode: null });
    const r = await k.host.run(async (sys) => {
      const [rd, w] = await sys.pipe();
      await sys.close(rd);
      code = await errnoOf(sys.write(w, 'x'));
      return 0;
    });
    expect(code).toBe(''); // never assigned: SIGPIPE killed the writer inside write()
    expect(r.exitCode).toBe(128 + SIGNALS.SIGPIPE);
  });

  it('blocks a writer on a full 64 KiB pipe until the reader drains it', async () => {
    const k = await boot();
    const events: string[] = [];
    await probe(k, async (sys) => {
      const [r, w] = await sys.pipe();
      const writer = await sys.spawn('/bin/dd', ['dd', 'if=/dev/zero', 'bs=1k', `count=${(PIPE_BUF_SIZE / 1024) * 3}`], { fds: [0, w, null] });
      await sys.close(w);
      await sys.sleep(2000);
      events.push(`buffered ${(await sys.fstat(r)).size}`);
      let total = 0;
      for (;;) {
        const chunk = await sys.read(r, 65536);
        if (chunk.length === 0) break;
        total += chunk.length;
      }
      events.push(`read ${total}`);
      await sys.wait(writer);
    });
    expect(events).toEqual([`buffered ${PIPE_BUF_SIZE}`, `read ${PIPE_BUF_SIZE * 3}`]);
  });
});

describe('credentials and mode bits', () => {
  it('checks owner, group and other bits; root bypasses read and write', async () => {
    const k = await boot();
    await probe(k, async (sys) => {
      const fd = await sys.open('/tmp/private', O_CREAT | O_WRONLY, 0o600);
      await sys.write(fd, 'secret');
      await sys.close(fd);
      await sys.chmod('/tmp/private', 0o000);
      expect(text(await sys.read(await sys.open('/tmp/private', O_RDONLY)))).toBe('secret'); // root
      await sys.mkdir('/tmp/closed', 0o700);
      await sys.chmod('/tmp/private', 0o640);
      await sys.chown('/tmp/private', 0, 1001);
      await sys.setgid(1001);
      await sys.setuid(1001);
      expect(await sys.getuid()).toBe(1001);
      expect(text(await sys.read(await sys.open('/tmp/private', O_RDONLY)))).toBe('secret'); // group read
      expect(await errnoOf(sys.open('/tmp/private', O_WRONLY))).toBe('EACCES'); // no group write
      expect(await errnoOf(sys.readdir('/tmp/closed'))).toBe('EACCES');
      expect(await errnoOf(sys.stat('/tmp/closed/x'))).toBe('EACCES');
      expect(await errnoOf(sys.open('/etc/newfile', O_CREAT | O_WRONLY))).toBe('EACCES');
      expect(await errnoOf(sys.chmod('/tmp/private', 0o777))).toBe('EPERM');
      expect(await errnoOf(sys.setuid(0))).toBe('EPERM');
      expect(await errnoOf(sys.sethostname('evil'))).toBe('EPERM');
      expect(await errnoOf(sys.mount('x', '/tmp', 'memfs'))).toBe('EPERM');
    });
  });

  it('lets the shell report EACCES like a shell', async () => {
    const k = await boot();
    const r = await k.host.exec(['sh', '-c', 'echo hi > /tmp/f; cat /tmp/f; cat /root/nope'], { uid: 1001, gid: 1001 });
    expect(r.stdout).toBe('hi\n');
    expect(r.stderr).toContain('cat: /root/nope: Permission denied');
    expect(r.exitCode).toBe(1);
  });
});

describe('the host cell', () => {
  it('runs the issue\'s example through the shell', async () => {
    const k = await boot();
    const r = await sh(k, 'mkdir -p /tmp/a && echo hi > /tmp/a/f && cat /tmp/a/f');
    expect(r).toMatchObject({ exitCode: 0, stdout: 'hi\n', stderr: '' });
    const missing = await sh(k, 'nosuch');
    expect(missing).toMatchObject({ exitCode: 127, stderr: 'sh: nosuch: not found\n' });
  });

  it('sets the hostname of the host UTS namespace', async () => {
    const k = await boot();
    const r = await sh(k, 'hostname box.example.org; hostname; uname -n');
    expect(r.stdout).toBe('box.example.org\nbox.example.org\n');
  });
});
