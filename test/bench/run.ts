/**
 * `npm run bench`: syscall and VFS rates through the whole boundary (a program's `sys` object,
 * the door, the syscall table, the scheduler's bookkeeping, the handler), each as a ratio to a
 * baseline measured in the same run, in the same process, interleaved round by round.
 *
 * Fairness. Every syscall returns a promise the program awaits, so every baseline pays exactly
 * one await of an already-resolved promise per operation too: `await resolved(x)`, where
 * `resolved` is a plain (non-async) function returning `Promise.resolve(x)`.
 * - getpid: the baseline does nothing else, so the ratio is the whole cost of the boundary.
 * - stat, open+close, 4 KiB write: the baseline is the same operation on a raw memfs Volume
 *   through its synchronous API (statSync, openSync+closeSync, writeSync), awaited the same way.
 *   memfs's promises API (vol.promises.*) is several times slower than that and would flatter
 *   the kernel, so it is not used.
 * - write: the kernel writes at the descriptor's offset and lseeks back to 0 every 64 writes
 *   (the file stays at most 256 KiB); memfs writes at the same offsets with positional writes,
 *   and pays one extra await per 64 writes in place of the lseek (memfs has no lseek; moving an
 *   offset is free apart from the await).
 * Both sides run inside one program of one booted kernel (the baseline loops make no syscalls),
 * so they share the same microtask queue and heap.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';
import { Volume } from 'memfs';
import { Kernel, O_CREAT, O_RDONLY, O_RDWR, SEEK_SET, type Sys } from '../../src/index.js';
import { admissionLoops } from './admission.js';
import { cellCosts, CELLS } from './cells.js';
import { checkCase } from './check.js';
import { CHUNK, streamLoops } from './stream.js';
import { defineLoops, OTHER_CELLS, scaleLoops } from './scale.js';
import { compare, fmtRate, fmtRatio, fmtSpread, table, type Case, type Comparison } from './measure.js';

const ROUNDS = 7;
/** `npm run bench -- admission tcp` runs only the cases whose names start with those words. */
const ONLY = process.argv.slice(2);
/** BENCH_VERBOSE=1 prints every round's rates to stderr. */
const VERBOSE = process.env.BENCH_VERBOSE === '1';
const PASSWD_PATH = '/etc/passwd';
const WRITE_PATH = '/tmp/bench.dat';
const WRITE_SIZE = 4096;
/** Writes between two rewinds: the file never grows past WRITES_PER_REWIND * WRITE_SIZE. */
const WRITES_PER_REWIND = 64;


interface Result {
  readonly c: Case;
  readonly cmp: Comparison;
}

/** The baseline's one await: a plain function returning an already-resolved promise. */
function resolved<T>(value: T): Promise<T> {
  return Promise.resolve(value);
}

/** A raw memfs volume holding the same /etc/passwd as the kernel's root filesystem. */
function rawVolume(): Volume {
  const passwd = readFileSync(fileURLToPath(new URL('../../rootfs-samples/minimal/etc/passwd', import.meta.url)), 'utf8');
  return Volume.fromJSON({ [PASSWD_PATH]: passwd, '/tmp': null });
}

