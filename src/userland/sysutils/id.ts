/**
 * id(1): `uid=0(root) gid=0(wheel) groups=0(wheel),5(operator)` for the caller, or for a user
 * named as operand (from /etc/passwd and /etc/group). -u, -g, -G print ids only; -n names.
 */
import type { Program, Sys } from '../../kernel/abi.js';
import { parseArgs, usageFail } from '../fileutils/getopt.js';
import { print, printErr } from '../lib.js';
import { groupList, type IdNames, loadIdNames, readPasswd } from '../users.js';

const USAGE = 'id [-Gnu | -gnr | -unr] [user]';

interface Identity {
  readonly uid: number;
  readonly gid: number;
  /** The primary group first, then the supplementary ones, without repeats. */
  readonly groups: readonly number[];
}

async function callerIdentity(sys: Sys): Promise<Identity> {
  const uid = await sys.getuid();
  const gid = await sys.getgid();
  const groups = [gid, ...(await sys.getgroups()).filter((g) => g !== gid)];
  return { uid, gid, groups: [...new Set(groups)] };
}

async function userIdentity(sys: Sys, name: string): Promise<Identity | undefined> {
  const users = await readPasswd(sys);
  const user = users.find((u) => u.name === name) ?? (/^\d+$/.test(name) ? users.find((u) => u.uid === Number(name)) : undefined);
  if (user === undefined) return undefined;
  return { uid: user.uid, gid: user.gid, groups: await groupList(sys, user) };
}

/** `0(root)`, or the bare number when the id has no name. */
function labelled(id: number, name: string): string {
  return name === String(id) ? name : `${id}(${name})`;
}

function fullLine(who: Identity, names: IdNames): string {
  const groups = who.groups.map((g) => labelled(g, names.group(g))).join(',');
  return `uid=${labelled(who.uid, names.user(who.uid))} gid=${labelled(who.gid, names.group(who.gid))} groups=${groups}\n`;
}

export const id: Program = async (sys, argv) => {
  const opts = await parseArgs(sys, 'id', argv, 'Ggnru', USAGE);
  if (opts === undefined) return 1;
  const modes = ['u', 'g', 'G'].filter((f) => opts.has(f));
  if (modes.length > 1 || (modes.length === 0 && (opts.has('n') || opts.has('r'))) || opts.operands.length > 1) {
    return usageFail(sys, USAGE);
  }

  const name = opts.operands[0];
  const who = name === undefined ? await callerIdentity(sys) : await userIdentity(sys, name);
  if (who === undefined) {
    await printErr(sys, `id: ${name}: no such user\n`);
    return 1;
  }
  const names = await loadIdNames(sys);
  const show = (ids: readonly number[], nameOf: (n: number) => string): string =>
    `${ids.map((n) => (opts.has('n') ? nameOf(n) : String(n))).join(' ')}\n`;

  switch (modes[0]) {
    case 'u':
      await print(sys, show([who.uid], names.user));
      break;
    case 'g':
      await print(sys, show([who.gid], names.group));
      break;
    case 'G':
      await print(sys, show(who.groups, names.group));
      break;
    default:
      await print(sys, fullLine(who, names));
  }
  return 0;
};
