/**
 * The generic `limits` of a spec as the kernel takes them: sizes such as "1M" in bytes.
 */
import type { CellParams } from '../kernel/abi.js';
import type { CellLimits } from '../spec/types.js';

const SUFFIX: Readonly<Record<string, number>> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** "1M" → 1048576; a number stays as it is. */
export function bytes(size: number | string): number {
  if (typeof size === 'number') return size;
  const match = /^(\d+)([KMGT]?)$/.exec(size);
  if (match === null) throw new RangeError(`not a size: ${size}`);
  return Number(match[1]) * SUFFIX[match[2]!]!;
}

export function kernelLimits(limits: CellLimits | undefined): CellParams['limits'] {
  if (limits === undefined) return undefined;
  const out: Record<string, number> = {};
  if (limits.processes !== undefined) out.processes = limits.processes;
  if (limits.openFiles !== undefined) out.openFiles = limits.openFiles;
  if (limits.memory !== undefined) out.memory = bytes(limits.memory);
  if (limits.disk !== undefined) out.disk = bytes(limits.disk);
  if (limits.inodes !== undefined) out.inodes = limits.inodes;
  if (limits.ipc !== undefined) out.ipc = limits.ipc;
  if (limits.cpuShares !== undefined) out.cpuShares = limits.cpuShares;
  if (limits.cpuCap !== undefined) out.cpuCap = limits.cpuCap;
  return out;
}
