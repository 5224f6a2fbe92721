/**
 * Mounts and mount namespaces. A mount attaches a filesystem's root over a directory (the
 * mountpoint) of its parent mount. A location in the file tree is a (mount, link) pair, so the
 * same directory reached through two mounts is two locations, as in a real VFS.
 * Owned by the vfs subsystem.
 */
import type { Cell } from '../cells/cell.js';
import type { Link, MemFs } from './memfs.js';

export interface Mount {
  readonly fs: MemFs;
  /**
   * The directory of `fs` the mount shows at its mountpoint: the filesystem's root, or for a
   * nullfs mount (FreeBSD's nullfs, Solaris's lofs, a Linux bind mount) any directory of it.
   */
  readonly root: Link;
  /** What mount(8) shows as the source ("rootfs", "proc", "devfs", ...). */
  readonly source: string;
  readonly parent: Mount | null;
  /** The directory this mount covers, in the parent mount's filesystem. */
  readonly mountpoint: Link | null;
  /** Writes through this mount fail with EROFS (a read-only filesystem, or mounted `ro`). */
  readonly readOnly: boolean;
  /** The type mount(8) shows: the filesystem's, or the name a directory was mounted again with (nullfs, lofs, bind). */
  readonly type: string;
  /** The cell whose process made the mount (null: the kernel at boot, for the host). */
  readonly owner: Cell | null;
}

export interface MountOptions {
  /** Mount this directory of the filesystem rather than its root (nullfs). */
  readonly root?: Link;
  readonly readOnly?: boolean;
  /** What mount(8) shows as the type (default: the filesystem's). */
  readonly type?: string;
  readonly owner?: Cell;
}

export interface Loc {
  readonly mnt: Mount;
  readonly link: Link;
}

export class MountNamespace {
  /**
   * Mountpoint link → the mount on top of it. A mount covers its mountpoint only as reached
   * through its parent mount (`over.parent`): the same directory reached through a nullfs
   * mount shows what lies under the mountpoint, as FreeBSD's nullfs does.
   */
  readonly covered = new Map<Link, Mount>();
  /** Mounts in the order they were made (for /proc/mounts); a set, so unmounting is O(1). */
  readonly mounts = new Set<Mount>();
  /** How many mounts sit on top of each mount (unmount's EBUSY, without a scan). */
  private readonly above = new Map<Mount, number>();
  readonly root: Mount;

  constructor(rootFs: MemFs, source: string) {
    this.root = { fs: rootFs, root: rootFs.root, source, parent: null, mountpoint: null, readOnly: rootFs.readOnly, type: rootFs.type, owner: null };
    this.mounts.add(this.root);
  }

  mount(fs: MemFs, source: string, at: Loc, options: MountOptions = {}): Mount {
    const mount: Mount = {
      fs,
      root: options.root ?? fs.root,
      source,
      parent: at.mnt,
      mountpoint: at.link,
      readOnly: fs.readOnly || options.readOnly === true,
      type: options.type ?? fs.type,
      owner: options.owner ?? null,
    };
    this.covered.set(at.link, mount);
    this.mounts.add(mount);
    this.above.set(at.mnt, (this.above.get(at.mnt) ?? 0) + 1);
    return mount;
  }

  /** Removes a mount that has no mounts on top of it. */
  unmount(mount: Mount): void {
    if (!this.mounts.delete(mount)) return;
    if (mount.mountpoint !== null) this.covered.delete(mount.mountpoint);
    const parent = mount.parent;
    if (parent !== null) {
      const left = (this.above.get(parent) ?? 1) - 1;
      if (left === 0) this.above.delete(parent);
      else this.above.set(parent, left);
    }
  }

  hasChildren(mount: Mount): boolean {
    return this.above.has(mount);
  }
}
