/**
 * Mounts and mount namespaces. A mount attaches a filesystem's root over a directory (the
 * mountpoint) of its parent mount. A location in the file tree is a (mount, link) pair, so the
 * same directory reached through two mounts is two locations, as in a real VFS.
 * Owned by the vfs subsystem.
 */
import type { Link, MemFs } from './memfs.js';

export interface Mount {
  readonly fs: MemFs;
  /** What mount(8) shows as the source ("rootfs", "proc", "devfs", ...). */
  readonly source: string;
  readonly parent: Mount | null;
  /** The directory this mount covers, in the parent mount's filesystem. */
  readonly mountpoint: Link | null;
}

export interface Loc {
  readonly mnt: Mount;
  readonly link: Link;
}

export class MountNamespace {
  /** Mountpoint link → the mount on top of it. */
  readonly covered = new Map<Link, Mount>();
  /** Mounts in the order they were made (for /proc/mounts). */
  readonly mounts: Mount[] = [];
  readonly root: Mount;

  constructor(rootFs: MemFs, source: string) {
    this.root = { fs: rootFs, source, parent: null, mountpoint: null };
    this.mounts.push(this.root);
  }

  mount(fs: MemFs, source: string, at: Loc): Mount {
    const mount: Mount = { fs, source, parent: at.mnt, mountpoint: at.link };
    this.covered.set(at.link, mount);
    this.mounts.push(mount);
    return mount;
  }

  /** Removes a mount that has no mounts on top of it. */
  unmount(mount: Mount): void {
    if (mount.mountpoint !== null) this.covered.delete(mount.mountpoint);
    const at = this.mounts.indexOf(mount);
    if (at >= 0) this.mounts.splice(at, 1);
  }

  hasChildren(mount: Mount): boolean {
    return this.mounts.some((m) => m.parent === mount);
  }
}
