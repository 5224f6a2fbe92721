/**
 * jail_getid(3) for the jail tools: a jail named by jid or by name, as the caller sees it. A
 * numeric operand is a jid, so the kernel's complaint reads `jail 5 not found`, not `jail "5"`.
 */
import type { CellInfo, CellRef, Sys } from '../../kernel/abi.js';
import { errnoOf, errorText } from '../lib.js';

export function cellRef(target: string): CellRef {
  return /^\d+$/.test(target) && Number(target) > 0 ? Number(target) : target;
}

/** The jail, or the message libjail would leave in jail_errmsg. */
export async function findJail(sys: Sys, target: string): Promise<CellInfo | { error: string }> {
  try {
    return await sys.cell_get(cellRef(target));
  } catch (err) {
    if (errnoOf(err) === undefined) throw err;
    return { error: errmsg(err, 'jail_get') };
  }
}

/** The kernel's own words (FreeBSD errmsg) or, lacking them, `call: strerror` as libjail words it. */
export function errmsg(err: unknown, call: string): string {
  const detail = err instanceof Error && 'detail' in err && typeof err.detail === 'string' ? err.detail : undefined;
  return detail ?? `${call}: ${errorText(err)}`;
}
