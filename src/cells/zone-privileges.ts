/**
 * Solaris zone privilege sets (privileges(5), the native brand's config.xml), mapped onto the
 * kernel's privilege table, and limitpriv parsing: "default" expands to the default set,
 * "-priv" or "!priv" removes one, a bare name adds one. Prohibited privileges can never be
 * added; required ones can never be removed. The sets depend on the zone's ip-type: an
 * exclusive-IP zone manages its own stack (net_rawaccess and sys_ip_config by default,
 * sys_ip_config required); a shared-IP zone may never configure the global zone's
 * (sys_ip_config prohibited) and gets raw sockets only through limitpriv.
 */
import { PRIVILEGES, type Privilege } from '../kernel/privileges.js';

export type IpType = 'shared' | 'exclusive';

export const ZONE_DEFAULT: readonly Privilege[] = [
  'file_chown', 'file_dac_execute', 'file_dac_read', 'file_dac_search', 'file_dac_write', 'file_owner',
  'ipc_dac_read', 'ipc_dac_write', 'ipc_owner', 'net_icmpaccess', 'net_privaddr', 'proc_chroot', 'proc_owner', 'proc_setid', 'sys_admin', 'sys_mount',
];
/** What an exclusive-IP zone's default set adds: its own stack's configuration and raw sockets. */
export const ZONE_EXCLUSIVE_DEFAULT: readonly Privilege[] = ['net_rawaccess', 'sys_ip_config'];
/** Allowed through limitpriv, not granted by default (net_rawaccess: shared-IP zones). */
export const ZONE_OPTIONAL: readonly Privilege[] = ['net_rawaccess', 'sys_time'];
/** Never grantable to a zone (proc_zone's counterpart: managing other cells). */
export const ZONE_PROHIBITED: readonly Privilege[] = ['sys_cell'];
export const ZONE_REQUIRED: readonly Privilege[] = ['sys_mount'];

/** The default, prohibited and required sets for an ip-type (config.xml's ip-type conditions). */
export function zonePrivilegeSets(ipType: IpType = 'shared'): { default: readonly Privilege[]; prohibited: readonly Privilege[]; required: readonly Privilege[] } {
  return ipType === 'exclusive'
    ? { default: [...ZONE_DEFAULT, ...ZONE_EXCLUSIVE_DEFAULT], prohibited: ZONE_PROHIBITED, required: [...ZONE_REQUIRED, 'sys_ip_config'] }
    : { default: ZONE_DEFAULT, prohibited: [...ZONE_PROHIBITED, 'sys_ip_config'], required: ZONE_REQUIRED };
}

/** The zone's privilege set for a limitpriv value, or the zoneadm message for the first violation. */
export function parseLimitpriv(limitpriv: string | undefined, ipType: IpType = 'shared'): { ok: true; privileges: Privilege[] } | { ok: false; message: string } {
  const sets = zonePrivilegeSets(ipType);
  const set = new Set<Privilege>();
  const tokens = (limitpriv ?? 'default').split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (tokens.length === 0) tokens.push('default');
  for (const [i, token] of tokens.entries()) {
    if (token === 'default') {
      if (i !== 0) return { ok: false, message: 'unknown privilege "default" specified in the zone\'s privilege set' };
      sets.default.forEach((p) => set.add(p));
      continue;
    }
    const remove = token.startsWith('-') || token.startsWith('!');
    const name = remove ? token.slice(1) : token;
    if (!Object.hasOwn(PRIVILEGES, name)) return { ok: false, message: `unknown privilege "${name}" specified in the zone's privilege set` };
    const privilege = name as Privilege;
    if (remove) {
      if (sets.required.includes(privilege)) return { ok: false, message: `required privilege "${name}" is missing from the zone's privilege set` };
      set.delete(privilege);
    } else {
      if (sets.prohibited.includes(privilege)) return { ok: false, message: `privilege "${name}" is not permitted within the zone's privilege set` };
      set.add(privilege);
    }
  }
  // A list that does not start from "default" must still name every required privilege.
  const missing = sets.required.find((p) => !set.has(p));
  if (missing !== undefined) return { ok: false, message: `required privilege "${missing}" is missing from the zone's privilege set` };
  return { ok: true, privileges: [...set].sort() };
}
