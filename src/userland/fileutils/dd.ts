/**
 * dd(1): copies `if=` (stdin) to `of=` (stdout) in blocks of `ibs`/`obs` (`bs=` sets both and
 * writes each input block as read), after skipping `skip=` input and seeking `seek=` output
 * blocks, for `count=` input blocks. Sizes take b/k/m/g/w suffixes and `x` products.
 * `conv=notrunc` keeps the output file's length; `status=noxfer|none` trims the summary.
 * The summary is FreeBSD's, timed by the virtual clock, so it is deterministic.
 */
import { HZ, O_CREAT, O_TRUNC, O_WRONLY, SEEK_CUR } from '../../kernel/abi.js';
import type { Program, Sys } from '../../kernel/abi.js';
import { errnoOf, printErr, STDIN, STDOUT, warn } from '../lib.js';
import { parseSize } from './counts.js';

interface Settings {
  input?: string;
  output?: string;
  ibs: number;
  obs: number;
  /** bs= was given: every input block is written out as it was read. */
  blockMode: boolean;
  count?: number;
  skip: number;
  seek: number;
  notrunc: boolean;
  status: 'default' | 'noxfer' | 'none';
}

/** Full and partial records, as the summary reports them. */
class Records {
  full = 0;
  partial = 0;
  add(length: number, blockSize: number): void {
    if (length === blockSize) this.full++;
    else this.partial++;
  }
  toString(): string {
    return `${this.full}+${this.partial}`;
  }
}

export const dd: Program = async (sys, argv) => {
  const settings = parseOperands(argv.slice(1));
  if (typeof settings === 'string') {
    await printErr(sys, `dd: ${settings}\n`);
    return 1;
  }
  const start = await sys.time();
  const stats = { in: new Records(), out: new Records(), bytes: 0 };
  let status = 0;
  try {
    const input = settings.input === undefined ? STDIN : await open(sys, settings.input, () => sys.open(settings.input!));
    const output = settings.output === undefined ? STDOUT : await openOutput(sys, settings);
    await position(sys, input, settings.skip * settings.ibs, settings.input ?? 'stdin', true);
    await position(sys, output, settings.seek * settings.obs, settings.output ?? 'stdout', false);
    await copy(sys, input, output, settings, stats);
  } catch (err) {
    if (!(err instanceof Reported)) throw err;
    status = 1;
  }
  if (settings.status !== 'none') {
    let summary = `${stats.in} records in\n${stats.out} records out\n`;
    if (settings.status === 'default') {
      const secs = Math.max((await sys.time()) - start, 0) / HZ;
      // FreeBSD rounds a zero duration up to a microsecond before dividing.
      summary += `${stats.bytes} bytes transferred in ${secs.toFixed(6)} secs (${(stats.bytes / Math.max(secs, 1e-6)).toFixed(0)} bytes/sec)\n`;
    }
    await printErr(sys, summary);
  }
  return status;
};

/** An error already printed as `dd: name: message`; it ends the copy with status 1. */
class Reported extends Error {}

async function open(sys: Sys, name: string, how: () => Promise<number>): Promise<number> {
  try {
    return await how();
  } catch (err) {
    await warn(sys, 'dd', err, name);
    throw new Reported();
  }
}

async function openOutput(sys: Sys, s: Settings): Promise<number> {
  const name = s.output!;
  const truncate = !s.notrunc && s.seek === 0;
  const fd = await open(sys, name, () => sys.open(name, O_WRONLY | O_CREAT | (truncate ? O_TRUNC : 0), 0o666));
  // Without notrunc the output ends where this copy starts writing, as BSD dd's ftruncate.
  if (!s.notrunc && s.seek > 0) await open(sys, name, () => sys.truncate(name, s.seek * s.obs).then(() => fd));
  return fd;
}

/** skip=/seek=: lseek, or for an unseekable input read and drop the bytes. */
async function position(sys: Sys, fd: number, bytes: number, name: string, readable: boolean): Promise<void> {
  if (bytes === 0) return;
  try {
    await sys.lseek(fd, bytes, SEEK_CUR);
  } catch (err) {
    if (errnoOf(err) !== 'ESPIPE' || !readable) {
      await warn(sys, 'dd', err, name);
      throw new Reported();
    }
    for (let left = bytes; left > 0; ) {
      const chunk = await sys.read(fd, left);
      if (chunk.length === 0) break;
      left -= chunk.length;
    }
  }
}

async function copy(sys: Sys, input: number, output: number, s: Settings, stats: { in: Records; out: Records; bytes: number }): Promise<void> {
  let pending = new Uint8Array(0);
  const emit = async (block: Uint8Array): Promise<void> => {
    try {
      await sys.write(output, block);
    } catch (err) {
      await warn(sys, 'dd', err, s.output ?? 'stdout');
      throw new Reported();
    }
    stats.out.add(block.length, s.obs);
    stats.bytes += block.length;
  };
  while (s.count === undefined || stats.in.full + stats.in.partial < s.count) {
    let block: Uint8Array;
    try {
      block = await sys.read(input, s.ibs);
    } catch (err) {
      await warn(sys, 'dd', err, s.input ?? 'stdin');
      throw new Reported();
    }
    if (block.length === 0) break;
    stats.in.add(block.length, s.ibs);
    if (s.blockMode) {
      await emit(block);
      continue;
    }
    const joined = new Uint8Array(pending.length + block.length);
    joined.set(pending);
    joined.set(block, pending.length);
    let at = 0;
    for (; joined.length - at >= s.obs; at += s.obs) await emit(joined.subarray(at, at + s.obs));
    pending = joined.slice(at);
  }
  if (pending.length > 0) await emit(pending);
}

/** Operands taking a size, and where each puts it; block sizes must not be zero. */
const SIZE_OPERANDS: Readonly<Record<string, (s: Settings, n: number) => void>> = {
  bs: (s, n) => {
    [s.ibs, s.obs, s.blockMode] = [n, n, true];
  },
  ibs: (s, n) => {
    s.ibs = n;
  },
  obs: (s, n) => {
    s.obs = n;
  },
  count: (s, n) => {
    s.count = n;
  },
  skip: (s, n) => {
    s.skip = n;
  },
  seek: (s, n) => {
    s.seek = n;
  },
};
const BLOCK_SIZES = new Set(['bs', 'ibs', 'obs']);

/** Reads `name=value` operands; a string is the complaint to print. */
function parseOperands(args: readonly string[]): Settings | string {
  const s: Settings = { ibs: 512, obs: 512, blockMode: false, skip: 0, seek: 0, notrunc: false, status: 'default' };
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq < 0) return `unknown operand ${arg}`;
    const key = arg.slice(0, eq);
    const value = arg.slice(eq + 1);
    if (key === 'if') s.input = value;
    else if (key === 'of') s.output = value;
    else if (key === 'conv') {
      for (const conv of value.split(',')) {
        if (conv !== 'notrunc') return `unknown conversion ${conv}`;
        s.notrunc = true;
      }
    } else if (key === 'status') {
      if (value !== 'noxfer' && value !== 'none') return `unknown status ${value}`;
      s.status = value;
    } else {
      const set = Object.hasOwn(SIZE_OPERANDS, key) ? SIZE_OPERANDS[key] : undefined;
      if (set === undefined) return `unknown operand ${key}`;
      const n = parseSize(value);
      if (n === undefined) return `${value}: illegal numeric value`;
      if (n === 0 && BLOCK_SIZES.has(key)) return `${key} must not be zero`;
      set(s, n);
    }
  }
  return s;
}
