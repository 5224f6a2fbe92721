/**
 * The namespaces a process belongs to. A cell owns one set; processes point at it, so a
 * mechanism asks "which namespace?" and never "which kind of cell?".
 */
import type { MountNamespace } from '../vfs/mount.js';
import type { UtsNamespace } from '../uts/uts.js';

export interface Namespaces {
  readonly mnt: MountNamespace;
  readonly uts: UtsNamespace;
}
