/**
 * devfs: character devices null, zero, random (the kernel's seeded PRNG) and console. One
 * instance is shared by every mount namespace; a device node's hook names its driver.
 */
import { Buffer } from 'node:buffer';
import { S_IFCHR, type Stat } from '../kernel/abi.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Process } from '../proc/process.js';
import { OpenFile, type IoResult } from './file.js';
import { MemFs } from './memfs.js';
import { statNode } from './stat.js';
import type { Loc } from './mount.js';

export interface Driver {
  read(k: Kernel, p: Process, length: number): IoResult<Uint8Array>;
  write(k: Kernel, p: Process, data: Uint8Array): number;
  tty?: boolean;
}

const DRIVERS: Record<string, Driver> = {
  null: { read: () => new Uint8Array(0), write: (_k, _p, data) => data.length },
  zero: { read: (_k, _p, n) => new Uint8Array(n), write: (_k, _p, data) => data.length },
  random: {
    read: (k, _p, n) => {
      const out = Buffer.allocUnsafe(n);
      k.prng.fill(out);
      return out;
    },
    write: (_k, _p, data) => data.length,
  },
  console: {
    read: (k, p, n) => k.console.input.read(k, p, n),
    write: (k, _p, data) => {
      k.console.output(Buffer.from(data));
      return data.length;
    },
    tty: true,
  },
};

export function createDevfs(dev: number): MemFs {
  const fs = new MemFs('devfs', dev, { hooks: true });
  let rdev = 1;
  for (const name of Object.keys(DRIVERS)) {
    const link = fs.create(fs.root, name, S_IFCHR | (name === 'console' ? 0o600 : 0o666), 0, 0, 0);
    link.getNode().rdev = rdev++;
    fs.hooks!.set(link.getNode(), { device: name });
  }
  return fs;
}

/** An open device node. */
export class DeviceFile extends OpenFile {
  constructor(
    flags: number,
    private readonly loc: Loc,
    private readonly driver: Driver,
  ) {
    super(flags);
  }

  static open(flags: number, loc: Loc, device: string): DeviceFile | undefined {
    const driver = DRIVERS[device];
    return driver === undefined ? undefined : new DeviceFile(flags, loc, driver);
  }

  read(k: Kernel, p: Process, length: number): IoResult<Uint8Array> {
    return this.driver.read(k, p, length);
  }

  write(k: Kernel, p: Process, data: Uint8Array): number {
    return this.driver.write(k, p, data);
  }

  stat(): Stat {
    return statNode(this.loc.mnt.fs.dev, this.loc.link.getNode());
  }

  override seek(): number {
    return 0;
  }

  override isTty(): boolean {
    return this.driver.tty === true;
  }
}
