/**
 * The admission case: the cost of charging resources at the boundary. Two synthetic rows go
 * through the kernel's real door (Kernel.syscall: admission, handler, return), one charging
 * five resources per call, one charging none; same no-op handler. The charges are never given
 * back (the partition is unlimited), which costs nothing extra per call.
 */
import type { Kernel } from '../../src/index.js';
import { RESOURCE_NAMES } from '../../src/cells/partition.js';
import { normalizeCharge, SYSCALL_BY_NAME, unitIndexesOf, type SyscallRow } from '../../src/kernel/syscall-table.js';

export interface AdmissionRows {
  readonly charged: (n: number) => Promise<void>;
  readonly uncharged: (n: number) => Promise<void>;
}

/** Loops that call the two rows as the process running now (call from inside a program). */
export function admissionLoops(k: Kernel): AdmissionRows {
  const p = k.current!;
  const base: SyscallRow = { ...SYSCALL_BY_NAME.get('getpid')!, handler: () => 0 };
  const charges = RESOURCE_NAMES.slice(0, 5).map(normalizeCharge);
  const fiveCharges: SyscallRow = { ...base, charges, unitIndexes: unitIndexesOf(charges) };
  const none: unknown[] = [];
  return {
    charged: async (n) => {
      for (let i = 0; i < n; i++) await k.syscall(p, fiveCharges, none);
    },
    uncharged: async (n) => {
      for (let i = 0; i < n; i++) await k.syscall(p, base, none);
    },
  };
}
