/**
 * jls(8): `jls [-dhNnqsv] [-c] [-j jail] [param ...]`, over cell_list/cell_get, so a jail sees
 * only the jails below it, named relative to itself. Formats as the libxo jls prints them: the
 * IP Address column is the jail's first address (empty for none, or for a vnet jail, whose
 * addresses are not ip4.addr), -v lists every address. Without cpusets, CPUSetID is 0.
 */
import type { CellInfo, Program, Sys } from '../../kernel/abi.js';
import { parseArgs } from '../fileutils/getopt.js';
import { print, printErr } from '../lib.js';
import { findJail } from './lookup.js';
import { JAIL_PARAMS, negatedName, type JailParam } from './params.js';

const USAGE = 'jls [-dhNnqsv] [-j jail] [param ...]';

const PRINT_DEFAULT = 0x01;
const PRINT_HEADER = 0x02;
const PRINT_NAMEVAL = 0x04;
const PRINT_QUOTED = 0x08;
const PRINT_SKIP = 0x10;
const PRINT_VERBOSE = 0x20;
const PRINT_JAIL_NAME = 0x40;

/** The option letters in order, folded into print flags as jls's getopt loop does. */
function printFlags(flags: readonly string[]): number {
  let p = 0;
  for (const flag of flags) {
    if (flag === 'h') p = (p & ~(PRINT_SKIP | PRINT_VERBOSE)) | PRINT_HEADER;
    else if (flag === 'N') p |= PRINT_JAIL_NAME;
    else if (flag === 'n') p = (p & ~PRINT_VERBOSE) | PRINT_NAMEVAL;
    else if (flag === 'q') p |= PRINT_QUOTED;
    else if (flag === 's') p = (p & ~(PRINT_HEADER | PRINT_VERBOSE)) | PRINT_NAMEVAL | PRINT_QUOTED | PRINT_SKIP;
    else if (flag === 'v') p = (p & ~(PRINT_HEADER | PRINT_NAMEVAL | PRINT_SKIP)) | PRINT_VERBOSE;
  }
  return p;
}

export const jls: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'jls', argv, 'acdj:hNnqsv', USAGE);
  if (opts === undefined) return 1;
  let pflags = printFlags(opts.list.map((o) => o.flag));
  let params: readonly JailParam[] = [];
  if (opts.operands.length > 0) {
    pflags &= ~PRINT_VERBOSE;
    const named: JailParam[] = [];
    for (const name of opts.operands) {
      const found = name === 'all' ? JAIL_PARAMS : JAIL_PARAMS.filter((p) => p.name === name);
      if (found.length === 0) return errx(sys, `unknown parameter: ${name}`);
      for (const p of found) if (!named.includes(p)) named.push(p);
    }
    params = named;
  } else if (pflags & (PRINT_HEADER | PRINT_NAMEVAL)) {
    params = JAIL_PARAMS;
  } else if (!(pflags & PRINT_VERBOSE)) {
    pflags |= PRINT_DEFAULT;
  }

  const target = opts.value('j');
  let jails: CellInfo[];
  if (target !== undefined) {
    const found = await findJail(sys, target);
    if ('error' in found) return opts.has('c') ? 1 : errx(sys, found.error);
    jails = [found];
  } else {
    jails = (await sys.cell_list()).filter((j) => opts.has('d') || opts.has('a') || j.state === 'alive');
  }
  if (opts.has('c')) return 0;

  let out = header(pflags, params);
  for (const j of jails) out += pflags & PRINT_VERBOSE ? verbose(j) : pflags & PRINT_DEFAULT ? defaultLine(j, pflags) : paramLine(j, params, pflags);
  await print(sys, out);
  return 0;
};

async function errx(sys: Sys, message: string): Promise<number> {
  await printErr(sys, `jls: ${message}\n`);
  return 1;
}

/** printf's %-W.Ps: truncated to P, padded to W. */
const field = (s: string, width: number): string => s.slice(0, width).padEnd(width);

function header(pflags: number, params: readonly JailParam[]): string {
  if (pflags & PRINT_VERBOSE) {
    return `   JID  Hostname${' '.repeat(22)}Path\n        Name${' '.repeat(26)}State\n        CPUSetID\n        IP Address(es)\n`;
  }
  if (pflags & PRINT_DEFAULT) {
    return pflags & PRINT_JAIL_NAME
      ? ` ${'JID'.padEnd(15)} ${'IP Address'.padEnd(15)} ${'Hostname'.padEnd(29)} Path\n`
      : `   JID  IP Address${' '.repeat(6)}Hostname${' '.repeat(22)}Path\n`;
  }
  if (pflags & PRINT_HEADER) return `${params.map((p) => p.name).join(' ')}\n`;
  return '';
}

function defaultLine(j: CellInfo, pflags: number): string {
  const key = pflags & PRINT_JAIL_NAME ? ` ${j.name.padEnd(15)} ` : `${String(j.id).padStart(6)}  `;
  return `${key}${field(ip4(j)[0] ?? '', 15)} ${field(j.hostname, 29)} ${j.path.slice(0, 74)}\n`;
}

function verbose(j: CellInfo): string {
  const state = j.state === 'dying' ? 'DYING' : 'ACTIVE';
  const addresses = ip4(j).map((a) => `        ${a}\n`).join('');
  return `${String(j.id).padStart(6)}  ${field(j.hostname, 29)} ${j.path.slice(0, 74)}\n        ${field(j.name, 29)} ${state}\n        0\n${addresses}`;
}

/** The jail's ip4.addr: its addresses, unless it has a stack of its own (a vnet jail's ip4.addr is empty). */
function ip4(j: CellInfo): readonly string[] {
  return j.vnet ? [] : j.addresses;
}

/** -n, -s, -h or named parameters: values space-separated on one line, `name=value` with -n. */
function paramLine(j: CellInfo, params: readonly JailParam[], pflags: number): string {
  const shown = pflags & PRINT_SKIP ? params.filter((p) => p.set !== undefined) : params;
  const items = shown.map((p) => {
    const value = p.get(j);
    if (typeof value === 'boolean') {
      if (pflags & PRINT_NAMEVAL) return value ? p.name : negatedName(p.name);
      return String(value);
    }
    return `${pflags & PRINT_NAMEVAL ? `${p.name}=` : ''}${quoted(String(value), pflags)}`;
  });
  return `${items.join(' ')}\n`;
}

/** jls quoted_print/special_print: quotes only with -q; an empty value is `""`, `-`, or nothing after `name=`. */
function quoted(value: string, pflags: number): string {
  if (value === '') return pflags & PRINT_QUOTED ? '""' : pflags & PRINT_NAMEVAL ? '' : '-';
  const qc = value.includes("'") ? '"' : value.includes('"') ? "'" : /[ \t]/.test(value) ? '"' : '';
  return pflags & PRINT_QUOTED ? `${qc}${value}${qc}` : value;
}
