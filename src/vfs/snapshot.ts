/**
 * Snapshots of a memfs filesystem, so the host's files outlive one invocation (issue 4,
 * durable state). A snapshot keeps the whole tree: directories in their readdir order,
 * regular file bytes, symlink targets, hard links (one node, several entries), mode bits
 * (setuid, sticky...), uid, gid, link counts, rdev, virtual mtime and ctime, inode numbers and
 * the inode allocator, so a restored filesystem answers stat and allocates the next inode
 * exactly as the original would. atime is not kept: filesystems are noatime (stat.ts).
 *
 * Layout (version 1), chosen over JSON with base64 because file bytes dominate the size:
 *
 *   "CBFS" | u32 BE version | u32 BE header length | header (JSON) | file bytes | SHA-256
 *
 * header = { root, nextIno, released, nodes: [[ino, mode, uid, gid, nlink, rdev, mtime, ctime,
 * extra?]], dirs: [[ino, name, ino, name, ino, ...]] } where extra is a symlink's target or
 * the byte count of any other non-directory (its bytes follow in node order). Nodes and
 * directories are listed breadth first in readdir order, so the same tree gives the same bytes.
 * The digest covers everything before it. restoreFs checks a snapshot whole before touching the
 * target: a damaged one throws SnapshotError and changes nothing.
 */
import { createHash } from 'node:crypto';
import type { Node } from '@jsonjoy.com/fs-core';
import { S_IFDIR, S_IFLNK, S_IFMT } from '../kernel/abi.js';
import { newNode, stamp, stampChange, type Link, type MemFs } from './memfs.js';

export const SNAPSHOT_VERSION = 1;
const MAGIC = Buffer.from('CBFS', 'latin1');
const PREFIX = MAGIC.length + 8;
const DIGEST = 32;

/** A snapshot that cannot be restored; the message is the reason, without a path. */
export class SnapshotError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SnapshotError';
  }
}

type NodeRow = [ino: number, mode: number, uid: number, gid: number, nlink: number, rdev: number, mtime: number, ctime: number, extra?: string | number];
type DirRow = [ino: number, ...entries: (string | number)[]];

interface Header {
  root: number;
  nextIno: number;
  released: number[];
  nodes: NodeRow[];
  dirs: DirRow[];
}

/** Serializes `fs` (a plain filesystem: synthetic ones such as procfs cannot be saved). */
export function snapshotFs(fs: MemFs): Buffer {
  if (fs.hooks !== null) throw new Error(`snapshotFs: ${fs.type} is a synthetic filesystem`);
  const nodes: NodeRow[] = [];
  const dirs: DirRow[] = [];
  const blobs: Buffer[] = [];
  const seen = new Map<number, Node>();
  const visit = (node: Node): boolean => {
    const known = seen.get(node.ino);
    if (known === node) return false;
    if (known !== undefined) throw new Error(`snapshotFs: two nodes share inode ${node.ino}`);
    seen.set(node.ino, node);
    const row: NodeRow = [node.ino, node.mode, node.uid, node.gid, node.nlink, node.rdev, node.mtime.getTime(), node.ctime.getTime()];
    if (node.isSymlink()) row.push(node.symlink);
    else if (!node.isDirectory()) {
      row.push(node.getSize());
      blobs.push(node.buf.subarray(0, node.getSize())); // not getBuffer(): it stamps atime
    }
    nodes.push(row);
    return node.isDirectory();
  };
  visit(fs.root.getNode());
  const queue: Link[] = [fs.root];
  for (let i = 0; i < queue.length; i++) {
    const dir = queue[i]!;
    const row: DirRow = [dir.getNode().ino];
    for (const [name, child] of entries(dir)) {
      row.push(name, child.getNode().ino);
      if (visit(child.getNode())) queue.push(child);
    }
    dirs.push(row);
  }
  const header: Header = { root: fs.root.getNode().ino, nextIno: fs.sb.ino, released: [...fs.sb.releasedInos], nodes, dirs };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(PREFIX);
  MAGIC.copy(prefix);
  prefix.writeUInt32BE(SNAPSHOT_VERSION, MAGIC.length);
  prefix.writeUInt32BE(json.length, MAGIC.length + 4);
  const parts = [prefix, json, ...blobs];
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return Buffer.concat([...parts, hash.digest()]);
}

