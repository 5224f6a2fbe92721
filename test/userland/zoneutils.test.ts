// zoneadm and zlogin as built-in binaries of a booted kernel: list formats, the zone lifecycle
// and every refusal in zoneadm's words, zlogin into a zone, and both tools seen from inside one.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Kernel } from '../../src/index.js';
import type { ManagedCell } from '../../src/cells/managed.js';
import { DB, WWW } from '../cells/helpers.js';
import { boot } from '../kernel/helpers.js';

let k: Kernel;
let db: ManagedCell;
beforeEach(async () => {
  k = await boot();
  db = await k.createCell(DB);
});

const run = (argv: string[], options: Parameters<Kernel['host']['exec']>[1] = {}) => k.host.exec(argv, options);
const zoneadm = (...args: string[]) => run(['zoneadm', ...args]);
const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: '' });
const refused = (stderr: string, exitCode = 1) => ({ exitCode, stdout: '', stderr: `${stderr}\n` });

const HEADER = '  ID NAME             STATUS     PATH                           BRAND    IP    \n';
const GLOBAL_ROW = '   0 global           running    /                              native   shared\n';
const dbRow = (id: string, state: string) => `${id.padStart(4)} db               ${state.padEnd(10)} /zones/db                      native   shared\n`;

describe('zoneadm list', () => {
  it('lists the kernel zones by default, adds installed ones with -i and every one with -c', async () => {
    await k.createCell({ ...DB, zonename: 'web', zonepath: '/zones/web' });
    await k.createCell(WWW); // a jail: in the registry, never in zoneadm's lists
    expect(await zoneadm('list')).toMatchObject(ok('global\n'));
    expect(await zoneadm('list', '-c')).toMatchObject(ok('global\ndb\nweb\n'));
    await zoneadm('-z', 'db', 'install');
    expect(await zoneadm('list', '-i')).toMatchObject(ok('global\ndb\n'));
    expect(await zoneadm('list', '-ci')).toMatchObject(ok('global\ndb\nweb\n'));
    await zoneadm('-z', 'web', 'install');
    await zoneadm('-z', 'web', 'boot');
    // Kernel zones come first, then the rest in configuration order.
    expect(await zoneadm('list')).toMatchObject(ok('global\nweb\n'));
    expect(await zoneadm('list', '-i')).toMatchObject(ok('global\nweb\ndb\n'));
  });

  it('-v prints the header and padded rows, ID "-" out of the kernel; -p the parsable lines', async () => {
    expect(await zoneadm('list', '-cv')).toMatchObject(ok(HEADER + GLOBAL_ROW + dbRow('-', 'configured')));
    expect(await zoneadm('list', '-cp')).toMatchObject(ok('0:global:running:/::native:shared\n-:db:configured:/zones/db::native:shared\n'));
    await db.bringUp();
    expect(await zoneadm('list', '-v')).toMatchObject(ok(HEADER + GLOBAL_ROW + dbRow(String(db.id), 'running')));
    expect(await zoneadm('list', '-p')).toMatchObject(ok(`0:global:running:/::native:shared\n${db.id}:db:running:/zones/db::native:shared\n`));
  });

  it('escapes a colon in the zonepath of -p output', async () => {
    await k.createCell({ ...DB, zonename: 'odd', zonepath: '/zones/a:b' });
    expect((await zoneadm('-z', 'odd', 'list', '-p')).stdout).toBe('-:odd:configured:/zones/a\\:b::native:shared\n');
  });

  it('-z lists one zone whatever its state, and the global zone by name', async () => {
    expect(await zoneadm('-z', 'db', 'list')).toMatchObject(ok('db\n'));
    expect(await zoneadm('-z', 'db', 'list', '-v')).toMatchObject(ok(HEADER + dbRow('-', 'configured')));
    expect(await zoneadm('-z', 'global', 'list', '-p')).toMatchObject(ok('0:global:running:/::native:shared\n'));
    expect(await zoneadm('-z', 'nope', 'list')).toMatchObject(refused('zoneadm: nope: No such zone configured'));
    expect(await zoneadm('-z', 'www', 'list')).toMatchObject(refused('zoneadm: www: No such zone configured'));
  });

  it('refuses -p with -v, and -c or -i with -z, as zoneadm does', async () => {
    expect(await zoneadm('list', '-pv')).toMatchObject(refused('zoneadm: list -p and -v are mutually exclusive.'));
    const r = await zoneadm('-z', 'db', 'list', '-c');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^zoneadm: illegal option -- c\nusage:\tlist \[-cipv\]\n\tLists the current zones/);
  });

  it('works for an unprivileged user too', async () => {
    expect(await run(['zoneadm', 'list', '-c'], { uid: 1001 })).toMatchObject(ok('global\ndb\n'));
  });
});

