/**
 * Solaris zone privilege sets (privileges(5), the native brand's config.xml), mapped onto the
 * kernel's privilege table, and limitpriv parsing: "default" expands to the default set,
 * "-priv" or "!priv" removes one, a bare name adds one. Prohibited privileges can never be
 * added; required ones can never be removed.
 */
import { PRIVILEGES, type Privilege } from '../kernel/privileges.js';

export const ZONE_DEFAULT: readonly Privilege[] = [
  'file_chown', 'file_dac_execute', 'file_dac_read', 'file_dac_search', 'file_dac_write', 'file_owner',
  'ipc_dac_read', 'ipc_dac_write', 'ipc_owner', 'proc_chroot', 'proc_owner', 'proc_setid', 'sys_admin', 'sys_mount',
];
/** Allowed through limitpriv, not granted by default. */
export const ZONE_OPTIONAL: readonly Privilege[] = ['sys_time'];
/** Never grantable to a zone (proc_zone's counterpart: managing other cells). */
export const ZONE_PROHIBITED: readonly Privilege[] = ['sys_cell'];
export const ZONE_REQUIRED: readonly Privilege[] = ['sys_mount'];

/** The zone's privilege set for a limitpriv value, or the zoneadm message for the first violation. */
export function parseLimitpriv(limitpriv: string | undefined): { ok: true; privileges: Privilege[] } | { ok: false; message: string } {
  const set = new Set<Privilege>();
  const tokens = (limitpriv ?? 'default').split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (tokens.length === 0) tokens.push('default');
  for (const [i, token] of tokens.entries()) {
    if (token === 'default') {
      if (i !== 0) return { ok: false, message: 'unknown privilege "default" specified in the zone\'s privilege set' };
      ZONE_DEFAULT.forEach((p) => set.add(p));
      continue;
    }
    const remove = token.startsWith('-') || token.startsWith('!');
    const name = remove ? token.slice(1) : token;
    if (!Object.hasOwn(PRIVILEGES, name)) return { ok: false, message: `unknown privilege "${name}" specified in the zone's privilege set` };
    const privilege = name as Privilege;
    if (remove) {
      if (ZONE_REQUIRED.includes(privilege)) return { ok: false, message: `required privilege "${name}" is missing from the zone's privilege set` };
      set.delete(privilege);
    } else {
      if (ZONE_PROHIBITED.includes(privilege)) return { ok: false, message: `privilege "${name}" is not permitted within the zone's privilege set` };
      set.add(privilege);
    }
  }
  return { ok: true, privileges: [...set].sort() };
}
