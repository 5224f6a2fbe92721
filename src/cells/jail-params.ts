/**
 * jail(8) parameters: one table of the names jail(8), jail.conf(5) and the jail spec use, their
 * types and defaults, and how each maps onto the kernel's cell mechanisms. Pure data and
 * functions, so the jail tool, the spec layer and the personality share one mapping.
 */
import type { CellNet, CellParams } from '../kernel/abi.js';
import type { Privilege } from '../kernel/privileges.js';

export type JailParamType = 'string' | 'int' | 'bool' | 'list';

export interface JailParam {
  readonly type: JailParamType;
  /** Only at creation (FreeBSD: "<param> cannot be changed after creation"). */
  readonly createOnly?: boolean;
  /** Run by jail(8) or the personality, not passed to the kernel (exec.*, mount.*, rootfs). */
  readonly pseudo?: boolean;
  readonly doc: string;
}

/** allow.* flags and the privilege each grants. */
export const ALLOW_PRIVILEGE: Readonly<Record<string, Privilege>> = {
  'allow.set_hostname': 'sys_admin',
  'allow.mount': 'sys_mount',
  'allow.settime': 'sys_time',
  'allow.raw_sockets': 'net_rawaccess',
  'allow.reserved_ports': 'net_privaddr',
};

/** FreeBSD's JAIL_DEFAULT_ALLOW: set_hostname and reserved_ports start on. */
const ALLOW_DEFAULTS: Readonly<Record<string, boolean>> = { 'allow.set_hostname': true, 'allow.reserved_ports': true };

/** What root in a vnet jail may do to its own stack regardless of allow.* (prison_priv_check's VIMAGE grants). */
export const VNET_PRIVILEGES: readonly Privilege[] = ['net_privaddr', 'net_rawaccess', 'sys_ip_config'];

/** What jailed root may do regardless of allow.*: prison_priv_check's unconditional grants. */
export const JAIL_BASE_PRIVILEGES: readonly Privilege[] = [
  'file_chown', 'file_dac_execute', 'file_dac_read', 'file_dac_search', 'file_dac_write', 'file_owner',
  'ipc_dac_read', 'ipc_dac_write', 'ipc_owner', 'proc_chroot', 'proc_owner', 'proc_setid',
];

export const JAIL_PARAMS = {
  name: { type: 'string', createOnly: true, doc: 'jail name; dots name a parent ("www.sub" lives in "www")' },
  path: { type: 'string', createOnly: true, doc: 'root directory, resolved in the parent\'s root' },
  'host.hostname': { type: 'string', doc: 'hostname of the jail\'s own UTS namespace' },
  'allow.set_hostname': { type: 'bool', doc: 'root may change the hostname (default true)' },
  'allow.mount': { type: 'bool', doc: 'root may mount (only with enforce_statfs < 2)' },
  'allow.settime': { type: 'bool', doc: 'root may set the clock' },
  'allow.sysvipc': { type: 'bool', createOnly: true, doc: 'own SysV IPC namespace; without it SysV IPC fails with ENOSYS' },
  'allow.raw_sockets': { type: 'bool', doc: 'root may open raw sockets (ping); without it socket() fails with EPERM' },
  'allow.reserved_ports': { type: 'bool', doc: 'root may bind ports below 1024 (default true)' },
  'ip4.addr': { type: 'list', createOnly: true, doc: 'IPv4 addresses (a, a/n or if|a/n), primary first; the jail may use only these' },
  ip4: { type: 'string', createOnly: true, doc: 'new (restricted to ip4.addr), inherit (the parent\'s) or disable (no IPv4)' },
  interface: { type: 'string', pseudo: true, doc: 'interface ip4.addr aliases are added to (default: the one whose subnet holds them)' },
  vnet: { type: 'string', createOnly: true, doc: 'new: a network stack of its own; inherit: the parent\'s view' },
  'vnet.interface': { type: 'list', createOnly: true, doc: 'interfaces moved into a vnet jail (each the inside end of an epair on the host switch, or on SWITCH for NAME@SWITCH)' },
  'children.max': { type: 'int', doc: 'descendant jails allowed (default 0)' },
  securelevel: { type: 'int', doc: 'securelevel; never lower than the parent\'s' },
  enforce_statfs: { type: 'int', doc: 'mount visibility 0..2 (default 2)' },
  persist: { type: 'bool', doc: 'keep the jail when its last process exits' },
  'exec.start': { type: 'string', pseudo: true, doc: 'command run inside the jail when it starts' },
  'exec.stop': { type: 'string', pseudo: true, doc: 'command run inside the jail before it is removed' },
  mount: { type: 'list', pseudo: true, doc: 'fstab(5) lines mounted before the jail is created (nullfs ro: a thin jail)' },
  'mount.fstab': { type: 'string', pseudo: true, doc: 'an fstab(5) file (a host path) whose entries are mounted before the jail is created' },
  'mount.devfs': { type: 'bool', pseudo: true, doc: 'mount devfs on <path>/dev at start' },
  'mount.procfs': { type: 'bool', pseudo: true, doc: 'mount procfs on <path>/proc at start' },
} as const satisfies Readonly<Record<string, JailParam>>;

