/**
 * A cell: namespaces + root + privilege policy + lifecycle + parent. The host is cell 0
 * (FreeBSD's prison0, Solaris's global zone, Linux's initial namespaces). Personalities (jail,
 * zone, ...) only build a Cell from a spec; subsystems never ask which kind a cell is.
 */
import type { Namespaces } from './namespaces.js';
import type { PrivilegePolicy } from '../kernel/privileges.js';
import type { Loc } from '../vfs/mount.js';

export class Cell {
  readonly children = new Set<Cell>();

  constructor(
    readonly id: number,
    readonly name: string,
    readonly parent: Cell | null,
    readonly ns: Namespaces,
    readonly policy: PrivilegePolicy,
    /** The cell's root directory; its processes start there and cannot leave it. */
    readonly root: Loc,
  ) {
    parent?.children.add(this);
  }

  /** Is `other` this cell or one of its descendants? (FreeBSD prison_ischild, plus self.) */
  contains(other: Cell): boolean {
    for (let c: Cell | null = other; c !== null; c = c.parent) if (c === this) return true;
    return false;
  }
}
