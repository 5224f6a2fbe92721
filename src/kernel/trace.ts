/**
 * The syscall trace: one JSON Lines event per completed syscall, with virtual time, cell, pid,
 * call, short arguments and the result or errno. Nothing in an event depends on real time, so
 * the same seed and inputs give the same bytes.
 */
import { SysError } from './errno.js';
import type { Process } from '../proc/process.js';
import { NORETURN } from './control.js';

const MAX_STRING = 64;

export function formatTraceEvent(now: number, p: Process, call: string, args: readonly unknown[], result: unknown): string {
  const event: Record<string, unknown> = { t: now, cell: p.cell.name, pid: p.pid, call, args: args.map(short) };
  if (result instanceof SysError) event.err = result.code;
  else if (result !== NORETURN) event.ret = short(result);
  return JSON.stringify(event);
}

/** A compact rendering of a value: long strings cut, byte arrays as their length. */
function short(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'string') return value.length > MAX_STRING ? value.slice(0, MAX_STRING) + '…' : value;
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (Array.isArray(value)) return value.length > 8 ? `<${value.length} items>` : value.map(short);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = typeof v === 'object' && v !== null ? '…' : short(v);
    return out;
  }
  return value;
}
