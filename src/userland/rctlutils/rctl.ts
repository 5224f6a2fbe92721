/**
 * rctl(8) over the cells' resource partitions: `rctl -u jail:NAME` prints the 25 racct
 * resources in kern_racct.c's order, those we account mapped (memoryuse <- memory, maxproc <-
 * processes, openfiles <- openFiles, cputime <- CPU ticks when the kernel reports them), the
 * rest 0. A hard limit on a cell IS a deny rule in rctl's terms, so `rctl [filter]` lists a
 * cell's limits as `jail:NAME:maxproc:deny=20`, `-a` sets one and `-r` lifts it (cell_set).
 * Only the jail subject exists here; other subjects fail with EOPNOTSUPP. As on FreeBSD, a jail
 * may not use rctl at all (the PRIV_RCTL_* privileges are never granted in a jail): EPERM.
 */
import { HZ, type CellInfo, type Program, type ResourceName, type Sys } from '../../kernel/abi.js';
import { strerror, type Errno } from '../../kernel/errno.js';
import { errnoOf, print, printErr } from '../lib.js';
import { cpuOf } from './cpu.js';

/** racct resources in output order (kern_racct.c racct_types[] / rctl.8). */
export const RACCT_RESOURCES = [
  'cputime', 'datasize', 'stacksize', 'coredumpsize', 'memoryuse', 'memorylocked', 'maxproc', 'openfiles',
  'vmemoryuse', 'pseudoterminals', 'swapuse', 'nthr', 'msgqqueued', 'msgqsize', 'nmsgq', 'nsem', 'nsemop',
  'nshm', 'shmsize', 'wallclock', 'pcpu', 'readbps', 'writebps', 'readiops', 'writeiops',
] as const;

/** The racct resources one of our partition resources is, in racct order. */
const MAPPED: readonly (readonly [string, ResourceName])[] = [
  ['memoryuse', 'memory'],
  ['maxproc', 'processes'],
  ['openfiles', 'openFiles'],
];

const USAGE = 'usage: rctl [ -h ] [-a rule | -l filter | -r filter | -u filter | filter]\n';

/** A rule or filter split into rctl's fields; subject abbreviations expanded as rctl.c does. */
interface Rule {
  readonly subject: string;
  readonly id: string;
  readonly resource: string;
  readonly action: string;
  readonly amount: string;
}

function parseRule(text: string): Rule | undefined {
  const [subject = '', id, resource = '', rest = ''] = text.split(':');
  if (id === undefined) return undefined;
  const [action = '', amount = ''] = rest.split('=');
  const full: Record<string, string> = { u: 'user', g: 'group', p: 'process', l: 'loginclass', c: 'loginclass', class: 'loginclass', j: 'jail' };
  return { subject: full[subject.toLowerCase()] ?? subject, id, resource, action, amount };
}

/** A failed operand: the errno rctl's warn() adds, or (malformed rules) rctl's own words. */
class RctlError extends Error {
  constructor(
    readonly code: Errno,
    readonly words?: string,
  ) {
    super(code);
  }
}

export const rctl: Program = async (sys, argv) => {
  const flags = new Set<string>();
  let i = 1;
  for (; i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '-'; i++) {
    if (argv[i] === '--') {
      i++;
      break;
    }
    for (const f of argv[i]!.slice(1)) {
      if (!'ahlnru'.includes(f)) return usage(sys, `rctl: illegal option -- ${f}\n`);
      flags.add(f);
    }
  }
  const operands = argv.slice(i);
  const modes = ['a', 'l', 'r', 'u'].filter((m) => flags.has(m));
  if (modes.length > 1) return errx(sys, 'at most one of -a, -l, -r, or -u may be specified');
  const mode = modes[0] ?? 'show';
  if (operands.length === 0) {
    if (mode !== 'show') return usage(sys, '');
    await run(sys, 'show', '::', flags.has('h'));
    return 0;
  }
  let failed = 0;
  for (const text of operands) if (!(await run(sys, mode, text, flags.has('h')))) failed++;
  return failed;
};

const WHAT: Record<string, string> = {
  show: 'failed to show rules for',
  l: 'failed to get limits for',
  u: 'failed to show resource consumption for',
  a: 'failed to add rule',
  r: 'failed to remove rule',
};

/** One operand; false (after rctl's warning) when it failed. */
async function run(sys: Sys, mode: string, text: string, human: boolean): Promise<boolean> {
  const rule = parseRule(text);
  if (rule === undefined) {
    await printErr(sys, `rctl: malformed rule '${text}': missing subject\n`);
    return false;
  }
  try {
    if ((await sys.cell_get()).id !== 0) throw new RctlError('EPERM');
    const out = mode === 'u' ? await usageOf(sys, rule) : mode === 'a' ? await addRule(sys, rule, text) : mode === 'r' ? await removeRule(sys, rule) : await rulesOf(sys, rule);
    await print(sys, out.map((line) => `${human ? humanize(line) : line}\n`).join(''));
    return true;
  } catch (err) {
    if (err instanceof RctlError && err.words !== undefined) {
      await printErr(sys, `rctl: ${err.words}\n`);
      return false;
    }
    const code = err instanceof RctlError ? err.code : errnoOf(err);
    if (code === undefined) throw err;
    await printErr(sys, `rctl: ${WHAT[mode]} '${text}': ${strerror(code as Errno)}\n`);
    return false;
  }
}

