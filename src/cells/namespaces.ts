/**
 * The namespaces a process belongs to. A cell owns one set; processes point at it, so a
 * mechanism asks "which namespace?" and never "which kind of cell?".
 */
import type { IpcNamespace } from '../ipc/sysv.js';
import type { MountNamespace } from '../vfs/mount.js';
import type { UtsNamespace } from '../uts/uts.js';

export interface Namespaces {
  readonly mnt: MountNamespace;
  readonly uts: UtsNamespace;
  /** SysV IPC; null when the cell has none (its IPC calls fail with ENOSYS, as in a FreeBSD jail without allow.sysvipc). */
  readonly ipc: IpcNamespace | null;
}
