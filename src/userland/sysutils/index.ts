/** The system utilities, by the name their /bin file gives (`#!builtin ps`). */
import type { Program } from '../../kernel/abi.js';
import { chroot } from './chroot.js';
import { df } from './df.js';
import { hostname } from './hostname.js';
import { id } from './id.js';
import { kill } from './kill.js';
import { mount } from './mount.js';
import { ps } from './ps.js';
import { sleep } from './sleep.js';
import { spin } from './spin.js';
import { umount } from './umount.js';
import { uname } from './uname.js';
import { whoami } from './whoami.js';

export const sysUtils: Record<string, Program> = {
  ps,
  kill,
  hostname,
  uname,
  id,
  whoami,
  sleep,
  df,
  chroot,
  mount,
  umount,
  spin,
};
