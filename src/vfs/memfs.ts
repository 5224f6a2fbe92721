/**
 * A filesystem instance backed by memfs. memfs keeps the inodes (Node) and directory entries
 * (Link); the kernel does path resolution, permission checks and time stamps itself, so it
 * works on those structures directly rather than through memfs's path API.
 *
 * memfs stamps nodes with real time; every mutation here re-stamps them with the virtual
 * clock, so what stat returns is deterministic.
 */
import { Node, Superblock, type Link } from '@jsonjoy.com/fs-core';
import { S_IFDIR, S_IFMT } from '../kernel/abi.js';
import type { Viewer as Process } from '../proc/process.js';
import { releaseNode } from './ledger.js';

export type { Link, Node };

/**
 * The process memfs asks for a new node's owner and its working directory: the simulation's,
 * not the host's. memfs would otherwise ask the real process (getuid(2) for every node, about
 * 1.3 µs each, and an owner that depends on who runs cellblock); owners are set by the kernel.
 */
const SIMULATED_PROCESS = Object.freeze({
  getuid: (): number => 0,
  getgid: (): number => 0,
  cwd: (): string => '/',
  platform: 'linux',
  emitWarning: (): void => undefined,
  env: {},
});

/** Special behaviour attached to a node of a synthetic filesystem (procfs, devfs, cgroupfs). */
export interface NodeHook {
  /** May the caller see this entry? Hidden entries are ENOENT. */
  visible?(viewer: Process): boolean;
  /** Content generated at open time for a read-only file. */
  content?(viewer: Process): string;
  /**
   * May the caller open this file? In place of its permission bits, for a file whose access
   * follows another rule (/proc/PID/environ: ptrace's, the owner or proc_owner).
   */
  mayOpen?(viewer: Process): boolean;
  /** Target generated at readlink time. */
  readlink?(viewer: Process): string;
  /** The device driver of a character device node. */
  device?: string;
  /** Brings a generated directory's entries up to date before a lookup or readdir in it (cgroupfs). */
  refresh?(): void;
}

export class MemFs {
  readonly sb: Superblock;
  readonly dev: number;
  /** Hooks for synthetic filesystems; null for plain ones, so the hot path skips them. */
  readonly hooks: Map<Node, NodeHook> | null;
  readonly readOnly: boolean;

  /** @param dev the device number stat reports, allocated per kernel (Kernel.nextId) */
  constructor(readonly type: string, dev: number, options: { hooks?: boolean; readOnly?: boolean } = {}) {
    this.sb = new Superblock({ process: SIMULATED_PROCESS });
    this.dev = dev;
    this.hooks = options.hooks ? new Map() : null;
    this.readOnly = options.readOnly ?? false;
    const rootNode = this.sb.root.getNode();
    rootNode.mode = S_IFDIR | 0o755;
    stamp(rootNode, 0);
  }

  get root(): Link {
    return this.sb.root;
  }

  /** Creates an entry in `dir`: mode carries the file type bits (S_IFDIR, S_IFREG, ...). */
  create(dir: Link, name: string, mode: number, uid: number, gid: number, now: number): Link {
    const sb = this.sb as unknown as SuperblockInodes;
    const node = newNode(sb.newInoNumber(), mode, uid, gid, now);
    sb.inodes[node.ino] = node;
    const link = dir.createChild(name, node);
    // After createChild: memfs's nlink setter stamps real time on a new directory.
    stamp(node, now);
    stamp(dir.getNode(), now);
    return link;
  }

  createSymlink(dir: Link, name: string, target: string, uid: number, gid: number, now: number): Link {
    const link = this.create(dir, name, 0o120777, uid, gid, now);
    const node = link.getNode();
    node.makeSymlink(target);
    node.mode = 0o120777; // makeSymlink resets the permission bits
    stamp(link.getNode(), now);
    return link;
  }

  /** Adds a hard link to an existing node. */
  addLink(dir: Link, name: string, node: Node, now: number): Link {
    node.nlink++;
    const link = dir.createChild(name, node);
    stamp(dir.getNode(), now);
    stampChange(node, now);
    return link;
  }