describe('zoneadm usage', () => {
  it('a missing or unknown subcommand prints the usage on stderr, status 2', async () => {
    for (const argv of [[], ['bogus'], ['-z', 'db']]) {
      const r = await zoneadm(...argv);
      expect(r).toMatchObject({ exitCode: 2, stdout: '' });
      expect(r.stderr).toBe(
        'usage:\tzoneadm help\n\tzoneadm [-z <zone>] list\n\tzoneadm -z <zone> <subcommand>\n\nSubcommands:\n\n' +
          'help\nboot\nhalt\nready\nreboot\nlist [-cipv]\ninstall\nuninstall [-F]\n\n',
      );
    }
  });

  it('help prints every subcommand with its long help on stdout; help CMD that one', async () => {
    const r = await zoneadm('help');
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(r.stdout).toContain('uninstall [-F]\n\tUninstall the configuration from the system.  The -F flag can be used\n\tto force the action.\n\n');
    expect(await zoneadm('help', 'boot')).toMatchObject({ exitCode: 0, stdout: '', stderr: 'usage:\tboot\n\tActivates (boots) specified zone.\n' });
  });

  it('an operand a subcommand does not take is a usage error', async () => {
    expect(await zoneadm('-z', 'db', 'install', 'now')).toMatchObject(refused('usage:\tinstall\n\tInstall the configuration on to the system.', 2));
  });
});

