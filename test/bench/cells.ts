/**
 * What one more cell costs: time to create it and heap it keeps, for a bare kernel cell
 * (cell_create), a jail spec sharing the host's root (no files of its own), a jail with its
 * own copy of the minimal rootfs, and a thin jail sharing the host's programs read-only. Each kind is measured in its own kernel: `CELLS` cells made
 * one after the other, the heap compared after full collections before and after.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { Kernel } from '../../src/index.js';

export const CELLS = 2000;

v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

export interface CellCost {
  readonly kind: string;
  readonly microsPerCell: number;
  readonly bytesPerCell: number;
}

/** Makes cells `from`..`to`-1 in `k`. */
type Maker = (k: Kernel, from: number, to: number) => Promise<void>;

const KINDS: readonly (readonly [string, Maker])[] = [
  [
    'cell_create (a bare cell)',
    async (k, from, to) => {
      const r = await k.host.run(async (sys) => {
        for (let i = from; i < to; i++) await sys.cell_create({ name: `c${i}`, persist: true });
        return 0;
      });
      if (r.exitCode !== 0) throw new Error(r.stderr);
    },
  ],
  [
    'jail spec, path / (the host\'s files)',
    async (k, from, to) => {
      for (let i = from; i < to; i++) await (await k.createCell({ kind: 'jail', name: `j${i}`, path: '/', persist: true })).start();
    },
  ],
  [
    'jail spec, own copy of rootfs minimal',
    async (k, from, to) => {
      for (let i = from; i < to; i++) await (await k.createCell({ kind: 'jail', name: `j${i}`, path: `/jails/j${i}`, rootfs: 'minimal', persist: true })).start();
    },
  ],
  [
    'thin jail: rootfs minimal, /bin /sbin /usr nullfs ro',
    async (k, from, to) => {
      for (let i = from; i < to; i++) {
        const path = `/jails/j${i}`;
        const mount = ['/bin', '/sbin', '/usr'].map((dir) => `${dir} ${path}${dir} nullfs ro 0 0`);
        await (await k.createCell({ kind: 'jail', name: `j${i}`, path, rootfs: 'minimal', persist: true, mount })).start();
      }
    },
  ],
];

async function measure(make: Maker): Promise<{ microsPerCell: number; bytesPerCell: number }> {
  const k = await Kernel.boot({ seed: 1 });
  await make(k, CELLS, CELLS + 10); // first-use costs (module state, caches) are not the cells'
  collect();
  const before = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  await make(k, 0, CELLS);
  const ns = Number(process.hrtime.bigint() - start);
  collect();
  const bytes = process.memoryUsage().heapUsed - before;
  // The kernel must outlive the second collection, or its cells would be collected with it.
  if (k.cells.size < CELLS) throw new Error(`cells bench: ${k.cells.size} cells`);
  return { microsPerCell: ns / 1000 / CELLS, bytesPerCell: bytes / CELLS };
}

export async function cellCosts(): Promise<CellCost[]> {
  const costs: CellCost[] = [];
  for (const [kind, make] of KINDS) costs.push({ kind, ...(await measure(make)) });
  return costs;
}
