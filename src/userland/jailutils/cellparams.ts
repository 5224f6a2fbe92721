/**
 * From a jail(8) Draft to the kernel's CellParams. The privilege list is where jail semantics
 * meet the mechanism: the defaults (ANDed with the creator's own, as FreeBSD does), adjusted by
 * the allow.* flags given, plus what other parameters imply.
 */
import type { CellInfo, CellParams } from '../../kernel/abi.js';
import type { Privilege } from '../../kernel/privileges.js';
import { DEFAULT_CELL_PRIVILEGES } from '../../cells/calls.js';
import { VNET_PRIVILEGES, jailNet } from '../../cells/jail-params.js';
import type { Draft } from './params.js';

/** A new jail's privileges before its allow.* flags: the defaults the creator itself holds. */
export function defaultPrivileges(creator: CellInfo): Privilege[] {
  return DEFAULT_CELL_PRIVILEGES.filter((p) => creator.privileges.includes(p));
}

/**
 * The privileges a jail ends up with. allow.mount only works while the jail cannot see mounts
 * outside its root (enforce_statfs < 2), and creating jails is children.max's business, not a
 * flag's.
 */
function privilegesOf(base: readonly string[], draft: Draft, enforceStatfs: number, childrenMax: number): string[] {
  const granted = new Set(base);
  for (const [privilege, on] of draft.allow) {
    if (on) granted.add(privilege);
    else granted.delete(privilege);
  }
  if (enforceStatfs >= 2) granted.delete('sys_mount');
  if (childrenMax > 0) granted.add('sys_cell');
  else granted.delete('sys_cell');
  return [...granted].sort();
}

/** CellParams for cell_create. `persist` is what the caller decided (jail(8)'s temporary persist included). */
export function createParams(draft: Draft, base: readonly string[], persist: boolean): CellParams {
  const enforceStatfs = draft.enforceStatfs ?? 2;
  const childrenMax = draft.childrenMax ?? 0;
  const net = jailNet(draft.net);
  const privileges = privilegesOf(base, draft, enforceStatfs, childrenMax);
  if (net?.mode === 'vnet') for (const privilege of VNET_PRIVILEGES) if (!privileges.includes(privilege)) privileges.push(privilege);
  return {
    net,
    ...common(draft),
    name: draft.name,
    path: draft.path,
    sysvipc: draft.sysvipc,
    privileges: privileges.sort(),
    persist,
    kind: 'jail',
  };
}

/** CellParams for cell_set: only what was given; privileges only when something bearing on them was. */
export function updateParams(draft: Draft, current: CellInfo): CellParams {
  const touchesPrivileges = draft.allow.size > 0 || draft.enforceStatfs !== undefined || draft.childrenMax !== undefined;
  const privileges = touchesPrivileges
    ? privilegesOf(current.privileges, draft, draft.enforceStatfs ?? current.enforceStatfs, draft.childrenMax ?? current.childrenMax)
    : undefined;
  return { ...common(draft), privileges, persist: draft.persist };
}

function common(draft: Draft): CellParams {
  return {
    hostname: draft.hostname,
    securelevel: draft.securelevel,
    enforceStatfs: draft.enforceStatfs,
    childrenMax: draft.childrenMax,
  };
}