describe('zoneadm state changes', () => {
  const state = async () => (await zoneadm('-z', 'db', 'list', '-p')).stdout.split(':')[2];

  it('install, ready, boot, halt and uninstall -F walk the lifecycle and print nothing', async () => {
    expect(await zoneadm('-z', 'db', 'install')).toMatchObject(ok(''));
    expect(await state()).toBe('installed');
    expect(await run(['ls', '/zones/db/root/bin/sh'])).toMatchObject(ok('/zones/db/root/bin/sh\n'));
    expect(await zoneadm('-z', 'db', 'ready')).toMatchObject(ok(''));
    expect(await state()).toBe('ready');
    expect((await zoneadm('list')).stdout).toBe('global\ndb\n');
    expect(await zoneadm('-z', 'db', 'boot')).toMatchObject(ok(''));
    expect(await state()).toBe('running');
    expect(await zoneadm('-z', 'db', 'halt')).toMatchObject(ok(''));
    expect(await state()).toBe('installed');
    expect(await zoneadm('-z', 'db', 'uninstall', '-F')).toMatchObject(ok(''));
    expect(await state()).toBe('configured');
    expect((await run(['ls', '/zones/db/root'])).exitCode).not.toBe(0);
  });

  it('refuses illegal transitions in zoneadm words, with status 1, changing nothing', async () => {
    expect(await zoneadm('-z', 'db', 'boot')).toMatchObject(refused("zoneadm: zone 'db': must be installed before boot."));
    expect(await zoneadm('-z', 'db', 'uninstall', '-F')).toMatchObject(refused("zoneadm: zone 'db': is already in state 'configured'."));
    expect(await zoneadm('-z', 'db', 'halt')).toMatchObject(refused("zoneadm: zone 'db': cannot manage a zone which is in state 'configured'"));
    expect(await state()).toBe('configured');
    await zoneadm('-z', 'db', 'install');
    expect(await zoneadm('-z', 'db', 'install')).toMatchObject(refused("zoneadm: zone 'db': is already installed."));
    expect(await zoneadm('-z', 'db', 'reboot')).toMatchObject(refused("zoneadm: zone 'db': not running"));
    await zoneadm('-z', 'db', 'boot');
    expect(await zoneadm('-z', 'db', 'uninstall', '-F')).toMatchObject(refused("zoneadm: zone 'db': uninstall operation is invalid for running zones."));
    expect(await zoneadm('-z', 'db', 'install')).toMatchObject(refused("zoneadm: zone 'db': install operation is invalid for running zones."));
    expect(await state()).toBe('running');
  });

  it('reports what is already so on stderr with status 0', async () => {
    await db.bringUp();
    expect(await zoneadm('-z', 'db', 'boot')).toMatchObject({ exitCode: 0, stdout: '', stderr: "zoneadm: zone 'db': zone is already booted\n" });
    await zoneadm('-z', 'db', 'halt');
    expect(await zoneadm('-z', 'db', 'halt')).toMatchObject({ exitCode: 0, stdout: '', stderr: "zoneadm: zone 'db': zone is already halted\n" });
  });

  it('refuses the global zone, a missing -z, an unknown zone and a jail', async () => {
    expect(await zoneadm('-z', 'global', 'boot')).toMatchObject(refused("zoneadm: zone 'global': boot operation is invalid for the global zone."));
    expect(await zoneadm('boot')).toMatchObject(refused('zoneadm: no zone specified'));
    expect(await zoneadm('-z', 'nope', 'boot')).toMatchObject(refused('zoneadm: nope: No such zone configured'));
    await k.createCell(WWW);
    expect(await zoneadm('-z', 'www', 'halt')).toMatchObject(refused('zoneadm: www: No such zone configured'));
  });

  it('refuses an unprivileged user before looking at the zone', async () => {
    await db.install();
    const r = await run(['zoneadm', '-z', 'db', 'boot'], { uid: 1001 });
    expect(r).toMatchObject(refused("zoneadm: zone 'db': only a privileged user may boot a zone."));
    expect(await state()).toBe('installed');
  });

  it('uninstall without -F asks on a terminal and refuses without one', async () => {
    await db.install();
    expect(await zoneadm('-z', 'db', 'uninstall')).toMatchObject(refused("zoneadm: zone 'db': Input not from terminal and -F not specified: uninstall not done."));
    const prompt = 'Are you sure you want to uninstall zone db (y/[n])? ';
    expect(await run(['zoneadm', '-z', 'db', 'uninstall'], { tty: true, stdin: '\n' })).toMatchObject(ok(prompt));
    expect(await run(['zoneadm', '-z', 'db', 'uninstall'], { tty: true, stdin: 'maybe\nn\n' })).toMatchObject(ok(prompt + prompt));
    expect(await state()).toBe('installed');
    expect(await run(['zoneadm', '-z', 'db', 'uninstall'], { tty: true, stdin: 'yes\n' })).toMatchObject(ok(prompt));
    expect(await state()).toBe('configured');
  });
});