/**
 * Rebuilds a snapshot into `fs`, which must be empty (as a new MemFs is). Throws SnapshotError
 * for a damaged or unsupported snapshot, leaving `fs` untouched.
 */
export function restoreFs(data: Uint8Array, fs: MemFs): void {
  const root = fs.root;
  if ([...entries(root)].length > 0) throw new Error('restoreFs: the target filesystem is not empty');
  const { header, blobs } = parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  const rows = new Map(header.nodes.map((row) => [row[0], row]));
  const nodes = new Map<number, Node>();
  const rootNode = root.getNode();
  delete fs.sb.inodes[rootNode.ino];
  rootNode.ino = root.ino = header.root;
  nodes.set(header.root, rootNode);
  for (const row of header.nodes) {
    if (row[0] === header.root) continue;
    const node = newNode(row[0], row[1], row[2], row[3], 0); // times are set from the row below
    if (typeof row[8] === 'string') node.symlink = row[8];
    else if (typeof row[8] === 'number') node.setBuffer(blobs.get(row[0])!);
    nodes.set(row[0], node);
  }
  for (const [ino, node] of nodes) fs.sb.inodes[ino] = node;
  const dirs = new Map(header.dirs.map((row) => [row[0], row]));
  const queue: Link[] = [root];
  for (let i = 0; i < queue.length; i++) {
    const dir = queue[i]!;
    const row = dirs.get(dir.getNode().ino)!;
    for (let j = 1; j < row.length; j += 2) {
      const child = dir.createChild(row[j] as string, nodes.get(row[j + 1] as number)!);
      if (child.getNode().isDirectory()) queue.push(child);
    }
  }
  // Last, because linking stamps real time and bumps link counts.
  for (const [ino, node] of nodes) {
    const [, mode, uid, gid, nlink, rdev, mtime, ctime] = rows.get(ino)!;
    node.mode = mode;
    node.uid = uid;
    node.gid = gid;
    node.nlink = nlink;
    node.rdev = rdev;
    stamp(node, mtime);
    stampChange(node, ctime);
  }
  fs.sb.ino = header.nextIno;
  fs.sb.releasedInos = [...header.released];
}

/** The entries of a directory, without memfs's "." and "..". */
function* entries(dir: Link): Generator<[string, Link]> {
  for (const [name, child] of dir.children) if (name !== '.' && name !== '..' && child !== undefined) yield [name, child];
}


/** Checks a snapshot whole: framing, digest, header shape and tree structure. */
function parse(buf: Buffer): { header: Header; blobs: Map<number, Buffer> } {
  if (buf.length < PREFIX || !buf.subarray(0, MAGIC.length).equals(MAGIC)) throw new SnapshotError('not a cellblock filesystem snapshot');
  const version = buf.readUInt32BE(MAGIC.length);
  if (version > SNAPSHOT_VERSION) throw new SnapshotError(`snapshot format version ${version} is newer than this cellblock supports (${SNAPSHOT_VERSION})`);
  if (version !== SNAPSHOT_VERSION) throw new SnapshotError(`unknown snapshot format version ${version}`);
  const headerEnd = PREFIX + buf.readUInt32BE(MAGIC.length + 4);
  if (buf.length < headerEnd + DIGEST) throw new SnapshotError('truncated snapshot');
  const bodyEnd = buf.length - DIGEST;
  if (!createHash('sha256').update(buf.subarray(0, bodyEnd)).digest().equals(buf.subarray(bodyEnd))) throw new SnapshotError('snapshot checksum mismatch (damaged or truncated file)');
  let json: unknown;
  try {
    json = JSON.parse(buf.subarray(PREFIX, headerEnd).toString('utf8'));
  } catch (err) {
    throw new SnapshotError(`bad snapshot header (${(err as Error).message})`);
  }
  const header = checkHeader(json);
  const blobs = new Map<number, Buffer>();
  let at = headerEnd;
  for (const row of header.nodes) {
    if (typeof row[8] !== 'number') continue;
    if (at + row[8] > bodyEnd) throw new SnapshotError('snapshot file data is shorter than its header says');
    blobs.set(row[0], buf.subarray(at, (at += row[8])));
  }
  if (at !== bodyEnd) throw new SnapshotError('snapshot file data is longer than its header says');
  return { header, blobs };
}