  /** Removes a directory entry; frees the node when its last link goes. */
  removeLink(link: Link, now: number): void {
    const parent = link.parent;
    if (parent === undefined) return;
    const node = link.getNode();
    parent.deleteChild(link);
    stamp(parent.getNode(), now);
    node.nlink--;
    if (node.isDirectory()) node.nlink--; // its own "." entry
    if (node.nlink <= 0) {
      this.hooks?.delete(node);
      releaseNode(node);
      this.sb.deleteNode(node);
    } else stampChange(node, now);
  }

  /** Moves an entry to a new parent and name (the target name must be free). */
  move(link: Link, newDir: Link, newName: string, now: number): void {
    const oldDir = link.parent;
    if (oldDir === undefined) return;
    oldDir.deleteChild(link);
    link.name = newName;
    // memfs names a link by the last of its cached steps (deleteChild, getName): keep them true.
    link.steps = [...newDir.steps, newName];
    newDir.setChild(newName, link);
    stamp(oldDir.getNode(), now);
    stamp(newDir.getNode(), now);
  }
}

/** The Superblock internals `create` stands in for createNode with (memfs is pinned for them). */
interface SuperblockInodes {
  newInoNumber(): number;
  inodes: Record<number, Node>;
}

/** What memfs's Node constructor sets, in its order. */
interface NodeFields {
  changes: unknown;
  _uid: number;
  _gid: number;
  _atime: Date;
  _mtime: Date;
  _ctime: Date;
  _btime: Date;
  buf: Buffer;
  capacity: number;
  size: number;
  rdev: number;
  _nlink: number;
  mode: number;
  ino: number;
}

/**
 * Nodes as memfs's constructor makes them (the same fields in the same order, so one hidden
 * class), without what that constructor costs here: it asks the real process for its uid and
 * gid (getuid(2), about 1.3 µs a call; a third of a check run's time went there), reads the real
 * clock four times, and gives every node its own change emitter, which nothing here listens to.
 */
const TEMPLATE = new Node(0, 0, 0, 0) as unknown as NodeFields;
const SimulatedNode = function (this: NodeFields, ino: number, mode: number, uid: number, gid: number, now: Date) {
  this.changes = TEMPLATE.changes;
  this._uid = uid;
  this._gid = gid;
  this._atime = now;
  this._mtime = now;
  this._ctime = now;
  this._btime = now;
  this.buf = TEMPLATE.buf;
  this.capacity = 0;
  this.size = 0;
  this.rdev = 0;
  this._nlink = 1;
  this.mode = mode;
  this.ino = ino;
} as unknown as new (ino: number, mode: number, uid: number, gid: number, now: Date) => Node;
SimulatedNode.prototype = Node.prototype;

/** A node as memfs's would be, made without its real-process and real-clock costs (SimulatedNode). */
export function newNode(ino: number, mode: number, uid: number, gid: number, now: number): Node {
  return new SimulatedNode(ino, mode, uid, gid, dateAt(now));
}

/**
 * memfs's time fields. Its `mtime` setter also stamps ctime with real time, so the kernel
 * writes the fields themselves (pinned memfs version; the VFS tests check the stamps).
 */
interface NodeTimes {
  _mtime: Date;
  _ctime: Date;
}

let stampMs = -1;
let stampDate = new Date(0);

function dateAt(now: number): Date {
  if (now !== stampMs) {
    stampMs = now;
    stampDate = new Date(now);
  }
  return stampDate;
}

/** Sets mtime and ctime to a virtual time. Dates are shared per tick: nothing mutates them. */
export function stamp(node: Node, now: number): void {
  const times = node as unknown as NodeTimes;
  times._mtime = times._ctime = dateAt(now);
}

/** Sets ctime alone (a change of metadata: mode, owner, link count). */
export function stampChange(node: Node, now: number): void {
  (node as unknown as NodeTimes)._ctime = dateAt(now);
}

export function isDir(node: Node): boolean {
  return (node.mode & S_IFMT) === S_IFDIR;
}
