/**
 * One SysV id space (the queues, or the segments, of one namespace), numbered as FreeBSD
 * numbers them: a fixed table of slots, the lowest free slot first, and a sequence number per
 * slot bumped at each reuse, id = seq << 16 | slot (IXSEQ_TO_IPCID). The first object is 65536;
 * a removed object's id stays invalid until its slot has wrapped 32768 times. Deterministic: the
 * ids depend only on the order of creations and removals in this namespace.
 * Owned by the ipc subsystem.
 */
import { IPC_PRIVATE } from '../kernel/abi.js';
import { fail } from '../kernel/errno.js';
import type { IpcObject } from './perm.js';

const SEQ_MAX = 0x8000;

interface Slot<T> {
  obj: T | undefined;
  seq: number;
}

export class IdSpace<T extends IpcObject> {
  private readonly slots: Slot<T>[] = [];

  /** @param max how many objects the space holds (msgmni, shmmni); one more is ENOSPC */
  constructor(readonly max: number) {}

  /** The id the next creation gets, so the object can be built knowing it; ENOSPC when full. */
  nextId(): number {
    let ix = this.slots.findIndex((slot) => slot.obj === undefined);
    if (ix < 0) {
      if (this.slots.length >= this.max) throw fail('ENOSPC');
      ix = this.slots.length;
    }
    const seq = ((this.slots[ix]?.seq ?? 0) + 1) % SEQ_MAX;
    return (seq << 16) | ix;
  }

  /** Places an object built with nextId()'s id. */
  insert(obj: T): void {
    this.slots[obj.id & 0xffff] = { obj, seq: obj.id >>> 16 };
  }

  /** The live object with this id; undefined for a free slot or a stale sequence number. */
  byId(id: number): T | undefined {
    if (!Number.isSafeInteger(id) || id < 0) return undefined;
    const slot = this.slots[id & 0xffff];
    return slot?.obj !== undefined && slot.seq === Math.floor(id / 0x10000) ? slot.obj : undefined;
  }

  /** The object created with `key`; IPC_PRIVATE names none. */
  byKey(key: number): T | undefined {
    if (key === IPC_PRIVATE) return undefined;
    return this.slots.find((slot) => slot.obj?.key === key)?.obj;
  }

  remove(obj: T): void {
    const slot = this.slots[obj.id & 0xffff];
    if (slot?.obj === obj) slot.obj = undefined;
  }

  /** Every live object, in slot order (as ipcs lists them). */
  all(): T[] {
    return this.slots.flatMap((slot) => (slot.obj === undefined ? [] : [slot.obj]));
  }
}
