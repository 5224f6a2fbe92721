/**
 * The check case: runs per second of `cellblock check`, one run being one property checked once
 * on www.jail.json (its kernels booted, its cells brought up, its programs run, its observations
 * compared), cycling through every property, seed = the run's index. Against one plain kernel
 * boot and one program run in it: the ratio says how many bare kernels one check run costs.
 * Both loops create their own kernels, so they do not touch the bench's kernel.
 */
import { fileURLToPath } from 'node:url';
import { Kernel } from '../../src/index.js';
import { loadTarget, PROPERTIES, runProperty, type Target } from '../../src/harness/index.js';
import type { Case } from './measure.js';

const WWW = fileURLToPath(new URL('../../specs/examples/www.jail.json', import.meta.url));


let loading: Promise<Target> | undefined;

function target(): Promise<Target> {
  loading ??= loadTarget(WWW, 'www.jail.json').then((r) => {
    if (!r.ok) throw new Error(r.errors.join('\n'));
    return r.target;
  });
  return loading;
}

export function checkCase(): Case {
  let seed = 0;
  return {
    name: 'check',
    subjectLabel: `one check run (${PROPERTIES.length} properties in turn, www.jail.json)`,
    baselineLabel: 'Kernel.boot() + host.run(program)',
    n: PROPERTIES.length * 4,
    warmup: PROPERTIES.length,
    subject: async (n) => {
      const t = await target();
      for (let i = 0; i < n; i++) {
        seed++;
        const r = await runProperty(PROPERTIES[seed % PROPERTIES.length]!, t, seed);
        if (r.status !== 'pass') throw new Error(`check bench: ${r.property} seed ${seed}: ${r.summary}`);
      }
    },
    baseline: async (n) => {
      for (let i = 0; i < n; i++) {
        const k = await Kernel.boot({ seed: i });
        await k.host.run(async (sys) => (await sys.getpid()) > 0 ? 0 : 1);
      }
    },
    // Measured: about 17x and 33 runs/s on a 2-core machine (one thread).
    maxRatio: 40,
    minRate: 10,
  };
}
