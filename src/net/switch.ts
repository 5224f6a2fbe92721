/**
 * Virtual switches: stacks' interfaces are linked to ports; a frame sent from one port reaches
 * the port whose interface owns the destination MAC after both links' latency (ticks of the
 * virtual clock), unless the destination link loses it (seeded, so a run replays exactly).
 * There is no ARP: a sender asks the switch which port holds the next hop's address (the
 * switch keeps that table as addresses are added), and an address nobody holds is
 * EHOSTUNREACH. A capture (pcap) taps the switch: it records every frame that enters it, before
 * the destination link may lose it. Owned by the network (src/net/network.ts).
 */
import type { KernelEvent } from '../kernel/sched.js';
import { Prng } from '../kernel/prng.js';
import type { Iface } from './iface.js';
import type { Frame } from './packet.js';

/** Where a switch's frames are recorded (a pcap writer). */
export interface CaptureSink {
  record(at: number, frame: Frame): void;
}

export class Port {
  constructor(
    readonly sw: Switch,
    readonly iface: Iface,
    /** Ticks a frame takes over this link, each way. */
    public latency: number,
    /** Probability (0..1) that a frame going out to this port is lost. */
    public loss: number,
  ) {}
}

/** Schedules work at a virtual time (the kernel's scheduler). */
export interface EventQueue {
  addEvent(event: KernelEvent, at: number): void;
}

/** A frame on its way to an interface. */
class Delivery implements KernelEvent {
  due = -1;
  constructor(
    readonly to: Iface,
    readonly frame: Frame,
  ) {}

  fire(at: number): void {
    const iface = this.to;
    if (iface.up && iface.port !== null) iface.stack.input(this.frame.packet, at);
  }
}

export class Switch {
  readonly ports = new Set<Port>();
  /** Which port holds each address (the ARP-less neighbour table). */
  private readonly byAddress = new Map<number, Port>();
  captures: CaptureSink[] = [];
  /** Frames that entered the switch, and those a link lost. */
  readonly counts = { frames: 0, lost: 0 };
  private readonly prng: Prng;

  constructor(
    readonly name: string,
    private readonly events: EventQueue,
    seed: number,
    /** Latency and loss given to ports linked without their own. */
    readonly defaults: { readonly latency: number; readonly loss: number },
  ) {
    this.prng = new Prng(seed);
  }

  attach(iface: Iface, latency = this.defaults.latency, loss = this.defaults.loss): Port {
    const port = new Port(this, iface, latency, loss);
    this.ports.add(port);
    iface.port = port;
    for (const a of iface.addresses) this.byAddress.set(a.address, port);
    return port;
  }

  detach(port: Port): void {
    this.ports.delete(port);
    port.iface.port = null;
    for (const a of port.iface.addresses) this.addressRemoved(port, a.address);
  }

  /** The port whose interface holds `address`, if any. */
  holder(address: number): Port | undefined {
    return this.byAddress.get(address);
  }

  /** Records that `port`'s interface gained or lost `address`. */
  addressAdded(port: Port, address: number): void {
    this.byAddress.set(address, port);
  }

  addressRemoved(port: Port, address: number): void {
    if (this.byAddress.get(address) === port) this.byAddress.delete(address);
  }

  /** Sends a frame from `from` to `to` at virtual time `now`. */
  transmit(frame: Frame, from: Port, to: Port, now: number): void {
    for (const capture of this.captures) capture.record(now + from.latency, frame);
    this.counts.frames++;
    if (to.loss > 0 && this.prng.nextU32() / 2 ** 32 < to.loss) {
      this.counts.lost++;
      return;
    }
    this.events.addEvent(new Delivery(to.iface, frame), now + from.latency + to.latency);
  }
}
