/**
 * The typed form of specs/*.schema.json, written by hand beside them. test/spec/types.test.ts
 * checks that every field here is a property of its schema and back, so the two cannot drift.
 */

/** A FreeBSD-style jail: specs/jail.schema.json, jail(8) parameter names. */
export interface JailSpec {
  kind: 'jail';
  name: string;
  path: string;
  rootfs?: string;
  'host.hostname'?: string;
  'allow.set_hostname'?: boolean;
  'allow.sysvipc'?: boolean;
  'allow.mount'?: boolean;
  'allow.chflags'?: boolean;
  'allow.raw_sockets'?: boolean;
  'allow.reserved_ports'?: boolean;
  'allow.settime'?: boolean;
  'children.max'?: number;
  securelevel?: number;
  enforce_statfs?: number;
  persist?: boolean;
  'ip4.addr'?: string[];
  ip4?: 'new' | 'inherit' | 'disable';
  interface?: string;
  vnet?: 'new' | 'inherit';
  'vnet.interface'?: string[];
  'exec.start'?: string;
  'exec.stop'?: string;
  /** jail(8)'s `mount`: fstab(5) lines mounted before the jail is created (a thin jail's nullfs base). */
  mount?: string[];
  /** jail(8)'s `mount.fstab`: a host file of fstab(5) lines, read and mounted when the jail starts. */
  'mount.fstab'?: string;
  'mount.devfs'?: boolean;
  'mount.procfs'?: boolean;
  /** rctl(8) rules, `jail:NAME:resource:action=amount`. */
  rctl?: string[];
  limits?: CellLimits;
}

/** specs/limits.schema.json: hard limits of a cell's resource partition. */
export interface CellLimits {
  processes?: number;
  openFiles?: number;
  /** Bytes of process memory and kernel buffers, or a size such as "64M". */
  memory?: number | string;
  /** Bytes, or a size such as "1M". */
  disk?: number | string;
  inodes?: number;
  /** SysV message queues and shared memory segments. */
  ipc?: number;
  /** Fair-share CPU weight, 1..65535 (default 1). */
  cpuShares?: number;
  /** Percent of one CPU, held even when CPUs are idle. */
  cpuCap?: number;
}

/** A Solaris-style zone: specs/zone.schema.json, zonecfg(8) property names. */
export interface ZoneSpec {
  kind: 'zone';
  zonename: string;
  zonepath: string;
  rootfs?: string;
  autoboot?: boolean;
  /** zonecfg syntax: "default", "default,sys_time", "default,-sys_mount". */
  limitpriv?: string;
  hostname?: string;
  brand?: 'native';
  /**
   * Solaris 10's sparse root: directories of the global zone (/usr, /lib, /sbin, /platform)
   * loopback-mounted read-only into the zone's root when it is readied, and not copied at install.
   */
  'inherit-pkg-dir'?: { dir: string }[];
  /** zonecfg's resource controls, mapped onto `limits`. */
  'max-processes'?: number;
  'max-lwps'?: number;
  'cpu-shares'?: number;
  'capped-cpu'?: { ncpus: number };
  /** Sizes in bytes, or with a K, M, G or T suffix (either case). */
  'capped-memory'?: { physical?: number | string; swap?: number | string; locked?: number | string };
  /** zonecfg's rctl resources, zone.* names (zone-rctls.ts). */
  rctl?: ZoneRctlSpec[];
  /** zonecfg's ip-type: shared (default) or exclusive. */
  'ip-type'?: 'shared' | 'exclusive';
  /** zonecfg's net resources. */
  net?: ZoneNetSpec[];
  /** zonecfg's fs resources: filesystems mounted in the zone's root when it is readied. */
  fs?: ZoneFsSpec[];
  limits?: CellLimits;
}

/**
 * One zonecfg fs resource: `special` (a global zone directory for lofs, a name for tmpfs)
 * mounted at `dir` in the zone, with mount options such as "ro".
 */
