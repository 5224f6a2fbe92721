/**
 * SysV IPC namespaces: each holds its own message queues and shared memory segments, keyed by
 * the IPC key a program names, so the same key in two cells names two different objects. Queues
 * and segments have separate id spaces, as in FreeBSD (the first of each is 65536).
 * Owned by the ipc subsystem.
 */
import { IdSpace } from './ids.js';
import { MSGMNI, type MsgQueue } from './msg.js';
import { SHMMNI, type ShmSegment } from './shm.js';

export class IpcNamespace {
  readonly msg = new IdSpace<MsgQueue>(MSGMNI);
  readonly shm = new IdSpace<ShmSegment>(SHMMNI);

  constructor(readonly id: number) {}

  /** The namespace ends with its cell: every object goes, giving back what it holds. */
  destroy(): void {
    for (const space of [this.msg, this.shm] as IdSpace<MsgQueue | ShmSegment>[]) {
      for (const obj of space.all()) {
        space.remove(obj);
        obj.release();
      }
    }
  }
}
