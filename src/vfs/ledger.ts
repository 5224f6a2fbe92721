/**
 * Who holds the disk and inode charges of each file: the boundary charges a cell's partition
 * when a call creates a file or makes one longer; the node keeps the record, and its release
 * paths (truncate, unlink of the last link) give back exactly what was charged. Files that
 * came in with a rootfs sample were never charged and give nothing back.
 *
 * The records outlive a CLI invocation: saveLedger lists them by inode number and cell name,
 * restoreLedger puts them back on the restored nodes, held for each named cell by a detached
 * partition (its holder) until the cell is in the kernel again and claims them (SavedCharges).
 * A cell that stays down keeps its holder, which is saved again under its name; charges of a
 * cell that is gone are dropped.
 * Owned by the vfs subsystem.
 */
import type { MemFs, Node } from './memfs.js';
import { Partition } from '../cells/partition.js';

interface NodeCharges {
  inode: Partition | null;
  /** Bytes charged, by partition, in the order they were charged. */
  readonly bytes: Map<Partition, number>;
}

const ledger = new WeakMap<Node, NodeCharges>();

function recordOf(node: Node): NodeCharges {
  let record = ledger.get(node);
  if (record === undefined) {
    record = { inode: null, bytes: new Map() };
    ledger.set(node, record);
  }
  return record;
}

/** A node created through the boundary holds one inode of `partition`. */
export function holdInode(node: Node, partition: Partition): void {
  recordOf(node).inode = partition;
}

/** A node grown through the boundary holds `bytes` more of `partition`'s disk. */
export function holdBytes(node: Node, partition: Partition, bytes: number): void {
  if (bytes <= 0) return;
  const held = recordOf(node).bytes;
  held.set(partition, (held.get(partition) ?? 0) + bytes);
}

/** A node shrank by `bytes`: give back up to that much, latest charges first. */
export function releaseBytes(node: Node, bytes: number): void {
  const record = ledger.get(node);
  if (record === undefined || bytes <= 0) return;
  let left = bytes;
  for (const [partition, held] of [...record.bytes].reverse()) {
    const back = Math.min(held, left);
    partition.uncharge('disk', back);
    if (back === held) record.bytes.delete(partition);
    else record.bytes.set(partition, held - back);
    left -= back;
    if (left === 0) break;
  }
}

/** A node was freed (its last link gone): give back its inode and every byte. */
export function releaseNode(node: Node): void {
  const record = ledger.get(node);
  if (record === undefined) return;
  record.inode?.uncharge('inodes', 1);
  for (const [partition, held] of record.bytes) partition.uncharge('disk', held);
  ledger.delete(node);
}

/** What a node holds (for tests and accounting views). */
export function heldBy(node: Node): { readonly inode: Partition | null; readonly bytes: ReadonlyMap<Partition, number> } | undefined {
  return ledger.get(node);
}

/** One saved record: the node's inode number, the cell holding its inode, the bytes each cell holds. */
export type LedgerRow = [ino: number, inode: string | null, bytes: [owner: string, amount: number][]];

/** Holders of restored charges, by the name of the cell they are kept for. */
const holderNames = new WeakMap<Partition, string>();

/** The cell a holder keeps restored charges for (undefined: not a holder, or claimed). */
export function heldFor(partition: Partition): string | undefined {
  return holderNames.get(partition);
}

/**
 * The records of every node of `fs`, owners named by `nameOf`; owners it names undefined (a
 * cell that is gone) are left out, and so are nodes left with nothing.
 */
export function saveLedger(fs: MemFs, nameOf: (partition: Partition) => string | undefined): LedgerRow[] {
  const name = (p: Partition | null): string | undefined => (p === null ? undefined : nameOf(p));
  const rows: LedgerRow[] = [];
  for (const node of Object.values(fs.sb.inodes)) {
    const record = ledger.get(node);
    if (record === undefined) continue;
    const bytes: [string, number][] = [];
    for (const [partition, amount] of record.bytes) {
      const owner = name(partition);
      if (owner !== undefined) bytes.push([owner, amount]);
    }
    const inode = name(record.inode) ?? null;
    if (inode !== null || bytes.length > 0) rows.push([node.ino, inode, bytes]);
  }
  return rows.sort((a, b) => a[0] - b[0]);
}

/** Saved charges put back on their nodes, waiting for their cells. */
export class SavedCharges {
  constructor(private readonly holders: ReadonlyMap<string, { readonly partition: Partition; readonly nodes: readonly Node[] }>) {}

  /**
   * The cell `name` is in the kernel with `partition`: its restored charges move there (and up
   * its ancestors), carried over without a limit check, as they were admitted when made.
   */
  claim(name: string, partition: Partition): void {
    const holder = this.holders.get(name);
    if (holder === undefined || holderNames.get(holder.partition) !== name) return;
    holderNames.delete(holder.partition);
    for (const node of holder.nodes) {
      const record = ledger.get(node);
      if (record === undefined) continue; // freed since
      if (record.inode === holder.partition) {
        record.inode = partition;
        partition.carry('inodes', 1);
      }
      const held = record.bytes.get(holder.partition);
      if (held === undefined) continue;
      // The restored bytes are the oldest: first in line, so later charges are given back first.
      const rest = [...record.bytes].filter(([p]) => p !== holder.partition && p !== partition);
      const own = (record.bytes.get(partition) ?? 0) + held;
      record.bytes.clear();
      record.bytes.set(partition, own);
      for (const [p, amount] of rest) record.bytes.set(p, amount);
      partition.carry('disk', held);
    }
  }
}

/**
 * Gives the nodes of the restored `fs` the records in `rows` (rows naming inodes `fs` lacks are
 * skipped, and bytes past a file's size are not restored), each owner a holder until claimed.
 */
export function restoreLedger(fs: MemFs, rows: readonly LedgerRow[]): SavedCharges {
  const holders = new Map<string, { partition: Partition; nodes: Node[] }>();
  const holderOf = (name: string, node: Node): Partition => {
    let holder = holders.get(name);
    if (holder === undefined) {
      holder = { partition: new Partition(null), nodes: [] };
      holderNames.set(holder.partition, name);
      holders.set(name, holder);
    }
    if (holder.nodes[holder.nodes.length - 1] !== node) holder.nodes.push(node);
    return holder.partition;
  };
  for (const [ino, inode, bytes] of rows) {
    const node = fs.sb.inodes[ino];
    if (node === undefined || ledger.has(node)) continue;
    const record = recordOf(node);
    if (inode !== null) {
      record.inode = holderOf(inode, node);
      record.inode.carry('inodes', 1);
    }
    let room = node.isDirectory() || node.isSymlink() ? 0 : node.getSize();
    for (const [owner, amount] of bytes) {
      const restored = Math.min(amount, room);
      if (restored <= 0) continue;
      room -= restored;
      const holder = holderOf(owner, node);
      record.bytes.set(holder, (record.bytes.get(holder) ?? 0) + restored);
      holder.carry('disk', restored);
    }
  }
  return new SavedCharges(holders);
}
