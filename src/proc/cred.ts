/**
 * Credentials and the privilege gate. One function decides every privileged operation: the
 * caller must be root *and* its cell's policy must grant the privilege (root in a cell is not
 * root on the host). Deny by default: a privilege the policy does not list is refused.
 */
import { fail } from '../kernel/errno.js';
import type { Privilege } from '../kernel/privileges.js';
import type { Viewer as Process } from './process.js';

export function hasPrivilege(p: Process, privilege: Privilege): boolean {
  return (p.cred.uid === 0 && p.cell.policy.has(privilege)) || p.cell.unsafe.privileges;
}

export function requirePrivilege(p: Process, privilege: Privilege): void {
  if (!hasPrivilege(p, privilege)) throw fail('EPERM');
}

export function inGroup(p: Process, gid: number): boolean {
  return p.cred.gid === gid || p.cred.groups.includes(gid);
}
