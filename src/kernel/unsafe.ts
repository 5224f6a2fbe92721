/**
 * Test-only kernel switches: isolation mechanisms a test may turn off (BootOptions.unsafe), to
 * show that a check or an escape attempt really depends on the mechanism it names and cannot
 * pass by doing nothing. Only tests reach this: specs, scenarios and the CLI have no way to set
 * it. The flags are fixed at boot and shared by the kernel and every cell (Cell.unsafe), so a
 * mechanism reads one boolean where it decides, on a path that is taken only when the safe
 * answer is "no" (or once, when the object is built): normal runs pay nothing.
 */

/** Every mechanism that can be switched off, with what switching it off does. */
export const MECHANISMS = {
  confinement: 'path resolution forgets the process root: `..` at the root climbs above it, and from a directory outside the root too (namei, src/vfs/resolve.ts)',
  heldDescriptors: 'chroot and cell_attach no longer refuse a caller holding an open directory descriptor it could fchdir back out through (src/vfs/path-calls.ts, src/cells/calls.ts)',
  privileges: 'the privilege gate says yes to every privilege, for every user in every cell (src/proc/cred.ts hasPrivilege)',
  admission: 'charges always fit: a charge past a limit is recorded and never refused (src/cells/admission.ts)',
  procVisibility: 'every cell sees and may signal every process: kill, kill(-1), /proc and cgroup2 views no longer filter by cell (src/proc/visibility.ts)',
  addressRestriction: 'a view restricted to addresses behaves as unrestricted: any address of the shared stack, its configuration, its packets (src/net/view.ts)',
  utsVirtualization: 'new cells share the host\'s UTS namespace: sethostname/gethostname reach the host\'s hostname (src/cells/calls.ts)',
  ipcNamespaces: 'new cells use the host\'s SysV IPC namespace instead of their own or none (src/cells/calls.ts)',
  childBounds: 'a new or changed child cell may get privileges and limits its parent lacks (src/cells/calls.ts privilegesOf, quotaOf)',
  readOnlyMounts: 'a mount made read-only (nullfs ro: a thin jail\'s shared base, a sparse zone\'s inherited directories) takes writes (src/vfs/access.ts checkWritable)',
  cellHierarchy: 'a cell may manage any cell, its own, its parent and siblings included, not only those below it: cell_get, cell_set, cell_attach, cell_remove (src/cells/calls.ts descendant), and unmount what an ancestor mounted (src/vfs/path-calls.ts umount)',
  directExecution: 'no call of a cell\'s process runs directly: each traps into the monitor and is emulated there, costing TRAP_TICKS more, as under a trap-and-emulate monitor (src/kernel/door.ts)',
} as const;

export type Mechanism = keyof typeof MECHANISMS;

/** One boolean per mechanism: true when a test switched it off. */
export type Unsafe = { readonly [M in Mechanism]: boolean };

export const MECHANISM_NAMES: readonly Mechanism[] = Object.keys(MECHANISMS) as Mechanism[];

/** Every mechanism on: what every normal run uses. */
export const SAFE: Unsafe = unsafeFlags([]);

/** The flags for a list of mechanisms switched off. */
export function unsafeFlags(off: readonly Mechanism[]): Unsafe {
  const flags = {} as Record<Mechanism, boolean>;
  for (const name of MECHANISM_NAMES) flags[name] = off.includes(name);
  for (const name of off) if (!Object.hasOwn(MECHANISMS, name)) throw new TypeError(`unknown mechanism: ${String(name)}`);
  return Object.freeze(flags);
}
