/**
 * Signal names and numbers as kill(1) spells them: `TERM`, `SIGTERM`, `term` or `15`.
 * The table itself is the ABI's SIGNALS; this only translates.
 */
import { SIGNALS, type SignalName } from '../../kernel/abi.js';

/** Names without the SIG prefix, in signal-number order: HUP INT QUIT KILL ... */
export function signalNames(): string[] {
  return (Object.entries(SIGNALS) as [SignalName, number][])
    .sort((a, b) => a[1] - b[1])
    .map(([name]) => name.slice(3));
}

/** The number of a signal given by name (any case, SIG optional) or number; undefined if unknown. */
export function signalNumber(spec: string): number | undefined {
  if (/^\d+$/.test(spec)) return Number(spec);
  const upper = spec.toUpperCase();
  const name = (upper.startsWith('SIG') ? upper : `SIG${upper}`) as SignalName;
  return Object.hasOwn(SIGNALS, name) ? SIGNALS[name] : undefined;
}

/** The name (without SIG) of signal `n`, or undefined when it has none. */
export function signalName(n: number): string | undefined {
  const entry = Object.entries(SIGNALS).find(([, value]) => value === n);
  return entry?.[0].slice(3);
}
