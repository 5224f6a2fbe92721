/**
 * One CLI invocation's host: open the state directory (waiting on its lock), boot the kernel
 * from it (the host's filesystem, its network address, and every defined cell; cells that
 * were running come up again), run the command, and, for a command that changes anything,
 * save everything back atomically. Processes never outlive the invocation. `--network A/N`
 * changes the host's address: it is kept in the state directory by the invocation that gives
 * it (when that invocation succeeds), and every defined cell is checked against it again.
 */
import { Kernel } from '../src/index.js';
import { CellError } from '../src/cells/lifecycle-table.js';
import { SpecError } from '../src/cells/registry.js';
import { LockError, resolveStateDir, StateDir, StateError } from '../src/state/index.js';
import { heldFor, restoreLedger, saveLedger, type LedgerRow } from '../src/vfs/ledger.js';
import type { Partition } from '../src/cells/partition.js';
import { isLoopback, parseCidr } from '../src/net/ipv4.js';

export interface SessionOptions {
  /** --state DIR */
  readonly state: string | undefined;
  /** Save the state back when the command succeeds. */
  readonly save: boolean;
  readonly seed?: number;
  readonly cpus?: number;
  readonly trace?: (line: string) => void;
}

/** What state.json holds for a cell: its spec as given and its lifecycle state. */
interface SavedCell {
  readonly spec: unknown;
  readonly state: string;
}

interface SavedHost {
  readonly hostname: string;
  /** The host's network configuration: its address on em0 (absent: 192.0.2.1/24). */
  readonly network?: { readonly address: string };
  /** Who holds the disk bytes and inodes of the host filesystem's files (vfs/ledger.ts). */
  readonly disk?: LedgerRow[];
}

export const HOST_FS = 'host';

/** The global `--network` option of this invocation (set by cmd/main.ts before the command runs). */
let requestedNetwork: string | undefined;

export function setHostNetwork(address: string | undefined): void {
  requestedNetwork = address;
}

/** A host address as --network and state.json give it: a.b.c.d/n, unicast. */
function validHostAddress(text: string): boolean {
  const cidr = text.includes('/') ? parseCidr(text) : undefined;
  return cidr !== undefined && cidr.address !== 0 && !isLoopback(cidr.address) && cidr.address >>> 28 < 0xe;
}

/** Runs `body` with a kernel booted from the state directory; returns the exit status. */
export async function withSession(options: SessionOptions, body: (k: Kernel) => Promise<number>): Promise<number> {
  const requested = requestedNetwork;
  if (requested !== undefined && !validHostAddress(requested)) {
    process.stderr.write(`cellblock: --network must be a unicast IPv4 address with a /prefix, such as 192.0.2.1/24 (got "${requested}")\n`);
    return 2;
  }
  let dir: StateDir;
  try {
    dir = await StateDir.open(resolveStateDir(options.state), lockWait());
  } catch (err) {
    return report(err);
  }
  try {
    for (const note of dir.notes) process.stderr.write(`${note}\n`);
    const saved = await dir.read();
    const host = saved?.host as SavedHost | null | undefined;
    const disk = ledgerRows(host?.disk, dir.statePath);
    const savedAddr = savedAddress(host?.network, dir.statePath);
    const address = requested ?? savedAddr;
    let restored = false;
    const k = await Kernel.boot({
      seed: options.seed,
      cpus: options.cpus,
      trace: options.trace,
      hostname: host?.hostname,
      ...(address === undefined ? {} : { network: { address } }),
      // The simulated machine's console is this terminal's stderr (zoneadm's warnings, rctl log lines).
      consoleOutput: (data) => void process.stderr.write(data),
      restoreRoot: async (fs) => (restored = await dir.loadFs(HOST_FS, fs)),
    });
    // Disk usage carries over: the saved charges wait for their cells (the host at once).
    const charges = restoreLedger(k.hostCell.root.mnt.fs, restored ? disk : []);
    charges.claim(k.hostCell.name, k.hostCell.partition);
    for (const cell of (saved?.cells ?? []) as SavedCell[]) await k.createCell(cell.spec, { state: cell.state });
    const known = new Map<Partition, string>();
    for (const cell of k.cells.values()) {
      charges.claim(cell.name, cell.partition);
      known.set(cell.partition, cell.name);
    }
    const status = await body(k);
    if (options.save || (requested !== undefined && requested !== savedAddr)) await save(dir, k, known, address);
    return status;
  } catch (err) {
    return report(err);
  } finally {
    await dir.close();
  }
}

