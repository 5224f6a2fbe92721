/**
 * The kernel's defined cells by name, with the addresses their specs claim indexed by address,
 * so that defining one more cell checks its addresses against every other in one lookup each
 * (a scan of every cell per definition made defining N cells cost N²).
 */
import { addressClaims, AddressHolders, type Holder } from '../spec/network.js';
import type { ManagedCell } from './managed.js';

export class ManagedCells {
  private readonly byName = new Map<string, ManagedCell>();
  private readonly claimed = new Map<string, number[]>();
  private readonly holders = new AddressHolders();

  get(name: string): ManagedCell | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  keys(): IterableIterator<string> {
    return this.byName.keys();
  }

  values(): IterableIterator<ManagedCell> {
    return this.byName.values();
  }

  get size(): number {
    return this.byName.size;
  }

  /** Adds a cell, and what its spec's addresses claim. */
  set(name: string, cell: ManagedCell): void {
    this.delete(name);
    this.byName.set(name, cell);
    const claims = addressClaims(cell.spec);
    for (const claim of claims) this.holders.add({ cell: `cell "${name}"`, name, claim });
    this.claimed.set(name, claims.map((c) => c.address));
  }

  delete(name: string): void {
    if (!this.byName.delete(name)) return;
    this.holders.remove(name, this.claimed.get(name) ?? []);
    this.claimed.delete(name);
  }

  /** Cells that claim `address` in their specs. */
  holdersOf(address: number): readonly Holder[] {
    return this.holders.of(address);
  }
}
