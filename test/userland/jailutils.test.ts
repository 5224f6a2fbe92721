// jail, jls, jexec and zonename as built-in binaries of a booted kernel: formats, messages, and
// isolation claims checked from inside the jails they create.
import { beforeEach, describe, expect, it } from 'vitest';
import { Kernel, O_RDONLY } from '../../src/index.js';
import { readText } from '../../src/userland/lib.js';

let k: Kernel;
beforeEach(async () => {
  k = await Kernel.boot({ seed: 1 });
});

const sh = (script: string, uid?: number) => k.host.exec(['sh', '-c', script], uid === undefined ? {} : { uid });

/** A jail root with the minimal binaries and a procfs, since jail -c does not populate one. */
const PREPARE = 'mkdir -p /jails/www/bin /jails/www/proc && cp /bin/* /jails/www/bin/ && mount -t procfs proc /jails/www/proc';
const WWW = `${PREPARE} && jail -c name=www path=/jails/www host.hostname=www.example.org persist`;

describe('jail -c and jls formats', () => {
  it('lists a new jail in the default, -N, -v and -n formats', async () => {
    expect(await sh(`${WWW} && jls && jls -N && jls -v && jls -n`)).toMatchObject({
      exitCode: 0,
      stderr: '',
      stdout:
        '   JID  IP Address      Hostname                      Path\n' +
        '     1                  www.example.org               /jails/www\n' +
        ' JID             IP Address      Hostname                      Path\n' +
        ' www                             www.example.org               /jails/www\n' +
        '   JID  Hostname                      Path\n' +
        '        Name                          State\n' +
        '        CPUSetID\n' +
        '        IP Address(es)\n' +
        '     1  www.example.org               /jails/www\n' +
        '        www                           ACTIVE\n' +
        '        0\n' +
        'nodying enforce_statfs=2 ip4=disable jid=1 name=www parent=0 path=/jails/www persist securelevel=-1 vnet=inherit ' +
        'allow.nomount allow.noraw_sockets allow.reserved_ports allow.set_hostname allow.nosettime allow.nosysvipc ' +
        'children.cur=0 children.max=0 host.hostname=www.example.org ip4.addr= vnet.interface=\n',
    });
  });

  it('prints named parameters, with -h a header, and quotes only with -q', async () => {
    const r = await sh(`${PREPARE} && jail -c name=q path=/jails/www persist && jls -j q name host.hostname persist && jls -q -j q host.hostname && jls -h jid name && jls -j 1 jid`);
    expect(r.stdout).toBe('q - true\n""\njid name\n1 q\n1\n');
  });

  it('-i prints the jid; -v notes what it did', async () => {
    const r = await sh('jail -ic name=a persist && jail -vc name=b persist && jail -vm name=b host.hostname=bee && jail -v -r b && jls -j a jid');
    expect(r).toMatchObject({ exitCode: 0, stdout: '1\ncreated\nupdated\nb: removed\n1\n', stderr: '' });
  });

  it('-m changes a running jail but not a create-only parameter', async () => {
    const r = await sh(`${WWW} && jail -m name=www host.hostname=new.example.org securelevel=3 && jls -j www host.hostname securelevel; jail -m name=www path=/tmp; jail -m name=nope persist`);
    expect(r.stdout).toBe('new.example.org 3\n');
    expect(r.stderr).toBe('jail: path cannot be changed after creation\njail: "nope" not found\n');
    expect(r.exitCode).toBe(1);
  });

  it('reports every bad parameter at once, and a duplicate, in jail(8) words', async () => {
    const bad = await sh('jail -c name=foo allow.set_hostname=x nosuch children.max=z persist');
    expect(bad).toMatchObject({
      exitCode: 1,
      stderr: 'jail: allow.set_hostname: unknown boolean value "x"\njail: unknown parameter: nosuch\njail: children.max: non-integer value "z"\n',
    });
    const dup = await sh(`${WWW} && jail -c name=www path=/jails/www persist`);
    expect(dup).toMatchObject({ exitCode: 1, stderr: 'jail: "www" already exists\n' });
    const path = await sh('jail -c name=p path=/nonexist persist');
    expect(path).toMatchObject({ exitCode: 1, stderr: 'jail: path /nonexist: No such file or directory\n' });
    expect((await sh('jls -j p; jls nosuch')).stderr).toBe('jls: jail "p" not found\njls: unknown parameter: nosuch\n');
  });

  it('runs exec.start and command inside, then drops the temporary persist', async () => {
    const r = await sh(`${PREPARE} && jail -c name=t path=/jails/www host.hostname=tmp exec.start="echo start in \\$(hostname)" command=zonename; jls`);
    expect(r.stdout).toBe('start in tmp\nt\n   JID  IP Address      Hostname                      Path\n');
  });

  it('a failing exec.start fails the create and the jail goes with its last process', async () => {
    const r = await sh(`${PREPARE} && jail -c name=bad path=/jails/www exec.start="sh -c 'exit 3'"; echo $?; jls -j bad`);
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toBe('jail: sh -c \'exit 3\': failed\njls: jail "bad" not found\n');
  });
});