function cases(k: Kernel, sys: Sys, vol: Volume, kernelFd: number, volFd: number): Case[] {
  const buf = Buffer.alloc(WRITE_SIZE, 0x61);
  const rewindMask = WRITES_PER_REWIND - 1;
  const admission = admissionLoops(k);
  return [
    {
      name: 'admission',
      subjectLabel: 'a call charging 5 resources',
      baselineLabel: 'the same call charging none',
      n: 1_000_000,
      warmup: 100_000,
      subject: admission.charged,
      baseline: admission.uncharged,
      maxRatio: 1.1,
    },
    {
      name: 'getpid',
      subjectLabel: 'sys.getpid()',
      baselineLabel: 'await resolved(i)',
      n: 2_000_000,
      warmup: 200_000,
      subject: async (n) => {
        for (let i = 0; i < n; i++) await sys.getpid();
      },
      baseline: async (n) => {
        for (let i = 0; i < n; i++) await resolved(i);
      },
      maxRatio: 2,
      minRate: 4_000_000,
    },
    {
      name: 'stat',
      subjectLabel: `sys.stat('${PASSWD_PATH}')`,
      baselineLabel: 'vol.statSync',
      n: 300_000,
      warmup: 50_000,
      subject: async (n) => {
        for (let i = 0; i < n; i++) await sys.stat(PASSWD_PATH);
      },
      baseline: async (n) => {
        for (let i = 0; i < n; i++) await resolved(vol.statSync(PASSWD_PATH));
      },
      maxRatio: 1.15,
    },
    {
      name: 'open+close',
      subjectLabel: `sys.open('${PASSWD_PATH}', O_RDONLY) + close`,
      baselineLabel: 'vol.openSync + closeSync',
      n: 200_000,
      warmup: 40_000,
      subject: async (n) => {
        for (let i = 0; i < n; i++) {
          const fd = await sys.open(PASSWD_PATH, O_RDONLY);
          await sys.close(fd);
        }
      },
      baseline: async (n) => {
        for (let i = 0; i < n; i++) {
          const fd = await resolved(vol.openSync(PASSWD_PATH, O_RDONLY));
          await resolved(vol.closeSync(fd));
        }
      },
      maxRatio: 1.15,
    },
    {
      name: 'write 4 KiB',
      subjectLabel: `sys.write(fd, 4 KiB), lseek 0 per ${WRITES_PER_REWIND}`,
      baselineLabel: 'vol.writeSync(fd, buf, 0, 4096, pos)',
      n: 256_000,
      warmup: 51_200,
      subject: async (n) => {
        for (let i = 0; i < n; i++) {
          await sys.write(kernelFd, buf);
          if ((i & rewindMask) === rewindMask) await sys.lseek(kernelFd, 0, SEEK_SET);
        }
      },
      baseline: async (n) => {
        for (let i = 0; i < n; i++) {
          await resolved(vol.writeSync(volFd, buf, 0, WRITE_SIZE, (i & rewindMask) * WRITE_SIZE));
          if ((i & rewindMask) === rewindMask) await resolved(0);
        }
      },
      maxRatio: 1.15,
    },
    checkCase(),
  ];
}

async function measureAll(): Promise<Result[]> {
  const k = await Kernel.boot({ seed: 1 });
  const vol = rawVolume();
  const results: Result[] = [];
  let failure: unknown;
  const r = await k.host.run(
    async (sys) => {
      try {
        const kernelFd = await sys.open(WRITE_PATH, O_CREAT | O_RDWR, 0o644);
        const volFd = vol.openSync(WRITE_PATH, 'w+');
        for (const c of cases(k, sys, vol, kernelFd, volFd).filter(wanted)) {
          const cmp = await compare(c.subject, c.baseline, { n: c.n, rounds: ROUNDS, warmup: c.warmup });
          results.push({ c, cmp });
          if (VERBOSE) {
            const show = (rates: number[]): string => rates.map(fmtRate).join(' ');
            process.stderr.write(`  ${c.name}: kernel ${show(cmp.subject.rates)} | baseline ${show(cmp.baseline.rates)}\n`);
          }
        }
        // Both files stayed bounded: the kernel's by the rewinds, memfs's by the positions.
        const size = (await sys.fstat(kernelFd)).size;
        if (size > WRITES_PER_REWIND * WRITE_SIZE) throw new Error(`bench file grew to ${size} bytes`);
        await sys.close(kernelFd);
        vol.closeSync(volFd);
        return 0;
      } catch (err) {
        failure = err;
        return 1;
      }
    },
    ['bench'],
  );
  if (failure !== undefined) throw failure;
  if (r.exitCode !== 0) throw new Error(`bench program exited with ${r.exitCode}: ${r.stderr}`);
  return results;
}

/**
 * The stream case runs outside the bench program: each round, a sender in one cell and a
 * receiver in another (their own kernel), against a writer and a reader of a pipe in one cell.
 */
