/**
 * UTS syscalls: answered from, and written to, the caller's UTS namespace only.
 */
import { str } from '../kernel/args.js';
import { fail } from '../kernel/errno.js';
import type { Handler } from '../kernel/syscall-table.js';
import { MAXHOSTNAMELEN, utsname } from './uts.js';

export const gethostname: Handler<'gethostname'> = (_k, p) => p.ns.uts.hostname;

export const sethostname: Handler<'sethostname'> = (_k, p, [name]) => {
  const hostname = str(name);
  if (hostname.length >= MAXHOSTNAMELEN) throw fail('EINVAL');
  p.ns.uts.hostname = hostname;
  return undefined;
};

export const uname: Handler<'uname'> = (_k, p) => utsname(p.ns.uts);
