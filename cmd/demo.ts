/**
 * `cellblock demo` (npm start): a short tour of the kernel in the host cell. The cells issue
 * replaces it with the demo scenario of jails and zones.
 */
import type { Writable } from 'node:stream';
import { Kernel } from '../src/index.js';

const STEPS: readonly [title: string, command: string][] = [
  ['files, pipes and the shell', 'mkdir -p /tmp/demo && echo "hello from cellblock" > /tmp/demo/greeting && cat /tmp/demo/greeting | wc -c'],
  ['who and where', 'id; hostname; uname -a'],
  ['processes: two CPU-bound spinners share one CPU fairly', 'spin 200 & spin 200 & ps -o pid,ppid,stat,time,comm; wait'],
  ['a chroot jail: only what lies below the new root is visible', 'mkdir -p /tmp/jail/bin && cp /bin/sh /bin/ls /bin/cat /tmp/jail/bin && chroot /tmp/jail /bin/sh -c "cd ../../..; ls /; cat /etc/passwd"'],
  ['signals: a background sleeper killed with SIGTERM reports status 143', 'sleep 100 & kill $!; wait $!; echo "status $?"'],
  ['procfs shows the caller its own process', 'cat /proc/self/status | head -n 4'],
];

export async function runDemo(out: Writable): Promise<number> {
  const k = await Kernel.boot({ seed: 1 });
  let failed = 0;
  for (const [title, command] of STEPS) {
    out.write(`\n# ${title}\nhost# ${command}\n`);
    const r = await k.host.exec(['sh', '-c', command]);
    out.write(r.stdout + r.stderr);
    out.write(`[exit ${r.exitCode}, virtual time ${k.now} ticks]\n`);
    if (r.exitCode !== 0 && !command.includes('chroot')) failed++;
  }
  return failed === 0 ? 0 : 1;
}
