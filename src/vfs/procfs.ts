/**
 * procfs: one instance shared by every mount namespace, showing each viewer only what it may
 * see. A process's directory exists from spawn to reap and is visible only to processes whose
 * cell contains the target's cell (FreeBSD prison_check). Files are generated when opened.
 *
 * /proc/<pid>/cwd and /proc/<pid>/root are ordinary symlinks whose text is the target's
 * directory as seen from the viewer's root ("/" when it lies outside it): following them is an
 * ordinary lookup inside the viewer's root, so they are no way out of a chroot.
 */
import { HZ, S_IFDIR, S_IFREG } from '../kernel/abi.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Process } from '../proc/process.js';
import { userBeancounters, visibleCounters } from './beancounters.js';
import { MemFs, type Link } from './memfs.js';
import type { Loc } from './mount.js';
import { pathFrom } from './resolve.js';
import { maySee } from '../proc/visibility.js';
import { hasPrivilege } from '../proc/cred.js';

const STATE_LETTER: Record<string, string> = {
  runnable: 'R (running)',
  running: 'R (running)',
  blocked: 'S (sleeping)',
  stopped: 'T (stopped)',
  zombie: 'Z (zombie)',
};

export class Procfs {
  readonly fs: MemFs;
  private readonly dirs = new Map<Process, Link>();

  constructor(private readonly kernel: Kernel) {
    const fs = (this.fs = new MemFs('procfs', kernel.nextId('dev'), { hooks: true, readOnly: true }));
    const hooks = fs.hooks!;
    const self = fs.createSymlink(fs.root, 'self', '/proc/self', 0, 0, 0);
    hooks.set(self.getNode(), { readlink: (viewer) => String(viewer.pid) });
    this.file(fs.root, 'mounts', (viewer) => mountsOf(viewer, kernel.hostCell.root));
    this.file(fs.root, 'uptime', () => uptime(kernel.now));
    this.file(fs.root, 'user_beancounters', (viewer) => userBeancounters(visibleCounters(viewer.cell, kernel.cells.values())));
  }

  addProcess(p: Process): void {
    const fs = this.fs;
    const hooks = fs.hooks!;
    const dir = fs.create(fs.root, String(p.pid), S_IFDIR | 0o555, p.cred.uid, p.cred.gid, this.kernel.now);
    hooks.set(dir.getNode(), { visible: (viewer) => maySee(viewer, p.cell) });
    this.file(dir, 'status', (viewer) => status(p, viewer));
    this.file(dir, 'cmdline', () => p.argv.join('\0') + '\0');
    this.environ(dir, p);
    this.link(dir, 'cwd', (viewer) => pathFrom(viewer.root, p.cwd) ?? '/');
    this.link(dir, 'root', (viewer) => pathFrom(viewer.root, p.root) ?? '/');
    this.dirs.set(p, dir);
  }

  removeProcess(p: Process): void {
    const dir = this.dirs.get(p);
    if (dir === undefined) return;
    this.dirs.delete(p);
    for (const [name, child] of [...dir.children]) {
      if (name !== '.' && name !== '..' && child !== undefined) this.fs.removeLink(child, this.kernel.now);
    }
    this.fs.removeLink(dir, this.kernel.now);
  }

  private file(dir: Link, name: string, content: (viewer: Process) => string): void {
    const link = this.fs.create(dir, name, S_IFREG | 0o444, 0, 0, this.kernel.now);
    this.fs.hooks!.set(link.getNode(), { content });
  }

  /**
   * /proc/PID/environ, opened under ptrace's PTRACE_MODE_READ rule rather than its bits: by the
   * user the process started as, or a holder of proc_owner (privileges(5): inspect processes
   * regardless of ownership). A process that changes user stays its first user's, as Linux
   * marks it non-dumpable. Shown as Linux shows it: mode 0400, owned by that user.
   */
  private environ(dir: Link, p: Process): void {
    const { uid, gid } = p.cred;
    const link = this.fs.create(dir, 'environ', S_IFREG | 0o400, uid, gid, this.kernel.now);
    this.fs.hooks!.set(link.getNode(), {
      content: () => environ(p.env),
      mayOpen: (viewer) => viewer.cred.uid === uid || hasPrivilege(viewer, 'proc_owner'),
    });
  }

  private link(dir: Link, name: string, readlink: (viewer: Process) => string): void {
    const link = this.fs.createSymlink(dir, name, '/', 0, 0, this.kernel.now);
    this.fs.hooks!.set(link.getNode(), { readlink });
  }
}

/** /proc/PID/environ: NAME=VALUE entries, each ended by a NUL (environ(7) as Linux shows it). */
function environ(env: Readonly<Record<string, string>>): string {
  let out = '';
  for (const [name, value] of Object.entries(env)) out += `${name}=${value}\0`;
  return out;
}

function status(p: Process, viewer: Process): string {
  return [
    `Name:\t${p.comm}`,
    `State:\t${STATE_LETTER[p.state] ?? '?'}`,
    `Pid:\t${p.pid}`,
    `PPid:\t${p.parent?.pid ?? 0}`,
    `Uid:\t${p.cred.uid}`,
    `Gid:\t${p.cred.gid}`,
    `Groups:\t${p.cred.groups.join(' ')}`,
    `Cell:\t${p.cell.nameFrom(viewer.cell)}`,
    `Ticks:\t${p.cpuTicks}`,
    `Start:\t${p.startTick}`,
    '',
  ].join('\n');
}

/**
 * The viewer's mounts, as FreeBSD's enforce_statfs shows them to its cell: 0, every mount with
 * its real path; 1, the mount holding the viewer's root (as "/") and those below the root,
 * relative to it; 2, only the mount holding the root.
 */
function mountsOf(viewer: Process, hostRoot: Loc): string {
  const level = viewer.cell.limits.enforceStatfs;
  const root = viewer.root;
  let out = '';
  for (const m of viewer.ns.mnt.mounts) {
    const at = m.parent === null || m.mountpoint === null ? { mnt: m, link: m.root } : { mnt: m.parent, link: m.mountpoint };
    let where: string | undefined;
    if (m === root.mnt) where = level === 0 ? pathFrom(hostRoot, at) : '/';
    else if (level === 2) continue;
    else where = pathFrom(root, at) ?? (level === 0 ? pathFrom(hostRoot, at) : undefined);
    if (where === undefined) continue;
    out += `${m.source} ${where} ${m.type} ${m.readOnly ? 'ro' : 'rw'} 0 0\n`;
  }
  return out;
}

function uptime(now: number): string {
  const secs = (now / HZ).toFixed(2);
  return `${secs} 0.00\n`;
}
