/**
 * Argument checks at the boundary. Programs are JavaScript, so a syscall can receive anything;
 * a bad argument is the caller's error (EFAULT, EINVAL), never a kernel crash.
 */
import { Buffer } from 'node:buffer';
import { fail } from './errno.js';

export function str(value: unknown): string {
  if (typeof value !== 'string') throw fail('EFAULT');
  if (value.includes('\0')) throw fail('EINVAL');
  return value;
}

export function int(value: unknown, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw fail('EINVAL');
  return value;
}

export function nonNegative(value: unknown, fallback?: number): number {
  const n = int(value, fallback);
  if (n < 0) throw fail('EINVAL');
  return n;
}

export function strings(value: unknown): string[] {
  if (!Array.isArray(value)) throw fail('EFAULT');
  return value.map(str);
}

export function bytes(value: unknown): Uint8Array {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return value;
  throw fail('EFAULT');
}
