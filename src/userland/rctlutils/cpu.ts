/**
 * The CPU part of a cell's partition as cell_get reports it ({ticks, shares, cap}), read
 * defensively: kernels without CPU accounting leave it out, and the views then treat CPU as
 * missing rather than inventing numbers. A cap of null, 0 or Infinity means uncapped.
 */
import type { CellInfo } from '../../kernel/abi.js';

export interface CpuUsage {
  /** CPU time used by the cell and its descendants, in ticks. */
  readonly ticks: number;
  readonly shares: number;
  /** Percent of one CPU, or null when uncapped. */
  readonly cap: number | null;
}

export function cpuOf(info: CellInfo): CpuUsage | undefined {
  const raw: unknown = (info as unknown as Record<string, unknown>)['cpu'];
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { ticks, shares, cap } = raw as Record<string, unknown>;
  if (typeof ticks !== 'number' || typeof shares !== 'number') return undefined;
  const capped = typeof cap === 'number' && cap > 0 && Number.isFinite(cap);
  return { ticks, shares, cap: capped ? cap : null };
}
