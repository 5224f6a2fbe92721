/**
 * The namespaces a process belongs to. A cell owns one set; processes point at it, so a
 * mechanism asks "which namespace?" and never "which kind of cell?".
 */
import type { IpcNamespace } from '../ipc/sysv.js';
import type { MountNamespace } from '../vfs/mount.js';
import type { UtsNamespace } from '../uts/uts.js';
import type { NetView } from '../net/view.js';

export interface Namespaces {
  readonly mnt: MountNamespace;
  readonly uts: UtsNamespace;
  /** SysV IPC; null when the cell has none (its IPC calls fail with ENOSYS, as in a FreeBSD jail without allow.sysvipc). */
  readonly ipc: IpcNamespace | null;
  /** Its view of a network stack; null when the cell has no IPv4 (a jail with ip4=disable). */
  readonly net: NetView | null;
}
