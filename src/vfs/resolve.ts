/**
 * Path resolution (namei), component by component, confined to the caller's root.
 *
 * The confinement rule (FreeBSD's vfs_lookup ISDOTDOT rule, made strict):
 * - an absolute path, and an absolute symlink target, start at the process root;
 * - `..` at the process root stays there; `..` at the root of a mount goes to the mountpoint's
 *   parent in the covering mount;
 * - `..` from a directory that is not below the process root (a cwd left outside by a rename,
 *   or handed in) fails with ENOENT, as FreeBSD's jail_lookup_root test expects, so nothing
 *   above the root can be named;
 * - at most 40 symlinks per lookup (ELOOP).
 * Nothing else can reach above the root: procfs's cwd/root links are plain text resolved here.
 */
import { fail } from '../kernel/errno.js';
import type { Viewer as Process } from '../proc/process.js';
import type { Link, Node } from './memfs.js';
import type { Loc, Mount } from './mount.js';
import { modeAllows, rootMayExecute, X_OK } from './perm.js';

export const MAXSYMLINKS = 40;
export const NAME_MAX = 255;
export const PATH_MAX = 1024;

/** Resolves `path` for process `p`. `follow`: follow a symlink in the last component. */
export function lookup(p: Process, path: string, follow: boolean): Loc {
  const found = walk(p, path, follow, false);
  return { mnt: found.mnt, link: found.link };
}

export interface ParentAndName {
  readonly dir: Loc;
  /** The last component, unresolved; may be "." or ".." (callers refuse those). */
  readonly name: string;
}

/** Resolves all but the last component of `path`, for calls that create or remove entries. */
export function lookupParent(p: Process, path: string): ParentAndName {
  const found = walk(p, path, false, true);
  return { dir: { mnt: found.mnt, link: found.link }, name: found.last };
}

interface WalkResult {
  mnt: Mount;
  link: Link;
  last: string;
}

function walk(p: Process, path: string, follow: boolean, stopBeforeLast: boolean): WalkResult {
  if (path.length === 0) throw fail('ENOENT');
  if (path.length > PATH_MAX) throw fail('ENAMETOOLONG');
  let mnt: Mount;
  let link: Link;
  if (path.charCodeAt(0) === 47 /* / */) {
    mnt = p.root.mnt;
    link = p.root.link;
  } else {
    mnt = p.cwd.mnt;
    link = p.cwd.link;
  }
  let parts = path.split('/');
  let links = 0;
  const covered = p.ns.mnt.covered;
  for (let i = 0; i < parts.length; i++) {
    const name = parts[i]!;
    if (name === '' || name === '.') {
      if (name === '.' && !isDirNode(link.getNode())) throw fail('ENOTDIR');
      continue;
    }
    const dirNode = link.getNode();
    if (!isDirNode(dirNode)) throw fail('ENOTDIR');
    if (!maySearch(p, dirNode)) throw fail('EACCES');
    if (stopBeforeLast && isLast(parts, i)) return { mnt, link, last: name };
    if (name === '..') {
      const up = parentOf(p, mnt, link);
      mnt = up.mnt;
      link = up.link;
      continue;
    }
    if (name.length > NAME_MAX) throw fail('ENAMETOOLONG');
    const hooks = mnt.fs.hooks;
    if (hooks !== null) hooks.get(dirNode)?.refresh?.();
    let child = link.children.get(name);
    if (child === undefined) throw fail('ENOENT');
    const node = child.getNode();
    const hook = hooks === null ? undefined : hooks.get(node);
    if (hook?.visible !== undefined && !hook.visible(p)) throw fail('ENOENT');
    if (node.isSymlink() && (follow || !isLast(parts, i))) {
      if (++links > MAXSYMLINKS) throw fail('ELOOP');
      const target = hook?.readlink !== undefined ? hook.readlink(p) : node.symlink;
      if (target.length === 0) throw fail('ENOENT');
      parts = [...target.split('/'), ...parts.slice(i + 1)];
      i = -1;
      if (target.charCodeAt(0) === 47) {
        mnt = p.root.mnt;
        link = p.root.link;
      }
      continue;
    }
    // Cross onto whatever is mounted here, through this mount (mounts may be stacked).
    let over = covered.get(child);
    while (over !== undefined && over.parent === mnt) {
      mnt = over;
      child = over.root;
      over = covered.get(child);
    }
    link = child;
  }
  if (stopBeforeLast) {
    // "/" or "dir/" or "." as the whole path: there is no last name to create or remove.
    return { mnt, link, last: '.' };
  }
  return { mnt, link, last: '' };
}

function isLast(parts: readonly string[], i: number): boolean {
  for (let j = i + 1; j < parts.length; j++) if (parts[j] !== '') return false;
  return true;
}

function isDirNode(node: Node): boolean {
  return node.isDirectory();
}

function maySearch(p: Process, dir: Node): boolean {
  if (modeAllows(dir, p.cred, X_OK)) return true;
  return p.cred.uid === 0 && rootMayExecute(dir) && p.cell.policy.has('file_dac_search');
}

/** The directory `..` names from (mnt, link), confined to the process root. */
function parentOf(p: Process, mnt: Mount, link: Link): Loc {
  const root = p.root;
  for (;;) {
    if (mnt === root.mnt && link === root.link && !p.cell.unsafe.confinement) return root;
    if (link !== mnt.root) break;
    // At the root of a mount: step out onto the mountpoint, then take its parent.
    if (mnt.parent === null || mnt.mountpoint === null) return { mnt, link }; // the top of everything
    link = mnt.mountpoint;
    mnt = mnt.parent;
  }
  if (!isBelow({ mnt, link }, root) && !p.cell.unsafe.confinement) throw fail('ENOENT');
  const parent = link.parent;
  if (parent === undefined) return { mnt, link };
  return { mnt, link: parent };
}

/** Is `loc` the directory `top` or below it, across mounts? */
export function isBelow(loc: Loc, top: Loc): boolean {
  let mnt: Mount | null = loc.mnt;
  let link: Link | undefined = loc.link;
  while (mnt !== null && link !== undefined) {
    if (mnt === top.mnt && link === top.link) return true;
    if (link === mnt.root) {
      link = mnt.mountpoint ?? undefined;
      mnt = mnt.parent;
    } else link = link.parent;
  }
  return false;
}

/** The path of `loc` as seen from `root`, or undefined when it is not below that root. */
export function pathFrom(root: Loc, loc: Loc): string | undefined {
  const names: string[] = [];
  let mnt: Mount | null = loc.mnt;
  let link: Link | undefined = loc.link;
  while (mnt !== null && link !== undefined) {
    if (mnt === root.mnt && link === root.link) return '/' + names.reverse().join('/');
    if (link === mnt.root) {
      link = mnt.mountpoint ?? undefined;
      mnt = mnt.parent;
    } else {
      names.push(link.getName());
      link = link.parent;
    }
  }
  return undefined;
}

export function sameLoc(a: Loc, b: Loc): boolean {
  return a.mnt === b.mnt && a.link === b.link;
}
