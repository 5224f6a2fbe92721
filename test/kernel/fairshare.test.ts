/**
 * Fair-share CPU with caps (issue 6, item 4): shares divide a CPU among the cells that want it,
 * processes of a cell and child cells divide their cell's share, a cap holds with CPUs idle,
 * and both change live. Everything is measured in virtual ticks, so the figures are exact and
 * the same in every run.
 */
import { describe, expect, it } from 'vitest';
import { HostApi, type Kernel, type Sys } from '../../src/index.js';
import { boot, errnoOf, probe } from './helpers.js';

const WINDOW = 10_000;

/** Creates a persistent cell (a dotted name puts it inside another); returns its id. */
async function makeCell(k: Kernel, name: string, limits: Record<string, number> = {}, childrenMax = 0): Promise<number> {
  let id = 0;
  await probe(k, async (sys) => {
    id = await sys.cell_create({ name, persist: true, childrenMax, limits });
  });
  return id;
}

/** A workload: busy processes started in cells, each computing until the load stops. */
class Load {
  private stopped = false;
  private readonly runs: Promise<unknown>[] = [];

  constructor(private readonly k: Kernel) {}

  spin(cell: number, processes = 1): void {
    const api = new HostApi(this.k, this.k.cells.get(cell)!);
    for (let i = 0; i < processes; i++) {
      this.runs.push(api.run(async (sys) => {
        while (!this.stopped) await sys.compute(100);
        return 0;
      }));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.runs);
  }
}

/** Runs `body` with a load that always stops (a spinner left behind would never let the test end). */
async function withLoad<T>(k: Kernel, body: (load: Load) => Promise<T>): Promise<T> {
  const load = new Load(k);
  try {
    return await body(load);
  } finally {
    await load.stop();
  }
}

type Reader = (sys: Sys) => Promise<number[]>;

/** Reads cells' CPU ticks (cell_get's cpu.ticks). */
const cellTicks = (cells: readonly number[]): Reader => async (sys) => {
  const out: number[] = [];
  for (const id of cells) out.push((await sys.cell_get(id)).cpu.ticks);
  return out;
};

/**
 * Lets `ticks` of virtual time pass in a host probe; returns what `read` (cells' CPU ticks, or
 * a Reader) counted over that time, and the ticks that actually passed. `atStart` runs as the
 * time starts.
 */
async function window(k: Kernel, read: readonly number[] | Reader, ticks = WINDOW, atStart?: (sys: Sys) => Promise<void>): Promise<{ used: number[]; elapsed: number }> {
  const reader = typeof read === 'function' ? read : cellTicks(read);
  let used: number[] = [];
  let elapsed = 0;
  await probe(k, async (sys) => {
    const before = await reader(sys);
    const t0 = await sys.time();
    await atStart?.(sys);
    await sys.sleep(ticks);
    elapsed = (await sys.time()) - t0;
    const after = await reader(sys);
    used = after.map((t, i) => t - before[i]!);
  });
  return { used, elapsed };
}

/** Percent of `elapsed`, to one decimal. */
const percent = (used: number, elapsed: number): number => Math.round((used / elapsed) * 1000) / 10;

/** Asserts each figure is within one percentage point of what is expected. */
function expectPercents(got: number[], want: number[]): void {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]!), `got ${got.join('/')}%, want ${want.join('/')}%`).toBeLessThanOrEqual(1));
}