describe('zlogin', () => {
  it('runs a command in the zone through its shell and returns its status', async () => {
    await db.bringUp();
    expect(await run(['zlogin', 'db', 'hostname'])).toMatchObject(ok('db\n'));
    expect(await run(['zlogin', 'db', 'echo', '$HOME', '$LOGNAME;', 'pwd;', 'zonename'])).toMatchObject(ok('/root root\n/root\ndb\n'));
    expect(await run(['zlogin', 'db', 'exit', '7'])).toMatchObject({ exitCode: 7 });
    expect(await run(['zlogin', 'db', 'cat'], { stdin: 'through\n' })).toMatchObject(ok('through\n'));
    expect(await run(['zlogin', '-n', 'db', 'cat'], { stdin: 'through\n' })).toMatchObject(ok(''));
  });

  it('confines the command to the zone: its files and only its processes', async () => {
    await db.bringUp();
    await run(['zlogin', 'db', 'echo inside > /tmp/f']);
    expect(await run(['cat', '/zones/db/root/tmp/f'])).toMatchObject(ok('inside\n'));
    const host = await k.host.exec(['sh', '-c', 'sleep 100 & zlogin db ps -e -o pid,comm; kill $!']);
    const lines = host.stdout.trim().split('\n').slice(1);
    expect(lines.map((l) => l.trim().split(/\s+/)[1])).toEqual(['zlogin', 'sh', 'ps']);
    const zonePids = (await run(['ps', '-e', '-o', 'pid,zone'])).stdout;
    expect(zonePids).not.toContain('db'); // all gone once the login ended
  });

  it('logs in as another user of the zone with -l', async () => {
    await db.bringUp();
    expect(await run(['zlogin', '-l', 'user', 'db', 'id -u; pwd'])).toMatchObject(ok('1001\n/home/user\n'));
    expect(await run(['zlogin', '-l', 'ghost', 'db', 'true'])).toMatchObject(refused('su: Unknown id: ghost'));
  });

  it('refuses zones not running, unknown zones, the global zone and the unprivileged', async () => {
    expect(await run(['zlogin', 'db', 'true'])).toMatchObject(refused("zlogin: cannot login to a zone which is 'configured'"));
    await db.install();
    expect(await run(['zlogin', 'db', 'true'])).toMatchObject(refused("zlogin: login allowed only to running zones (db is 'installed')."));
    expect(await run(['zlogin', 'nope', 'true'])).toMatchObject(refused("zlogin: zone 'nope' unknown"));
    expect(await run(['zlogin', 'global', 'true'])).toMatchObject(refused("zlogin: 'zlogin' not applicable to the global zone"));
    await db.start();
    expect(await run(['zlogin', 'db', 'true'], { uid: 1001 })).toMatchObject(refused('zlogin: You lack sufficient privilege to run this command (all privs required)'));
    expect(await run(['zlogin'])).toMatchObject(refused('usage: zlogin [ -nQ ] [-l user] zonename [command [args ...] ]', 2));
  });

  it('with no command runs an interactive shell in the zone', async () => {
    await db.bringUp();
    const r = await run(['zlogin', 'db'], { stdin: 'hostname\nexit 3\n' });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toContain('db\n');
  });
});

describe('inside a zone', () => {
  beforeEach(async () => {
    await k.createCell({ ...DB, zonename: 'web', zonepath: '/zones/web' });
    await db.bringUp();
  });

  it('zoneadm list shows only the zone itself, running at /', async () => {
    const id = String(db.id);
    expect(await db.exec(['zoneadm', 'list'])).toMatchObject(ok('db\n'));
    expect(await db.exec(['zoneadm', 'list', '-cv'])).toMatchObject(ok(`${HEADER}${id.padStart(4)} db               running    /                              native   shared\n`));
    expect(await db.exec(['zoneadm', 'list', '-ip'])).toMatchObject(ok(`${id}:db:running:/::native:shared\n`));
    expect(await db.exec(['zoneadm', '-z', 'db', 'list'])).toMatchObject(ok('db\n'));
    expect(await db.exec(['zoneadm', '-z', 'web', 'list'])).toMatchObject(refused('zoneadm: web: No such zone configured'));
  });

  it('zoneadm refuses to change zones, and zlogin to run', async () => {
    expect(await db.exec(['zoneadm', '-z', 'db', 'boot'])).toMatchObject(refused("zoneadm: zone 'db': must be in the global zone to boot a zone."));
    expect(await db.exec(['zoneadm', '-z', 'db', 'halt'])).toMatchObject(refused("zoneadm: zone 'db': use halt(1M) to halt this zone."));
    expect(await db.exec(['zoneadm', '-z', 'db', 'reboot'])).toMatchObject(refused("zoneadm: zone 'db': use reboot(1M) to reboot this zone."));
    expect(await db.exec(['zlogin', 'web', 'true'])).toMatchObject(refused("zlogin: 'zlogin' may only be used from the global zone"));
    expect((await zoneadm('-z', 'db', 'list', '-p')).stdout).toContain(':running:');
  });
});
