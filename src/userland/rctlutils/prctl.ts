/**
 * prctl(1) for zones: `prctl [-P] [-n name] -i zone ZONE` prints the zone.* resource controls
 * that the cell's partition holds, in prctl.c's print_rctls layout (a usage line, the
 * privileged value when a limit is set, the system value). Mapped rctls:
 *   zone.cpu-cap       <- CPU cap (percent of one CPU), when the kernel reports CPU
 *   zone.cpu-shares    <- CPU shares (default 1), when the kernel reports CPU
 *   zone.max-processes <- processes
 *   zone.max-swap      <- memory (bytes: Solaris's swap reservation is what a zone allocates)
 * Other zone.* rctls (max-lwps, max-shm-ids, max-msg-ids, ...) have no counter of their own
 * here (ipc counts queues and segments together) and are not shown. Viewing only; changing
 * values (-r, -v) is `cellblock update` or rctl -a.
 */
import type { Program, Sys } from '../../kernel/abi.js';
import { getopt, UsageError } from '../fileutils/getopt.js';
import { print, printErr } from '../lib.js';
import { cpuOf } from './cpu.js';
import { findZone, type Zone } from './zone.js';

const USAGE = `usage:
        Report resource control values and actions:
            prctl [-P] [-t [basic | privileged | system]]
                  [-n name] [-i process | task | project | zone] id ...
`;

interface Value {
  readonly priv: 'privileged' | 'system';
  readonly value: number;
  readonly flag: '-' | 'max' | 'inf';
  readonly action: string;
  /** The exact decimal for -P when the value is past what a double holds exactly. */
  readonly raw?: string;
}

interface Rctl {
  readonly name: string;
  readonly bytes: boolean;
  /** Usage, values; undefined when the zone does not report this control. */
  read(zone: Zone): { usage?: number; values: Value[] } | undefined;
}

const INT_MAX = 2147483647;
const UINT32_MAX = 4294967295;
/** UINT64_MAX: 2 ** 64 as a double, printed exactly from its text. */
const UINT64_MAX = { value: 2 ** 64, raw: '18446744073709551615' };

/** A partition limit as a privileged deny value (none when unlimited), then the system value. */
function limitRctl(name: string, resource: 'processes' | 'memory', system: { value: number; raw?: string }, bytes: boolean): Rctl {
  return {
    name,
    bytes,
    read: (zone) => {
      const r = zone.info.resources[resource];
      const privileged: Value[] = r.limit === Infinity ? [] : [{ priv: 'privileged', value: r.limit, flag: '-', action: 'deny' }];
      return { usage: r.usage, values: [...privileged, { priv: 'system', ...system, flag: 'max', action: 'deny' }] };
    },
  };
}

export const ZONE_RCTLS: readonly Rctl[] = [
  {
    name: 'zone.cpu-cap',
    bytes: false,
    read: (zone) => {
      const cpu = cpuOf(zone.info);
      if (cpu === undefined) return undefined;
      const capped: Value[] = cpu.cap === null ? [] : [{ priv: 'privileged', value: cpu.cap, flag: '-', action: 'deny' }];
      return { values: [...capped, { priv: 'system', value: UINT32_MAX, flag: 'inf', action: 'deny' }] };
    },
  },
  {
    name: 'zone.cpu-shares',
    bytes: false,
    read: (zone) => {
      const cpu = cpuOf(zone.info);
      if (cpu === undefined) return undefined;
      return {
        usage: cpu.shares,
        values: [
          { priv: 'privileged', value: cpu.shares, flag: '-', action: 'none' },
          { priv: 'system', value: 65535, flag: 'max', action: 'none' },
        ],
      };
    },
  },
  limitRctl('zone.max-processes', 'processes', { value: INT_MAX }, false),
  limitRctl('zone.max-swap', 'memory', UINT64_MAX, true),
];

/** uint64toscaled(value, 4, ...): up to three significant digits and a K, M, G, T, P or E suffix. */
export function scaled(value: number, bytes: boolean): string {
  const base = bytes ? 1024 : 1000;
  if (value < base) return String(value);
  let unit = 0;
  while (value >= base && unit < 6) {
    value /= base;
    unit++;
  }
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${value.toFixed(digits)}${'KMGTPE'[unit - 1]}`;
}

export const prctl: Program = async (sys, argv) => {
  let opts;
  try {
    opts = getopt(argv.slice(1), 'Pn:i:t:');
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    await printErr(sys, `prctl: ${err.message}\n${USAGE}`);
    return 2;
  }
  const idtype = opts.value('i') ?? 'process';
  if (opts.operands.length === 0) return usage(sys);
  if (idtype !== 'zone') {
    await printErr(sys, `prctl: ${idtype}: only -i zone is supported here\n`);
    return 2;
  }
  const name = opts.value('n');
  const parseable = opts.has('P');
  let status = 0;
  for (const id of opts.operands) {
    const zone = await findZone(sys, id);
    if (zone === undefined) {
      await printErr(sys, `prctl: ${id}: unknown zone\n`);
      status = 1;
      continue;
    }
    const rctls = ZONE_RCTLS.filter((r) => name === undefined || r.name === name);
    const shown = rctls.map((r) => [r, r.read(zone)] as const).filter((e): e is readonly [Rctl, NonNullable<ReturnType<Rctl['read']>>] => e[1] !== undefined);
    if (shown.length === 0) {
      await printErr(sys, `prctl: failed to get resource control for ${name ?? 'zone'}: Invalid argument\n`);
      status = 1;
      continue;
    }
    await print(sys, report(zone, shown, parseable));
  }
  return status;
};

function report(zone: Zone, shown: readonly (readonly [Rctl, { usage?: number; values: Value[] }])[], parseable: boolean): string {
  let out = `zone: ${zone.id}: ${zone.name}\n`;
  if (!parseable) out += `${'NAME'.padEnd(8)}${'PRIVILEGE'.padEnd(16)}${'VALUE'.padEnd(9)}${'FLAG'.padEnd(7)}${'ACTION'.padEnd(28)}${'RECIPIENT'.padStart(10)}\n`;
  for (const [rctl, { usage, values }] of shown) {
    const unit = rctl.bytes ? 'B' : '';
    if (parseable) {
      if (usage !== undefined) out += `${rctl.name} usage ${usage} - - -\n`;
      for (const v of values) out += `${rctl.name} ${v.priv} ${v.raw ?? v.value} ${v.flag} ${v.action} -\n`;
      continue;
    }
    out += `${rctl.name}\n`;
    if (usage !== undefined) out += `${''.padStart(8)}${'usage'.padEnd(16)}${scaled(usage, rctl.bytes).padStart(5)}${unit.padEnd(4)}\n`;
    for (const v of values) {
      out += `${''.padStart(8)}${v.priv.padEnd(16)}${scaled(v.value, rctl.bytes).padStart(5)}${unit.padEnd(4)}${v.flag.padStart(4)}${''.padEnd(3)}${v.action.padEnd(28)}${'-'.padStart(10)}\n`;
    }
  }
  return out;
}

async function usage(sys: Sys): Promise<number> {
  await printErr(sys, USAGE);
  return 2;
}