export interface ZoneFsSpec {
  dir: string;
  special: string;
  type: 'lofs' | 'tmpfs';
  options?: string[];
}

/**
 * One zonecfg net resource. Shared-IP: `address` on the global zone's interface `physical`;
 * exclusive-IP: the zone's own interface `physical` (a vnic, "vnic1" or "vnic1@SWITCH"), with
 * `allowed-address` and `defrouter` as Solaris 11 has them.
 */
export interface ZoneNetSpec {
  address?: string;
  'allowed-address'?: string;
  physical: string;
  defrouter?: string;
}

/** One zonecfg rctl resource: a zone.* name and its values. */
export interface ZoneRctlSpec {
  name: string;
  value: { priv: string; limit: number; action: string }[];
}

export type CellSpec = JailSpec | ZoneSpec;

/** What a run step's command must do (every field given must hold; none: exit status 0). */
export interface StepExpectation {
  exitCode?: number;
  stdout?: string;
  stdoutContains?: string | string[];
  stderrContains?: string | string[];
  /** A JavaScript regular expression, matched anywhere in stdout. */
  stdoutMatches?: string;
}

interface StepTiming {
  /** Start no earlier than this virtual tick. */
  at?: number;
  /** Shown in the transcript. */
  comment?: string;
}

/** Runs a command in a cell ("host" is the host): a string through `sh -c`, an array as argv. */
export interface RunStep extends StepTiming {
  cell: string;
  run: string | string[];
  user?: number;
  expect?: StepExpectation;
  /** Runs together with the following concurrent steps; the next non-concurrent step waits for all. */
  concurrent?: boolean;
}

export interface StartStep extends StepTiming {
  start: string;
}

export interface StopStep extends StepTiming {
  stop: string;
}

export interface DestroyStep extends StepTiming {
  destroy: string;
}

/** Changes a cell's limits live (at virtual tick `at`; with `concurrent`, while others run). */
export interface UpdateStep extends StepTiming {
  update: string;
  set: CellLimits;
  concurrent?: boolean;
}

export type LifecycleStep = StartStep | StopStep | DestroyStep | UpdateStep;

export type ScenarioStep = RunStep | LifecycleStep;

/** The host's network in a scenario: its address on the default switch, that switch's links. */
export interface ScenarioNetwork {
  /** "a.b.c.d/n", default 192.0.2.1/24. */
  address?: string;
  /** Ticks a frame takes over each link of the default switch. */
  latency?: number;
  /** Probability (0..1) that a link of the default switch loses a frame. */
  loss?: number;
}

/** A switch besides the host's, for vnet interfaces that name it ("epair0b@lab", "vnic1@lab"). */
export interface ScenarioSwitch {
  name: string;
  latency?: number;
  loss?: number;
}

/** Latency and loss of one cell's own link(s) ("host": the host's interface). */
export interface ScenarioLink {
  cell: string;
  /** The interface (default: every interface of the cell but loopback). */
  interface?: string;
  latency?: number;
  loss?: number;
}

/** Where a scenario's packet capture goes: a file (the default switch), or a switch and a file. */
export type ScenarioPcap = string | { switch?: string; file: string };

/** specs/scenario.schema.json: one kernel, its cells, and steps run in order. */
export interface Scenario {
  name?: string;
  seed?: number;
  cpus?: number;
  network?: ScenarioNetwork;
  switches?: ScenarioSwitch[];
  links?: ScenarioLink[];
  pcap?: ScenarioPcap;
  cells: CellSpec[];
  steps: ScenarioStep[];
}

/** The name a cell goes by: a jail's name, a zone's zonename. */
export function cellName(spec: CellSpec): string {
  return spec.kind === 'jail' ? spec.name : spec.zonename;
}

/** Type guards for the step union, so the runner never inspects keys itself. */
export function isRunStep(step: ScenarioStep): step is RunStep {
  return 'run' in step;
}