async function measureStreams(): Promise<Result[]> {
  const loops = await streamLoops();
  const c: Case = {
    name: 'tcp stream',
    subjectLabel: `TCP between two vnet cells, ${CHUNK / 1024} KiB writes`,
    baselineLabel: 'a pipe between two processes of one cell',
    n: 256,
    warmup: 64,
    subject: loops.tcp,
    baseline: loops.pipe,
  };
  const scale = await scaleLoops();
  const s: Case = {
    name: 'scale',
    subjectLabel: `UDP round trip in a jail among ${OTHER_CELLS.toLocaleString('en-US')} others`,
    baselineLabel: 'the same in a host with that jail alone',
    n: 20_000,
    warmup: 5_000,
    subject: scale.crowded,
    baseline: scale.alone,
    maxRatio: 1.1,
  };
  const define = await defineLoops();
  const d: Case = {
    name: 'define',
    subjectLabel: `define+start+stop+destroy a jail with an address among ${OTHER_CELLS.toLocaleString('en-US')} others`,
    baselineLabel: 'the same in a host with no other jail',
    n: 1_000,
    warmup: 200,
    subject: define.crowded,
    baseline: define.alone,
    maxRatio: 1.1,
  };
  const results: Result[] = [];
  for (const each of [c, s, d].filter(wanted)) {
    results.push({ c: each, cmp: await compare(each.subject, each.baseline, { n: each.n, rounds: ROUNDS, warmup: each.warmup }) });
  }
  return results;
}

function wanted(c: Case): boolean {
  return ONLY.length === 0 || ONLY.some((word) => c.name.startsWith(word));
}

function verdict(res: Result): string {
  const { c, cmp } = res;
  if (c.maxRatio === undefined) return `${fmtRate((cmp.subject.median * CHUNK) / 2 ** 20)} MiB/s vs ${fmtRate((cmp.baseline.median * CHUNK) / 2 ** 20)} MiB/s`;
  const parts: string[] = [];
  let ok = cmp.ratio <= c.maxRatio;
  parts.push(`<= ${fmtRatio(c.maxRatio)}`);
  if (c.minRate !== undefined) {
    parts.push(`>= ${fmtRate(c.minRate)}/s`);
    ok &&= cmp.subject.median >= c.minRate;
  }
  return `${ok ? 'ok  ' : 'MISS'} (${parts.join(', ')})`;
}

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  console.log(`cellblock bench — node ${process.version} (V8 ${process.versions.v8}), ${os.platform()} ${os.arch()}, ${cpu}`);
  console.log(`date ${new Date().toISOString()}; median of ${ROUNDS} rounds after warm-up, kernel and baseline interleaved`);
  console.log('ratio = baseline ops/s ÷ kernel ops/s (time of one kernel op over one baseline op; 1.00x = as fast)');
  console.log('');
  const results = [...(await measureAll()), ...(await measureStreams())];
  const rows: string[][] = [['case', 'kernel op', 'kernel ops/s', 'spread', 'baseline op', 'baseline ops/s', 'spread', 'ratio', '+ns/op', 'target']];
  for (const res of results) {
    const { c, cmp } = res;
    const extraNs = 1e9 / cmp.subject.median - 1e9 / cmp.baseline.median;
    rows.push([
      c.name,
      c.subjectLabel,
      fmtRate(cmp.subject.median),
      fmtSpread(cmp.subject),
      c.baselineLabel,
      fmtRate(cmp.baseline.median),
      fmtSpread(cmp.baseline),
      fmtRatio(cmp.ratio),
      extraNs.toFixed(0),
      verdict(res),
    ]);
  }
  console.log(table(rows));
  console.log('');
  console.log('+ns/op: time one kernel op takes beyond one baseline op. Every op, both sides, awaits one resolved promise.');
  if (ONLY.length === 0 || ONLY.includes('cells')) {
    const costs = await cellCosts();
    console.log('');
    console.log(`per cell, ${CELLS.toLocaleString('en-US')} made one after the other in one kernel (heap after full collections):`);
    console.log(table([['cell', 'µs to make', 'KiB of heap', 'MiB for 10,000'], ...costs.map((c) => [c.kind, c.microsPerCell.toFixed(0), (c.bytesPerCell / 1024).toFixed(1), ((c.bytesPerCell * 10_000) / 2 ** 20).toFixed(0)])]));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`total ${seconds.toFixed(1)} s`);
}

await main();
