/**
 * The scheduler: fair round-robin on the virtual clock, preemption of CPU work at quantum
 * boundaries, several CPUs, deadlock reports, and byte-identical traces for one seed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeadlockError, O_RDONLY } from '../../src/index.js';
import { boot, probe, sh } from './helpers.js';

/** Folders of src/ that run on the host, outside the simulation: they may read real time. */
const HOST_SIDE = new Set(['state']);

/** Runs two processes computing 1000 ticks each; returns the virtual times they finished at. */
async function twoSpinners(options: { quantum?: number; cpus?: number }): Promise<number[]> {
  const k = await boot(options);
  const ends: number[] = [];
  const spinner = () => probe(k, async (sys) => {
    await sys.compute(1000);
    ends.push(await sys.time());
  });
  await Promise.all([spinner(), spinner()]);
  return ends;
}

describe('scheduler', () => {
  it('shares one CPU between two spinners: they end within one quantum of each other', async () => {
    const ends = await twoSpinners({ quantum: 10 });
    expect(ends).toHaveLength(2);
    // The first to finish had used 1000 ticks; the other had used at least 990 by then. Each
    // time() call costs one tick on top.
    expect(Math.abs(ends[0]! - ends[1]!)).toBeLessThanOrEqual(10 + 1);
    expect(Math.min(...ends)).toBeGreaterThan(1900); // interleaved: neither finished alone at ~1000
  });

  it('runs two spin binaries in the background to completion', async () => {
    const k = await boot();
    const r = await sh(k, 'spin 500 & a=$!; spin 500 & b=$!; wait $a; wait $b; echo done');
    expect(r.stdout).toBe('done\n');
    expect(k.now).toBeGreaterThanOrEqual(1000);
  });

  it('runs CPU work in parallel on two CPUs', async () => {
    const ends = await twoSpinners({ cpus: 2 });
    expect(Math.max(...ends)).toBeLessThan(1100);
  });

  it('sleeps on the virtual clock', async () => {
    const k = await boot();
    let slept = 0;
    await probe(k, async (sys) => {
      const before = await sys.time();
      await sys.sleep(5000);
      slept = (await sys.time()) - before;
    });
    expect(slept).toBeGreaterThanOrEqual(5000);
    expect(slept).toBeLessThanOrEqual(5002);
  });

  it('reports a deadlock, naming the blocked processes, instead of hanging', async () => {
    const k = await boot();
    const run = probe(k, async (sys) => {
      const [r] = await sys.pipe();
      await sys.read(r); // its own write end is open: nobody will ever write
    }, ['stuck']);
    await expect(run).rejects.toBeInstanceOf(DeadlockError);
    await expect(run).rejects.toThrow(/pid \d+ \(stuck\) in cell host: pipe read/);
  });

  it('is not deadlocked while a reader waits for outside input', async () => {
    const k = await boot();
    const input = k.host.openInput();
    const reading = k.host.exec(['cat'], { stdin: input });
    await new Promise((resolve) => setTimeout(resolve, 20));
    input.push('late\n');
    input.end();
    expect((await reading).stdout).toBe('late\n');
  });

  it('gives a byte-identical trace for two runs with one seed, and other bytes for another seed', async () => {
    const traceOf = async (seed: number): Promise<string> => {
      const lines: string[] = [];
      const k = await boot({ seed, trace: (line) => lines.push(line) });
      await sh(k, 'spin 30 & echo a | cat; ls -l /bin | head -n 3; dd if=/dev/random bs=8 count=1 2>/dev/null | wc -c; wait');
      await probe(k, async (sys) => {
        const fd = await sys.open('/dev/random', O_RDONLY);
        await sys.read(fd, 4);
      });
      return lines.join('\n');
    };
    const first = await traceOf(42);
    expect(first.split('\n').length).toBeGreaterThan(50);
    expect(await traceOf(42)).toBe(first);
    const parsed = first.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed[0]).toHaveProperty('t');
    expect(parsed.some((e) => e.call === 'spawn' && typeof e.ret === 'number')).toBe(true);
    expect(parsed.some((e) => e.err === 'ENOENT' || e.call === 'wait')).toBe(true);
  });

  it('reads /dev/random from the seeded PRNG', async () => {
    const bytesFor = async (seed: number): Promise<string> => {
      const k = await boot({ seed });
      let out = '';
      await probe(k, async (sys) => {
        const fd = await sys.open('/dev/random', O_RDONLY);
        out = Array.from(await sys.read(fd, 16)).join(',');
      });
      return out;
    };
    expect(await bytesFor(3)).toBe(await bytesFor(3));
    expect(await bytesFor(3)).not.toBe(await bytesFor(4));
  });

  it('keeps real time, real randomness and timers out of the simulation\'s sources', () => {
    const forbidden = /\bDate\.now\(|\bMath\.random\(|\bperformance\.now\(|\bset(Timeout|Interval|Immediate)\(|new Date\(\)/;
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
          if (!HOST_SIDE.has(name)) walk(path);
        }
        else if (name.endsWith('.ts') && forbidden.test(readFileSync(path, 'utf8'))) offenders.push(path);
      }
    };
    walk(new URL('../../src', import.meta.url).pathname);
    expect(offenders).toEqual([]);
  });
});
