// Test setup: finds tshark (Wireshark's CLI, the real parser pcap files are checked with), and
// installs it from the Debian packages when it is missing and we are root. Never skips: when
// tshark cannot be had, ensureTshark throws, and the tests that need it fail saying why.
import { spawnSync } from 'node:child_process';

const INSTALL_TIMEOUT_MS = 15 * 60 * 1000;

let found: string | undefined;

function lookup(): string | undefined {
  const r = spawnSync('/bin/sh', ['-c', 'command -v tshark'], { encoding: 'utf8' });
  const path = r.status === 0 ? r.stdout.trim() : '';
  return path === '' ? undefined : path;
}

function run(argv: readonly string[]): void {
  const r = spawnSync(argv[0]!, argv.slice(1), {
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.error !== undefined || r.status !== 0) {
    const why = r.error?.message ?? `exit ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').slice(-5).join('\n')}`;
    throw new Error(`ensureTshark: \`${argv.join(' ')}\` failed (${why})`);
  }
}

/** The path of tshark, installed first (apt-get, as root) when missing. Throws when it cannot be. */
export function ensureTshark(): string {
  found ??= lookup();
  if (found !== undefined) return found;
  if (process.getuid?.() !== 0) {
    throw new Error('ensureTshark: tshark is not installed and this is not root, so it cannot be installed here; '
      + 'install it (apt-get install tshark) and run the tests again');
  }
  if (spawnSync('/bin/sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status !== 0) {
    throw new Error('ensureTshark: tshark is not installed and there is no apt-get to install it with; '
      + 'install Wireshark\'s tshark and run the tests again');
  }
  // Test files run in parallel workers: one install at a time (flock), and a worker that waited
  // finds tshark there already.
  const install = 'command -v tshark >/dev/null || { apt-get update && apt-get install -y --no-install-recommends tshark; }';
  run(['flock', '/tmp/cellblock-tshark-install.lock', '/bin/sh', '-c', install]);
  found = lookup();
  if (found === undefined) throw new Error('ensureTshark: apt-get installed tshark but it is not on PATH');
  return found;
}
