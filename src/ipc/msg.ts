/**
 * SysV message queues: typed messages in arrival order, at most MSGMNB bytes per queue. A sender
 * waits on `writable` while its message does not fit; a receiver waits on `readable` while no
 * message matches. Each message's bytes are memory of the sender's cell, from msgsnd (charged
 * at the boundary, before the sender waits for room, as Linux's load_msg charges them) until it
 * is received or its queue is removed. Owned by the ipc subsystem.
 */
import type { IpcMessage, MsgInfo } from '../kernel/abi.js';
import type { Partition } from '../cells/partition.js';
import type { Process } from '../proc/process.js';
import { WaitQueue } from '../kernel/waitqueue.js';
import { IpcObject } from './perm.js';

/** Bytes a queue holds (Linux MSGMNB); also the largest message (msgmax). */
export const MSGMNB = 16 * 1024;
/** Queues per namespace (FreeBSD's default msgmni). */
export const MSGMNI = 40;

/** A queued message and the partition charged for its bytes (null: sent without a charge). */
export interface Queued extends IpcMessage {
  readonly payer: Partition | null;
}

export class MsgQueue extends IpcObject {
  private readonly messages: Queued[] = [];
  /** Bytes queued now. */
  cbytes = 0;
  readonly qbytes = MSGMNB;
  lspid = 0;
  lrpid = 0;
  stime = 0;
  rtime = 0;
  readonly readable = new WaitQueue('msgrcv');
  readonly writable = new WaitQueue('msgsnd');

  constructor(id: number, key: number, creator: Process, mode: number, now: number) {
    super(id, key, creator, mode, now);
  }

  fits(length: number): boolean {
    return this.cbytes + length <= this.qbytes;
  }

  put(message: Queued): void {
    this.messages.push(message);
    this.cbytes += message.data.length;
  }

  /**
   * The message msgrcv(type) would take, or undefined: type 0 the first; type > 0 the first of
   * that type; type < 0 the first of the lowest type not above |type|.
   */
  find(type: number): Queued | undefined {
    if (type === 0) return this.messages[0];
    if (type > 0) return this.messages.find((m) => m.type === type);
    let best: Queued | undefined;
    for (const m of this.messages) if (m.type <= -type && (best === undefined || m.type < best.type)) best = m;
    return best;
  }

  take(message: Queued): void {
    this.messages.splice(this.messages.indexOf(message), 1);
    this.cbytes -= message.data.length;
    message.payer?.uncharge('memory', message.data.length);
  }

  override release(): void {
    super.release();
    for (const m of this.messages) m.payer?.uncharge('memory', m.data.length);
    this.messages.length = 0;
    this.cbytes = 0;
  }

  info(): MsgInfo {
    return {
      kind: 'msg',
      ...this.permInfo(),
      qnum: this.messages.length,
      cbytes: this.cbytes,
      qbytes: this.qbytes,
      lspid: this.lspid,
      lrpid: this.lrpid,
      stime: this.stime,
      rtime: this.rtime,
    };
  }
}
