/**
 * Channels a policy knowingly allows: ways one cell's activity shows in another's observations
 * that come with the mechanism a cell is built from, as on the real systems. Each is declared
 * per mechanism and found from the kernel cell's configuration (never from its kind); the
 * properties tag the observations that may carry one, accept a difference there only when the
 * observing cell's mechanisms declare it, and list every channel they accepted in their report,
 * so nothing is silently skipped. No state.
 */
import type { Kernel } from '../kernel/kernel.js';
import type { Cell } from '../cells/cell.js';

export const CHANNELS = {
  'pid-numbers': {
    mechanism: 'process visibility without a pid namespace',
    doc: 'cells see only their own processes, but numbered from the host\'s one pid space (FreeBSD jails, Solaris zones): another cell\'s spawns move the numbers a cell gets',
  },
  clock: {
    mechanism: 'one virtual clock and shared CPUs',
    doc: 'every cell reads the same clock and time-shares the CPUs: another cell\'s work moves the times a cell reads (and a cell holding sys_time may set the wall clock for all)',
  },
  'fs-usage': {
    mechanism: 'a root directory on a filesystem shared with others',
    doc: 'the cell\'s root lies on a filesystem other cells or the host also use: statfs counts (df) and inode numbers show their files',
  },
  ports: {
    mechanism: 'a network stack shared with others (address restriction)',
    doc: 'the cell uses a stack other cells or the host also use: their bound ports are taken for it too (EADDRINUSE)',
  },
} as const;

export type ChannelName = keyof typeof CHANNELS;

/** A channel as a report lists it: where it was declared and what it let through. */
export interface ChannelReport {
  readonly name: ChannelName;
  readonly mechanism: string;
  readonly doc: string;
  /** The cells whose mechanisms declare it. */
  readonly cells: readonly string[];
  /** Observations that differed through it (first few, as evidence). */
  readonly evidence: readonly string[];
}

/** The kernel cell of a managed cell's name, or the host for "host". */
export function kernelCell(k: Kernel, name: string): Cell | undefined {
  if (name === 'host') return k.hostCell;
  const id = k.cell(name)?.id;
  return id === undefined ? undefined : k.cells.get(id);
}

/** The channels `cell`'s mechanisms declare, given the other cells of its world. */
export function declaredChannels(k: Kernel, cell: Cell): ChannelName[] {
  const others = [...k.cells.values()].filter((c) => c !== cell && c.state === 'alive');
  const channels: ChannelName[] = ['pid-numbers', 'clock'];
  if (others.some((c) => c.root.mnt.fs === cell.root.mnt.fs)) channels.push('fs-usage');
  const view = cell.ns.net;
  const mayBind = view !== null && (view.allowed === null || view.allowed.size > 0);
  if (mayBind && others.some((c) => c.ns.net?.stack === view.stack)) channels.push('ports');
  return channels;
}

/** Reports for the channels in `seen` (name → evidence), declared by `declaredBy` (name → cells). */
export function channelReports(seen: ReadonlyMap<ChannelName, readonly string[]>, declaredBy: ReadonlyMap<ChannelName, readonly string[]>): ChannelReport[] {
  const names = new Set<ChannelName>([...declaredBy.keys()]);
  return [...names].sort().map((name) => ({ name, ...CHANNELS[name], cells: declaredBy.get(name) ?? [], evidence: seen.get(name) ?? [] }));
}
