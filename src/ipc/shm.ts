/**
 * SysV shared memory segments: a zero-filled byte array of fixed size. A simulated process has
 * no address space to map one into, so shmread/shmwrite stand in for shmat(2) plus loads and
 * stores: every access counts as an attach and detach (lpid, atime, dtime), and nothing stays
 * attached (nattch 0), so IPC_RMID frees a segment at once. Owned by the ipc subsystem.
 */
import type { ShmInfo } from '../kernel/abi.js';
import type { Process } from '../proc/process.js';
import { IpcObject } from './perm.js';

/** Largest segment, in bytes (a simulation bound: segments live in the host's memory). */
export const SHMMAX = 4 * 1024 * 1024;
/** Segments per namespace (FreeBSD's default shmmni). */
export const SHMMNI = 192;

export class ShmSegment extends IpcObject {
  readonly bytes: Uint8Array;
  readonly cpid: number;
  lpid = 0;
  atime = 0;
  dtime = 0;

  constructor(id: number, key: number, creator: Process, mode: number, now: number, size: number) {
    super(id, key, creator, mode, now);
    this.bytes = new Uint8Array(size);
    this.cpid = creator.pid;
  }

  /** Records an access by `p` as an attach and a detach. */
  touch(p: Process, now: number): void {
    this.lpid = p.pid;
    this.atime = this.dtime = now;
  }

  info(): ShmInfo {
    return {
      kind: 'shm',
      ...this.permInfo(),
      segsz: this.bytes.length,
      nattch: 0,
      cpid: this.cpid,
      lpid: this.lpid,
      atime: this.atime,
      dtime: this.dtime,
    };
  }
}
