// Typed fixtures: every field of each spec type filled in, so a field added to a type or to a
// schema without the other fails the tests (the compiler checks the Required<...> side).
import type {
  DestroyStep, UpdateStep, JailSpec, Scenario, ScenarioLink, ScenarioNetwork, ScenarioPcap, ScenarioSwitch, StartStep, StepExpectation, StopStep, RunStep, ZoneFsSpec, ZoneNetSpec, ZoneSpec,
} from '../../src/spec/index.js';

export const EXAMPLES = new URL('../../specs/examples/', import.meta.url);

export const fullJail: Required<JailSpec> = {
  kind: 'jail', name: 'www.sub', path: '/jails/sub', rootfs: 'minimal', 'host.hostname': 'sub.example.org',
  'allow.set_hostname': false, 'allow.sysvipc': true, 'allow.mount': true, 'allow.chflags': false,
  'allow.raw_sockets': false, 'allow.reserved_ports': true, 'allow.settime': false, 'children.max': 0, securelevel: 3, enforce_statfs: 1,
  persist: true, 'ip4.addr': ['192.0.2.10'], ip4: 'new', interface: 'em0', vnet: 'inherit', 'vnet.interface': ['epair0b'], 'exec.start': 'sh /etc/rc', 'exec.stop': 'echo bye', mount: ['/usr /jails/sub/usr nullfs ro 0 0'], 'mount.fstab': '/etc/fstab.sub', 'mount.devfs': true, 'mount.procfs': true,
  limits: { processes: 20, openFiles: 64, disk: '1M', inodes: 1000 },
  rctl: ['jail:www.sub:maxproc:log=10'],
};

export const fullZone: Required<ZoneSpec> = {
  kind: 'zone', zonename: 'db', zonepath: '/zones/db', rootfs: 'minimal', autoboot: false,
  limitpriv: 'default,sys_time,-sys_mount', hostname: 'db.example.org', brand: 'native', 'inherit-pkg-dir': [{ dir: '/usr' }],
  'max-processes': 200, 'max-lwps': 2000, 'cpu-shares': 10, 'capped-cpu': { ncpus: 1.25 },
  'capped-memory': { physical: '512m', swap: '1G', locked: 1048576 },
  rctl: [{ name: 'zone.max-shm-ids', value: [{ priv: 'privileged', limit: 20, action: 'deny' }] }],
  'ip-type': 'exclusive',
  net: [{ physical: 'vnic1@lab', 'allowed-address': '192.0.2.40/24', defrouter: '192.0.2.1' }],
  fs: [{ dir: '/export/data', special: '/export/data', type: 'lofs', options: ['ro'] }],
  limits: { processes: 100, disk: 1048576 },
};

/** Every field of a net resource (no ip-type takes them all at once: only the keys are checked). */
export const fullZoneFs: Required<ZoneFsSpec> = { dir: '/var/scratch', special: 'swap', type: 'tmpfs', options: ['rw', 'nodevices'] };
export const fullZoneNet: Required<ZoneNetSpec> = { address: '192.0.2.30/24', 'allowed-address': '192.0.2.40/24', physical: 'em0', defrouter: '192.0.2.1' };
export const fullNetwork: Required<ScenarioNetwork> = { address: '192.0.2.1/24', latency: 1, loss: 0 };
export const fullSwitch: Required<ScenarioSwitch> = { name: 'lab', latency: 2, loss: 0.1 };
export const fullLink: Required<ScenarioLink> = { cell: 'db', interface: 'vnic1', latency: 3, loss: 0.05 };
export const fullPcap: Required<Exclude<ScenarioPcap, string>> = { switch: 'lab', file: 'lab.pcap' };

export const fullExpect: Required<StepExpectation> = {
  exitCode: 0, stdout: 'x\n', stdoutContains: ['x'], stderrContains: '', stdoutMatches: '^x$',
};

export const fullRun: Required<RunStep> = {
  cell: 'db', run: ['ls', '/'], user: 1001, expect: fullExpect, concurrent: true, at: 5, comment: 'all fields',
};
export const fullStart: Required<StartStep> = { start: 'www', at: 0, comment: 'start' };
export const fullStop: Required<StopStep> = { stop: 'www', at: 0, comment: 'stop' };
export const fullDestroy: Required<DestroyStep> = { destroy: 'www', at: 0, comment: 'destroy' };
export const fullUpdate: Required<UpdateStep> = { update: 'www', set: { processes: 30 }, at: 100, concurrent: true, comment: 'live' };

export const fullScenario: Required<Scenario> = {
  name: 'every field',
  seed: 7,
  cpus: 2,
  network: fullNetwork,
  switches: [fullSwitch],
  links: [fullLink],
  pcap: fullPcap,
  cells: [{ kind: 'jail', name: 'www', path: '/jails/www', 'children.max': 1, persist: true, 'ip4.addr': ['192.0.2.10'] }, fullJail, fullZone],
  steps: [fullStart, fullRun, { cell: 'host', run: 'ps -e' }, fullUpdate, fullStop, fullDestroy],
};

/** The www example of issue 4, as a value to mutate. */
export const www: JailSpec = {
  kind: 'jail', name: 'www', path: '/jails/www', rootfs: 'minimal', 'host.hostname': 'www.example.org',
  'allow.set_hostname': false, 'children.max': 1, securelevel: 2, enforce_statfs: 2, 'exec.start': 'sh /etc/rc',
};

export const db: ZoneSpec = { kind: 'zone', zonename: 'db', zonepath: '/zones/db', rootfs: 'minimal', autoboot: true, limitpriv: 'default' };
