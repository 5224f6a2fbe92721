/**
 * The privilege table: every privilege a syscall can require, named as Solaris privileges(5)
 * names them (jail allow.* parameters and Linux capabilities map onto these). The gate is deny
 * by default: a privilege not in this table can never be granted, and a policy grants only
 * what it lists.
 */
export const PRIVILEGES = {
  file_chown: 'change the owner or group of a file',
  file_dac_read: 'read a file regardless of its mode bits',
  file_dac_write: 'write a file regardless of its mode bits',
  file_dac_execute: 'execute a file regardless of its mode bits',
  file_dac_search: 'search a directory regardless of its mode bits',
  file_owner: 'change the mode of a file not owned by the caller',
  ipc_dac_read: 'read a SysV IPC object (message queue, shared memory segment) regardless of its mode bits',
  ipc_dac_write: 'write a SysV IPC object regardless of its mode bits',
  ipc_owner: 'change or remove a SysV IPC object the caller does not own (IPC_SET, IPC_RMID)',
  net_icmpaccess: 'send and receive ICMP through a raw ICMP socket (ping); Solaris zones hold it by default',
  net_privaddr: 'bind a port below 1024 (jail allow.reserved_ports)',
  net_rawaccess: 'open raw sockets of any protocol, ICMP included (jail allow.raw_sockets)',
  proc_chroot: 'change the root directory (chroot)',
  proc_owner: 'signal and inspect (/proc/PID/environ) processes of other users',
  proc_setid: 'set user and group ids and groups',
  sys_admin: 'set the hostname and domain name',
  sys_ip_config: 'configure interfaces and routes of the caller\'s own network stack (a vnet jail, an exclusive-IP zone)',
  sys_cell: 'create, change, attach to and remove cells (jail_set, jail_attach, zoneadm)',
  sys_mount: 'mount and unmount filesystems',
  sys_time: 'set the system clock',
} as const;

export type Privilege = keyof typeof PRIVILEGES;

export const ALL_PRIVILEGES: ReadonlySet<Privilege> = new Set(Object.keys(PRIVILEGES) as Privilege[]);

/** What a cell lets its root user do. Anything it does not list is refused. */
export interface PrivilegePolicy {
  has(privilege: Privilege): boolean;
}

export class PrivilegeSet implements PrivilegePolicy {
  readonly granted: ReadonlySet<Privilege>;
  constructor(granted: Iterable<Privilege>) {
    this.granted = new Set(granted);
  }
  has(privilege: Privilege): boolean {
    return this.granted.has(privilege);
  }
}