describe('mount.procfs and mount.devfs', () => {
  it('mounts them in the jail root before creating it', async () => {
    const r = await sh('mkdir -p /jails/m/bin /jails/m/proc /jails/m/dev && cp /bin/* /jails/m/bin/ && jail -c name=m path=/jails/m mount.procfs mount.devfs persist && jexec m ps -o comm && jexec m ls /dev/null');
    expect(r).toMatchObject({ exitCode: 0, stdout: 'COMMAND\njexec\nps\n/dev/null\n', stderr: '' });
  });

  it('a mount that fails stops the create and leaves nothing mounted', async () => {
    const r = await sh('mkdir -p /jails/m/dev && jail -c name=m path=/jails/m mount.procfs mount.devfs persist; jls -j m; ls /jails/m/dev');
    expect(r.stderr).toBe('jail: mount.procfs: /jails/m/proc: No such file or directory\njls: jail "m" not found\n');
    expect(r.stdout).toBe('');
  });
});

describe('jexec', () => {
  it('runs in the jail: its hostname, its root, its name', async () => {
    const host = (await sh('hostname')).stdout;
    const r = await sh(`${WWW} && jexec www hostname && jexec www ls / && jexec www zonename && zonename && hostname`);
    expect(r.stdout).toBe(`www.example.org\nbin\nproc\nwww\nglobal\n${host}`);
    expect(host).not.toBe('www.example.org\n');
  });

  it('inside, ps shows only the jail\'s processes; the host sees them all', async () => {
    const r = await sh(`${WWW} && jexec www sleep 50 & sleep 1; jexec www ps -e -o jail,comm; echo --; ps -e -o jail,comm`);
    const [inside, host] = r.stdout.split('--\n') as [string, string];
    expect(inside).toBe('JAIL COMMAND\nwww  jexec\nwww  sleep\nwww  jexec\nwww  ps\n');
    expect(host).toMatch(/^- +init$/m); // the host's processes: JAIL is - (jid 0)
    expect(host).toMatch(/^www +sleep$/m);
  });

  it('exits with the command\'s status and words errors as jexec(8)', async () => {
    const r = await sh(`${WWW} && jexec www sh -c 'exit 7'; echo $?; jexec nope ls; jexec 77 ls; jexec www nosuch; jexec -d /nope www pwd; jexec -d /bin www pwd`);
    expect(r.stdout).toBe('7\n/bin\n');
    expect(r.stderr).toBe(
      'jexec: jail "nope" not found\njexec: jail 77 not found\njexec: execvp: nosuch: No such file or directory\njexec: chdir(): /nope: No such file or directory\n',
    );
  });

  it('without a command runs $SHELL -i on its stdin', async () => {
    expect((await k.host.exec(['sh', '-c', `${WWW} && jexec www`], { stdin: 'zonename\n' })).stdout).toBe('www\n');
  });

  it('is refused to a non-root user and to a caller holding a directory descriptor', async () => {
    await sh(WWW);
    expect((await sh('jexec www ls', 1001)).stderr).toBe('jexec: jail_attach(1): Operation not permitted\n');
    let stderr = '';
    await k.host.run(async (sys) => {
      const dir = await sys.open('/tmp', O_RDONLY);
      const [r, w] = await sys.pipe();
      const pid = await sys.spawn('/bin/jexec', ['jexec', 'www', 'ls'], { fds: [dir, 1, w] });
      await sys.close(w);
      stderr = await readText(sys, r);
      await sys.wait(pid);
      return 0;
    });
    expect(stderr).toBe('jexec: jail_attach(1): Operation not permitted\n');
  });
});

