/**
 * The network of one kernel: its switches, the host's stack, and what every stack draws on
 * (Ethernet addresses, the event queue that carries frames and protocol timers, the AF_UNIX
 * listeners by socket file). Built at boot from the host's network configuration: by default
 * the host has lo0 (127.0.0.1/8) and em0 (192.0.2.1/24, RFC 5737's documentation subnet) on the
 * switch "default". Owned by the net subsystem.
 */
import type { Node } from '../vfs/memfs.js';
import { fail } from '../kernel/errno.js';
import { parseCidr, type Cidr } from './ipv4.js';
import { NetStack } from './stack.js';
import { Switch, type EventQueue } from './switch.js';
import type { WaitQueue } from '../kernel/waitqueue.js';

/** What the network needs of the kernel: timed events, waking sleepers, seeded randomness. */
export interface NetKernel extends EventQueue {
  wakeAll(queue: WaitQueue): void;
  /** A seeded unsigned 32-bit random number (initial sequence numbers). */
  random(): number;
}
import type { UnixSocket } from './unix.js';

/** The host's network, as the host configuration gives it. */
export interface HostNetConfig {
  /** The host's address and prefix on its switch (default 192.0.2.1/24). */
  readonly address?: string;
  /** Its interface's name (default em0). */
  readonly iface?: string;
  /** The switch it is linked to (default "default"). */
  readonly switch?: string;
  /** Ticks a frame takes over each link of a new switch (default 1), and the loss rate of each (default 0). */
  readonly latency?: number;
  readonly loss?: number;
}

export const DEFAULT_HOST_ADDRESS = '192.0.2.1/24';

export class Network {
  readonly switches = new Map<string, Switch>();
  readonly host: NetStack;
  /** The host's own interface on its switch (em0), where restricted cells' aliases go. */
  readonly hostIface;
  readonly hostSubnet: Cidr;
  /** Listening AF_UNIX sockets by the socket file they are bound to. */
  readonly unixListeners = new WeakMap<Node, UnixSocket>();
  /** Every AF_UNIX socket, for netstat. */
  readonly unixSockets = new Set<UnixSocket>();
  private macs = 0;
  private stacks = 0;

  constructor(
    readonly kernel: NetKernel,
    private readonly seed: number,
    readonly config: HostNetConfig = {},
  ) {
    const subnet = parseCidr(config.address ?? DEFAULT_HOST_ADDRESS, 24);
    if (subnet === undefined) throw new RangeError(`bad host address ${config.address}`);
    this.hostSubnet = subnet;
    this.host = this.newStack('host');
    const iface = this.host.addIface(config.iface ?? 'em0', false);
    this.switchNamed(config.switch ?? 'default', true).attach(iface);
    this.host.addAddress(iface, subnet);
    this.hostIface = iface;
  }

  /** A new stack with its loopback interface (lo0, 127.0.0.1/8). */
  newStack(name: string): NetStack {
    const stack = new NetStack(this, `${name}#${++this.stacks}`);
    const lo = stack.addIface('lo0', true);
    stack.addAddress(lo, { address: 0x7f000001, prefix: 8 });
    return stack;
  }

  /** A switch by name; with `create`, made when missing. ENXIO when it does not exist. */
  switchNamed(name: string, create = false, settings?: { latency?: number; loss?: number }): Switch {
    let sw = this.switches.get(name);
    if (sw === undefined) {
      if (!create) throw fail('ENXIO');
      const defaults = { latency: settings?.latency ?? this.config.latency ?? 1, loss: settings?.loss ?? this.config.loss ?? 0 };
      sw = new Switch(name, this.kernel, (this.seed ^ hash(name)) >>> 0, defaults);
      this.switches.set(name, sw);
    }
    return sw;
  }

  /** A locally administered, unicast Ethernet address (02:00:00:...), unique in this kernel. */
  nextMac(): number {
    return 0x020000000000 + ++this.macs;
  }
}

/** FNV-1a of a name: a switch's loss sequence depends on the seed and its name only. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