describe('fair-share CPU', () => {
  it('gives three busy cells with shares 1:2:7 on one CPU 10/20/70% of 10,000 ticks', async () => {
    const k = await boot();
    const ids = [await makeCell(k, 'a', { cpuShares: 1 }), await makeCell(k, 'b', { cpuShares: 2 }), await makeCell(k, 'c', { cpuShares: 7 })];
    const { used, elapsed } = await withLoad(k, (load) => {
      for (const id of ids) load.spin(id);
      return window(k, ids);
    });
    expect(elapsed).toBeGreaterThanOrEqual(WINDOW);
    expect(elapsed).toBeLessThan(WINDOW + 20);
    expectPercents(used.map((u) => percent(u, elapsed)), [10, 20, 70]);
  });

  it('is deterministic: the same run gives the same ticks, to the tick', async () => {
    const run = async (): Promise<number[]> => {
      const k = await boot();
      const ids = [await makeCell(k, 'a', { cpuShares: 3 }), await makeCell(k, 'b', { cpuShares: 5 })];
      const { used } = await withLoad(k, (load) => {
        for (const id of ids) load.spin(id);
        return window(k, ids, 2000);
      });
      return used;
    };
    const first = await run();
    expect(first[0]! + first[1]!).toBeGreaterThan(1900);
    expect(await run()).toEqual(first);
  });

  it('holds a 25% cap on a cell alone with two CPUs idle around it', async () => {
    const k = await boot({ cpus: 2 });
    const id = await makeCell(k, 'capped', { cpuCap: 25 });
    const { used, elapsed } = await withLoad(k, (load) => {
      load.spin(id, 2); // two processes could use both CPUs: the cap is of one CPU, for the cell
      return window(k, [id]);
    });
    expectPercents([percent(used[0]!, elapsed)], [25]);
  });

  it('lets a cell use every idle CPU when it has no cap: shares only count under contention', async () => {
    const k = await boot({ cpus: 2 });
    const alone = await makeCell(k, 'alone', { cpuShares: 1 });
    await makeCell(k, 'idle', { cpuShares: 1000 });
    const { used, elapsed } = await withLoad(k, (load) => {
      load.spin(alone, 2);
      return window(k, [alone]);
    });
    expectPercents([percent(used[0]!, elapsed)], [200]);
  });

  it('divides N CPUs by shares, and leaves no CPU idle while a process waits', async () => {
    for (const [perCell, want] of [[2, [50, 150]], [1, [100, 100]]] as const) {
      const k = await boot({ cpus: 2 });
      const ids = [await makeCell(k, 'a', { cpuShares: 1 }), await makeCell(k, 'b', { cpuShares: 3 })];
      const { used, elapsed } = await withLoad(k, (load) => {
        for (const id of ids) load.spin(id, perCell);
        return window(k, ids);
      });
      // Percent of one CPU: with two each, 1:3 of two CPUs; with one each, b cannot use more than one.
      expectPercents(used.map((u) => percent(u, elapsed)), [...want]);
    }
  });

  it('divides a cell\'s share among its processes', async () => {
    const k = await boot();
    const a = await makeCell(k, 'a');
    const b = await makeCell(k, 'b');
    const { used, elapsed } = await withLoad(k, (load) => {
      load.spin(a, 2);
      load.spin(b, 1);
      const procs = [a, b].flatMap((id) => [...k.cells.get(id)!.procs]);
      const perProcess: Reader = () => Promise.resolve(procs.map((p) => p.cpuTicks));
      return window(k, async (sys) => [...(await cellTicks([a, b])(sys)), ...(await perProcess(sys))]);
    });
    // Cells a and b, then a's two processes and b's one.
    expectPercents(used.map((u) => percent(u, elapsed)), [50, 50, 25, 25, 50]);
  });

  it('divides a parent\'s share with its child cells', async () => {
    const k = await boot();
    const parent = await makeCell(k, 'parent', { cpuShares: 1 }, 1);
    const child = await makeCell(k, 'parent.child', { cpuShares: 3 });
    const other = await makeCell(k, 'other', { cpuShares: 1 });
    const { used, elapsed } = await withLoad(k, (load) => {
      load.spin(parent); // the parent's own processes compete with its child, with the parent's shares
      load.spin(child);
      load.spin(other);
      return window(k, [parent, child, other]);
    });
    // The parent's ticks include its child's: 50% in all, 1:3 inside.
    expectPercents(used.map((u) => percent(u, elapsed)), [50, 37.5, 50]);
  });

  it('gives a cell that wakes no credit for the time it slept', async () => {
    const k = await boot();
    const early = await makeCell(k, 'early');
    const late = await makeCell(k, 'late');
    const { used, elapsed } = await withLoad(k, async (load) => {
      load.spin(early);
      await window(k, [], 5000); // early runs alone for 5000 ticks
      return window(k, [early, late], 2000, async () => load.spin(late));
    });
    expectPercents(used.map((u) => percent(u, elapsed)), [50, 50]);
  });

  it('changes shares and caps live with cell_set', async () => {
    const k = await boot();
    const a = await makeCell(k, 'a');
    const b = await makeCell(k, 'b');
    const windows = await withLoad(k, async (load) => {
      load.spin(a);
      load.spin(b, 2); // two, so b stays queued while throttled
      return [
        await window(k, [a, b]),
        await window(k, [a, b], WINDOW, (sys) => sys.cell_set('b', { limits: { cpuShares: 3 } })),
        await window(k, [a, b], WINDOW, (sys) => sys.cell_set('b', { limits: { cpuCap: 10 } })),
        // Throttled, b fell behind; without its cap it rejoins at the others' pace, not to catch up.
        await window(k, [a, b], WINDOW, (sys) => sys.cell_set('b', { limits: { cpuCap: Infinity } })),
      ];
    });
    const got = windows.map((w) => w.used.map((u) => percent(u, w.elapsed)));
    [[50, 50], [25, 75], [90, 10], [25, 75]].forEach((want, i) => expectPercents(got[i]!, want));
  });

  it('shows shares, cap and ticks in cell_get, and validates them', async () => {
    const k = await boot();
    const parent = await makeCell(k, 'p', { cpuShares: 10, cpuCap: 50 }, 1);
    await probe(k, async (sys) => {
      expect((await sys.cell_get(parent)).cpu).toEqual({ ticks: 0, shares: 10, cap: 50 });
      for (const bad of [{ cpuShares: 0 }, { cpuShares: 65536 }, { cpuShares: 1.5 }, { cpuCap: 0 }, { cpuCap: -5 }, { cpuCap: NaN }]) {
        expect(await errnoOf(sys.cell_set(parent, { limits: bad }))).toBe('EINVAL');
      }
      expect(await errnoOf(sys.cell_create({ name: 'p.big', persist: true, limits: { cpuCap: 60 } }))).toBe('EPERM');
      const child = await sys.cell_create({ name: 'p.small', persist: true, limits: { cpuCap: 20, cpuShares: 65535 } });
      expect((await sys.cell_get(child)).cpu).toEqual({ ticks: 0, shares: 65535, cap: 20 });
      expect(await errnoOf(sys.cell_set(child, { limits: { cpuCap: 51 } }))).toBe('EPERM');
      expect((await sys.cell_get(parent)).cpu).toEqual({ ticks: 0, shares: 10, cap: 50 }); // refusals changed nothing
    });
    const r = await new HostApi(k, k.cells.get(parent)!).run(async (sys) => {
      await sys.compute(300);
      return (await sys.cell_get()).cpu.ticks >= 300 ? 0 : 1;
    });
    expect(r.exitCode).toBe(0);
  });
});