describe('nesting', () => {
  it('children.max bounds a jail\'s children; a jail without it may create none', async () => {
    const r = await sh(
      `${PREPARE} && jail -c name=www path=/jails/www children.max=1 persist && jexec www jail -c name=sub persist && jexec www jail -c name=sub2 persist; ` +
        'jexec www.sub jail -c name=x persist; jls -N; jexec www jls -N',
    );
    expect(r.stderr).toBe('jail: prison limit exceeded\njail: jail_set: Operation not permitted\n');
    expect(r.stdout).toBe(
      ' JID             IP Address      Hostname                      Path\n' +
        ' www                                                           /jails/www\n' +
        ' www.sub                                                       /jails/www\n' +
        ' JID             IP Address      Hostname                      Path\n' +
        ' sub                                                           /\n',
    );
  });

  it('a child gets no more than the defaults its creator holds', async () => {
    const r = await sh(`${PREPARE} && jail -c name=www path=/jails/www allow.noset_hostname children.max=1 persist && jexec www jail -c name=sub persist && jls -j www.sub allow.set_hostname`);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'false\n' });
  });
});

describe('privileges', () => {
  it('allow.set_hostname=false makes sethostname EPERM inside; the default allows it', async () => {
    const r = await sh(`${PREPARE} && jail -c name=no path=/jails/www allow.set_hostname=false persist && jail -c name=yes path=/jails/www persist; jexec no hostname foo; echo $?; jexec yes hostname bar; jexec yes hostname`);
    expect(r.stdout).toBe('1\nbar\n');
    expect(r.stderr).toBe('hostname: sethostname: Operation not permitted\n');
  });

  it('allow.mount takes effect only with enforce_statfs below 2', async () => {
    const r = await sh('jail -c name=a allow.mount persist && jail -c name=b allow.mount enforce_statfs=1 persist && jls -j a allow.mount && jls -j b allow.mount');
    expect(r.stdout).toBe('false\ntrue\n');
  });
});

describe('jail -r', () => {
  it('sends SIGTERM to the jail\'s processes, then removes it and its children', async () => {
    const r = await sh(`${PREPARE} && jail -c name=www path=/jails/www children.max=1 persist && jexec www jail -c name=sub persist && jexec www sleep 100 & sleep 1; jail -r www; wait $!; echo status $?; jls`);
    expect(r.stdout).toBe('status 143\n   JID  IP Address      Hostname                      Path\n');
  });

  it('-R kills at once (SIGKILL); a missing jail is reported', async () => {
    const r = await sh(`${WWW} && jexec www sleep 100 & sleep 1; jail -R www; wait $!; echo status $?; jail -r www`);
    expect(r.stdout).toBe('status 137\n');
    expect(r).toMatchObject({ exitCode: 1, stderr: 'jail: "www" not found\n' });
  });
});

describe('zonename', () => {
  it('is global on the host and the jail\'s own name inside', async () => {
    expect((await sh(`zonename && ${WWW} && jexec www zonename`)).stdout).toBe('global\nwww\n');
  });
});

describe('jexec -l', () => {
  it('gives a clean login environment whose PATH reaches the system binaries in /sbin', async () => {
    const r = await sh(`${PREPARE} && mkdir -p /jails/www/sbin && cp /sbin/* /jails/www/sbin/ && jail -c name=www path=/jails/www ip4.addr=192.0.2.10 persist && jexec -l www env | grep ^PATH= && jexec -l www ifconfig lo0`);
    expect(r.stdout).toContain('PATH=/sbin:/bin:/usr/sbin:/usr/bin\n');
    expect(r.stdout).toContain('lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST>');
    expect(r.exitCode).toBe(0);
  });
});
