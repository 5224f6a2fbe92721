/**
 * Who holds the disk and inode charges of each file: the boundary charges a cell's partition
 * when a call creates a file or makes one longer; the node keeps the record, and its release
 * paths (truncate, unlink of the last link) give back exactly what was charged. Files that
 * came in with a rootfs sample or a restored snapshot were never charged and give nothing back.
 * Owned by the vfs subsystem.
 */
import type { Node } from './memfs.js';
import type { Partition } from '../cells/partition.js';

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