/** The jails a filter names: one by name, or every one for an empty id or an empty subject. */
async function jailsOf(sys: Sys, rule: Rule): Promise<CellInfo[]> {
  if (rule.subject !== 'jail' && rule.subject !== '') throw new RctlError(knownSubject(rule.subject) ? 'EOPNOTSUPP' : 'EINVAL');
  if (rule.id === '') return sys.cell_list();
  if (rule.subject === '') throw new RctlError('EINVAL');
  try {
    return [await sys.cell_get(rule.id)];
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    throw new RctlError('ESRCH');
  }
}

const knownSubject = (s: string): boolean => ['process', 'user', 'loginclass', 'jail'].includes(s);

async function usageOf(sys: Sys, rule: Rule): Promise<string[]> {
  if (rule.subject === '' || rule.id === '') throw new RctlError('EINVAL');
  const [jail] = await jailsOf(sys, rule);
  const cpu = cpuOf(jail!);
  const value = (name: string): number => {
    if (name === 'cputime') return cpu === undefined ? 0 : Math.floor(cpu.ticks / HZ);
    const mapped = MAPPED.find(([n]) => n === name);
    return mapped === undefined ? 0 : jail!.resources[mapped[1]].usage;
  };
  return RACCT_RESOURCES.map((name) => `${name}=${value(name)}`);
}

async function rulesOf(sys: Sys, rule: Rule): Promise<string[]> {
  const lines: string[] = [];
  for (const jail of await jailsOf(sys, rule)) {
    for (const [name, resource] of MAPPED) {
      const limit = jail.resources[resource].limit;
      if (limit === Infinity || (rule.resource !== '' && rule.resource !== name)) continue;
      lines.push(`jail:${jail.name}:${name}:deny=${limit}`);
    }
  }
  return lines;
}

async function addRule(sys: Sys, rule: Rule, text: string): Promise<string[]> {
  const resource = mappedResource(rule.resource);
  const amount = expandNumber(rule.amount);
  if (amount === undefined) throw new RctlError('EINVAL');
  if (Number.isNaN(amount)) throw new RctlError('EINVAL', `malformed rule '${text}': invalid numeric value '${rule.amount}'`);
  if (rule.subject !== 'jail' || rule.id === '') throw new RctlError(knownSubject(rule.subject) ? 'EOPNOTSUPP' : 'EINVAL');
  if (rule.action !== 'deny') throw new RctlError(rule.action === '' ? 'EINVAL' : 'EOPNOTSUPP');
  await jailsOf(sys, rule);
  await sys.cell_set(rule.id, { limits: { [resource]: amount } });
  return [];
}

async function removeRule(sys: Sys, rule: Rule): Promise<string[]> {
  const names = rule.resource === '' ? MAPPED.map(([n]) => n) : [rule.resource];
  let removed = 0;
  for (const jail of await jailsOf(sys, rule)) {
    for (const name of names) {
      const resource = mappedResource(name);
      if (jail.resources[resource].limit === Infinity) continue;
      await sys.cell_set(jail.name, { limits: { [resource]: Infinity } });
      removed++;
    }
  }
  if (removed === 0) throw new RctlError('ESRCH');
  return [];
}

function mappedResource(name: string): ResourceName {
  const mapped = MAPPED.find(([n]) => n === name);
  if (mapped !== undefined) return mapped[1];
  throw new RctlError((RACCT_RESOURCES as readonly string[]).includes(name) ? 'EOPNOTSUPP' : 'EINVAL');
}

/** expand_number(3): digits with an optional k, m, g, t, p or e suffix (powers of 1024); NaN when malformed, undefined when empty. */
function expandNumber(text: string): number | undefined {
  if (text === '') return undefined;
  const m = /^(\d+)([kmgtpe]?)$/i.exec(text);
  if (m === null) return NaN;
  return Number(m[1]) * 1024 ** ' kmgtpe'.indexOf((m[2] || ' ').toLowerCase());
}

/** -h: humanize_number(3) with HN_AUTOSCALE | HN_DECIMAL | HN_NOSPACE into 5 characters. */
function humanize(line: string): string {
  const m = /^(.*=)(\d+)(\/.*)?$/.exec(line);
  if (m === null) return line;
  let value = Number(m[2]);
  let unit = 0;
  while (value >= 1000 && unit < 6) {
    value /= 1024;
    unit++;
  }
  const shown = unit > 0 && value < 9.95 ? value.toFixed(1) : String(Math.round(value));
  return `${m[1]}${shown}${['', 'K', 'M', 'G', 'T', 'P', 'E'][unit]}${m[3] ?? ''}`;
}

async function usage(sys: Sys, complaint: string): Promise<number> {
  await printErr(sys, complaint + USAGE);
  return 1;
}

async function errx(sys: Sys, message: string): Promise<number> {
  await printErr(sys, `rctl: ${message}\n`);
  return 1;
}