export type JailParamName = keyof typeof JAIL_PARAMS;

/** Values of jail(8) parameters by name (a jail spec is one). */
export type JailValues = { readonly [K in JailParamName]?: string | number | boolean | readonly string[] };

/**
 * The cell parameters a jail with these jail(8) values gets. Defaults are ANDed with what the
 * parent holds (`held`), as FreeBSD's JAIL_DEFAULT_ALLOW & ppr->pr_allow; a bit asked for
 * explicitly is asked for, and the kernel refuses it (EPERM) when the parent lacks it.
 * allow.mount only takes effect with enforce_statfs below 2.
 */
export function jailCellParams(values: JailValues, held: (privilege: Privilege) => boolean = () => true): CellParams {
  const privileges = new Set<Privilege>(JAIL_BASE_PRIVILEGES.filter(held));
  for (const [flag, privilege] of Object.entries(ALLOW_PRIVILEGE)) {
    const explicit = values[flag as JailParamName];
    const wanted = explicit === undefined ? (ALLOW_DEFAULTS[flag] ?? false) && held(privilege) : explicit === true;
    if (wanted) privileges.add(privilege);
  }
  const net = jailNet(values);
  if (net?.mode === 'vnet') for (const privilege of VNET_PRIVILEGES) if (held(privilege)) privileges.add(privilege);
  const enforceStatfs = num(values.enforce_statfs) ?? 2;
  if (enforceStatfs >= 2) privileges.delete('sys_mount');
  const childrenMax = num(values['children.max']);
  if ((childrenMax ?? 0) > 0) privileges.add('sys_cell');
  const params: Record<string, unknown> = {
    name: values.name,
    path: values.path,
    hostname: values['host.hostname'],
    privileges: [...privileges].sort(),
    childrenMax,
    securelevel: num(values.securelevel),
    enforceStatfs: num(values.enforce_statfs),
    sysvipc: values['allow.sysvipc'] === true ? true : undefined,
    persist: values.persist === true ? true : undefined,
    net,
    kind: 'jail',
  };
  for (const key of Object.keys(params)) if (params[key] === undefined) delete params[key];
  return params as CellParams;
}

/**
 * The network a jail's ip4, ip4.addr, interface, vnet and vnet.interface ask for. A jail that names
 * none has no IPv4 (FreeBSD's default: restricted to an empty list); ip4.addr implies ip4=new.
 */
export function jailNet(values: JailValues): CellNet | undefined {
  const vnet = values.vnet;
  if (vnet === true || vnet === 'new') {
    // "epair0b@lab": the epair's outer end is on switch lab (cellblock's extension); else the host's.
    return { mode: 'vnet', interfaces: listOf(values['vnet.interface']).map((entry) => {
      const [name, sw] = entry.split('@', 2) as [string, string | undefined];
      return sw === undefined ? { name } : { name, switch: sw };
    }) };
  }
  const addresses = listOf(values['ip4.addr']);
  const iface = values.interface;
  if (addresses.length > 0) {
    const named = typeof iface === 'string' ? addresses.map((a) => (a.includes('|') ? a : `${iface}|${a}`)) : addresses;
    return { mode: 'restrict', addresses: named };
  }
  if (values.ip4 === 'inherit' || vnet === 'inherit') return { mode: 'inherit' };
  return { mode: 'disable' };
}

/** A list parameter: an array, or jail(8)'s comma-separated string. */
export function listOf(value: string | number | boolean | readonly string[] | undefined): string[] {
  if (Array.isArray(value)) return [...(value as readonly string[])];
  if (typeof value !== 'string') return [];
  return value.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

function num(value: string | number | boolean | readonly string[] | undefined): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