const U32 = 0xffffffff;
const isInt = (x: unknown, min: number, max: number): x is number => Number.isSafeInteger(x) && (x as number) >= min && (x as number) <= max;
const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function fail(what: string): never {
  throw new SnapshotError(`bad snapshot header: ${what}`);
}

function checkHeader(json: unknown): Header {
  if (typeof json !== 'object' || json === null) fail('not an object');
  const h = json as Partial<Record<keyof Header, unknown>>;
  if (!isInt(h.root, 1, U32) || !isInt(h.nextIno, 0, U32)) fail('bad root or nextIno');
  if (!Array.isArray(h.released) || !h.released.every((x) => isInt(x, 1, U32))) fail('bad released inodes');
  if (!Array.isArray(h.nodes) || !Array.isArray(h.dirs)) fail('nodes or dirs missing');
  const modes = new Map<number, number>();
  for (const row of h.nodes as unknown[]) checkNode(row, modes);
  for (const ino of h.released as number[]) if (modes.has(ino)) fail(`inode ${ino} is both used and free`);
  if (modes.get(h.root) !== S_IFDIR) fail('the root is not a directory');
  checkTree(h.root, h.dirs as unknown[], modes);
  return json as Header;
}

function checkNode(row: unknown, modes: Map<number, number>): void {
  if (!Array.isArray(row) || row.length < 8 || row.length > 9) fail('bad node');
  const [ino, mode, uid, gid, nlink, rdev, mtime, ctime, extra] = row as unknown[];
  if (!isInt(ino, 1, U32) || modes.has(ino)) fail(`bad or repeated inode ${String(ino)}`);
  if (!isInt(mode, 0, 0o177777) || !isInt(uid, 0, U32) || !isInt(gid, 0, U32) || !isInt(nlink, 0, U32) || !isInt(rdev, 0, Number.MAX_SAFE_INTEGER)) fail(`bad attributes of inode ${ino}`);
  if (!isTime(mtime) || !isTime(ctime)) fail(`bad times of inode ${ino}`);
  const type = mode & S_IFMT;
  const extraOk = type === S_IFDIR ? extra === undefined : type === S_IFLNK ? typeof extra === 'string' : isInt(extra, 0, U32);
  if (!extraOk) fail(`bad content of inode ${ino}`);
  modes.set(ino, type);
}

/** Every directory listed once, every node reachable from the root, no directory linked twice. */
function checkTree(root: number, dirs: unknown[], modes: Map<number, number>): void {
  const rows = new Map<number, unknown[]>();
  for (const row of dirs) {
    if (!Array.isArray(row) || row.length % 2 !== 1 || modes.get(row[0] as number) !== S_IFDIR || rows.has(row[0] as number)) fail('bad directory');
    rows.set(row[0] as number, row);
  }
  const reached = new Set([root]);
  const queue = [root];
  for (let i = 0; i < queue.length; i++) {
    const row = rows.get(queue[i]!);
    if (row === undefined) fail(`directory ${queue[i]} has no entry list`);
    const names = new Set<string>();
    for (let j = 1; j < row.length; j += 2) {
      const [name, ino] = [row[j], row[j + 1]];
      if (typeof name !== 'string' || name === '' || name === '.' || name === '..' || /[/\0]/.test(name) || names.has(name)) fail(`bad entry name ${JSON.stringify(name)}`);
      names.add(name);
      if (typeof ino !== 'number' || !modes.has(ino)) fail(`entry ${name} names no inode`);
      const isDir = modes.get(ino) === S_IFDIR;
      if (isDir && reached.has(ino)) fail(`directory ${ino} is linked twice`);
      if (!reached.has(ino)) {
        reached.add(ino);
        if (isDir) queue.push(ino);
      }
    }
  }
  if (reached.size !== modes.size || rows.size !== queue.length) fail('unreachable nodes');
}

/** Checks a snapshot whole without restoring it; throws SnapshotError when it is damaged. */
export function checkSnapshot(data: Uint8Array): void {
  parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}