/** How long to wait for another invocation's lock: $CELLBLOCK_LOCK_WAIT_MS, else StateDir's default. */
function lockWait(): { waitMs?: number } {
  const ms = Number(process.env.CELLBLOCK_LOCK_WAIT_MS);
  return Number.isFinite(ms) && ms >= 0 && process.env.CELLBLOCK_LOCK_WAIT_MS !== undefined ? { waitMs: ms } : {};
}

/** Saves the host filesystem, the disk ledger and state.json; `known` names the partitions of cells up at boot. */
async function save(dir: StateDir, k: Kernel, known: ReadonlyMap<Partition, string>, address: string | undefined): Promise<void> {
  const fs = k.hostCell.root.mnt.fs;
  await dir.saveFs(HOST_FS, fs);
  const cells: SavedCell[] = [...k.managed.values()].map((c) => ({ spec: c.spec, state: c.state }));
  // Charges of cells in the kernel, of cells stopped since boot, and those still held for
  // defined cells that stayed down; a destroyed cell's are dropped.
  const live = new Map<Partition, string>([...k.cells.values()].map((c) => [c.partition, c.name]));
  const nameOf = (p: Partition): string | undefined => live.get(p) ?? keptFor(k, known.get(p) ?? heldFor(p));
  const host: SavedHost = { hostname: k.hostCell.ns.uts.hostname, ...(address === undefined ? {} : { network: { address } }), disk: saveLedger(fs, nameOf) };
  await dir.write({ host, cells });
}

function keptFor(k: Kernel, name: string | undefined): string | undefined {
  return name !== undefined && k.managed.has(name) ? name : undefined;
}

/** The saved host address, checked: a state file is never trusted blindly. */
function savedAddress(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  const address = (value as { address?: unknown } | null)?.address;
  if (typeof address !== 'string' || !validHostAddress(address)) throw new StateError(path, 'malformed state file ("host.network.address" is not an IPv4 address with a /prefix)');
  return address;
}

/** The saved disk ledger, checked: [ino, inode owner or null, [[owner, bytes], ...]] rows. */
function ledgerRows(value: unknown, path: string): LedgerRow[] {
  if (value === undefined) return [];
  const name = (x: unknown): boolean => typeof x === 'string' && x !== '';
  const amount = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) > 0;
  const ok = Array.isArray(value) && value.every((row: unknown) =>
    Array.isArray(row) && row.length === 3 && amount(row[0]) && (row[1] === null || name(row[1]))
    && Array.isArray(row[2]) && (row[2] as unknown[]).every((b) => Array.isArray(b) && b.length === 2 && name(b[0]) && amount(b[1])));
  if (!ok) throw new StateError(path, 'malformed state file ("host.disk" is not a list of [inode, owner, [[owner, bytes]...]] rows)');
  return value as LedgerRow[];
}

/** Prints a user-facing error and gives the exit status for it; rethrows anything else. */
export function report(err: unknown): number {
  if (err instanceof SpecError) {
    for (const line of err.errors) process.stderr.write(`${line}\n`);
    return 2;
  }
  if (err instanceof CellError) {
    process.stderr.write(`${err.message}\n`);
    return err.benign ? 0 : 1;
  }
  if (err instanceof StateError || err instanceof LockError) {
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  throw err;
}
