/**
 * A digest of everything outside one cell: what a program inside that cell must not be able to
 * change without a sensitive call. It covers the host's and other cells' files (the memfs trees
 * reachable from the host root, skipping the cell's own root subtree and the generated views,
 * procfs and cgroup2), the mount table, processes, cells and their hostnames, SysV IPC objects,
 * network stacks (interfaces, addresses, routes, sockets), resource partitions and CPU settings,
 * and the wall clock's base. Virtual time and what moves with it (time stamps, CPU ticks) are
 * left out, so the digest changes only when state does.
 *
 * Harness code, not kernel code: it reads kernel structures directly (it is the observer, not a
 * program) and hashes with node:crypto. It owns no state: each call builds a fresh digest.
 */
import { createHash } from 'node:crypto';
import type { Kernel } from '../kernel/kernel.js';
import type { Cell } from '../cells/cell.js';
import type { Process } from '../proc/process.js';
import type { Loc, Mount } from '../vfs/mount.js';
import { isBelow, pathFrom } from '../vfs/resolve.js';
import type { NetStack } from '../net/stack.js';
import type { NetView } from '../net/view.js';
import type { IpcNamespace } from '../ipc/sysv.js';
import type { Partition } from '../cells/partition.js';
import { formatIp } from '../net/ipv4.js';

/** Filesystems whose content is generated per viewer: their state is digested elsewhere. */
const GENERATED = new Set(['procfs', 'cgroup2']);

export type DigestPart = 'files' | 'mounts' | 'processes' | 'cells' | 'ipc' | 'net' | 'partitions' | 'clock';

export interface Digest {
  /** sha256 over every part. */
  readonly hash: string;
  /** Each part as sorted lines, so a difference can be shown line by line. */
  readonly parts: Readonly<Record<DigestPart, readonly string[]>>;
}

/** The digest of everything outside `cell` (its descendants and their processes count as inside). */
export function digestOutside(k: Kernel, cell: Cell): Digest {
  const outside = (c: Cell): boolean => !cell.contains(c);
  const parts: Record<DigestPart, string[]> = {
    files: files(k, cell),
    mounts: mounts(k, cell),
    processes: processes(k, outside),
    cells: cells(k, outside),
    ipc: ipc(k, outside),
    net: net(k, cell, outside),
    partitions: partitions(k, cell, outside),
    clock: [`clockBase ${k.clockBase}`],
  };
  for (const lines of Object.values(parts)) lines.sort();
  const h = createHash('sha256');
  for (const [name, lines] of Object.entries(parts)) h.update(`[${name}]\n${lines.join('\n')}\n`);
  return { hash: h.digest('hex'), parts };
}

/** The lines that differ between two digests, each prefixed with its part and - or +. */
export function diffDigests(before: Digest, after: Digest): string[] {
  const out: string[] = [];
  for (const name of Object.keys(before.parts) as DigestPart[]) {
    const a = new Set(before.parts[name]);
    const b = new Set(after.parts[name]);
    for (const line of a) if (!b.has(line)) out.push(`${name} - ${line}`);
    for (const line of b) if (!a.has(line)) out.push(`${name} + ${line}`);
  }
  return out;
}

function sha(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 16);
}

// ---- files ---------------------------------------------------------------------------------

function files(k: Kernel, cell: Cell): string[] {
  const out: string[] = [];
  const covered = k.hostCell.ns.mnt.covered;
  const skip = cell.parent === null ? null : cell.root;
  const visit = (loc: Loc, path: string): void => {
    if (skip !== null && loc.mnt === skip.mnt && loc.link === skip.link) {
      out.push(`${path} (the cell's root)`);
      return;
    }
    if (GENERATED.has(loc.mnt.fs.type)) {
      out.push(`${path} (${loc.mnt.fs.type})`);
      return;
    }
    const node = loc.link.getNode();
    const kind = node.isDirectory() ? 'd' : node.isSymlink() ? 'l' : node.isFile() ? 'f' : 'c';
    let line = `${path} ${kind} ino=${node.ino} mode=${node.mode.toString(8)} uid=${node.uid} gid=${node.gid} nlink=${node.nlink}`;
    if (kind === 'l') line += ` -> ${node.symlink}`;
    else if (kind === 'f' && loc.mnt.fs.hooks?.has(node) !== true) line += ` size=${node.getSize()} sha=${sha(node.getBuffer())}`;
    else if (kind === 'c') line += ` rdev=${node.rdev}`;
    out.push(line);
    if (kind !== 'd') return;
    const names = [...loc.link.children.keys()].filter((n) => n !== '.' && n !== '..').sort();
    for (const name of names) {
      let child = loc.link.children.get(name);
      if (child === undefined) continue;
      let mnt = loc.mnt;
      for (let over = covered.get(child); over !== undefined && over.parent === mnt; over = covered.get(child)) {
        mnt = over;
        child = over.root;
      }
      visit({ mnt, link: child }, path === '/' ? `/${name}` : `${path}/${name}`);
    }
  };
  visit(k.hostCell.root, '/');
  return out;
}

function mounts(k: Kernel, cell: Cell): string[] {
  const out: string[] = [];
  for (const m of k.hostCell.ns.mnt.mounts) {
    const at = mountpointOf(m);
    if (at !== null && cell.parent !== null && isBelow(at, cell.root)) continue;
    out.push(`${m.fs.type} ${m.source} on ${at === null ? '/' : (pathFrom(k.hostCell.root, at) ?? '?')}`);
  }
  return out;
}

function mountpointOf(m: Mount): Loc | null {
  return m.parent === null || m.mountpoint === null ? null : { mnt: m.parent, link: m.mountpoint };
}

// ---- processes, cells ----------------------------------------------------------------------

function processes(k: Kernel, outside: (c: Cell) => boolean): string[] {
  const root = k.hostCell.root;
  const out: string[] = [];
  for (const p of k.procs.values()) {
    if (!outside(p.cell)) continue;
    const kids = [...p.children].filter((c) => outside(c.cell)).map((c) => c.pid).sort((a, b) => a - b);
    const zombies = [...p.zombies].filter((c) => outside(c.cell)).map((c) => c.pid).sort((a, b) => a - b);
    out.push(
      [
        `pid=${p.pid}`,
        `ppid=${p.parent?.pid ?? 0}`,
        `cell=${p.cell.name}`,
        `state=${p.state}${p.stopped ? '+stopped' : ''}`,
        `cred=${p.cred.uid}:${p.cred.gid}:${p.cred.groups.join(',')}`,
        `comm=${p.comm}`,
        `argv=${JSON.stringify(p.argv)}`,
        `root=${pathFrom(root, p.root) ?? '?'}`,
        `cwd=${pathFrom(root, p.cwd) ?? '?'}`,
        `fds=${fdSummary(p)}`,
        `memory=${p.memory.bytes}`,
        `children=${kids.join(',')}`,
        `zombies=${zombies.join(',')}`,
        `exit=${JSON.stringify(p.exitStatus ?? null)}`,
      ].join(' '),
    );
  }
  return out;
}

function fdSummary(p: Process): string {
  return p.fds.map((entry, fd) => (entry === undefined ? '' : `${fd}:${entry.file.constructor.name}${entry.cloexec ? '+cloexec' : ''}`)).filter(Boolean).join(',');
}

function cells(k: Kernel, outside: (c: Cell) => boolean): string[] {
  const out: string[] = [];
  for (const c of k.cells.values()) {
    if (!outside(c)) continue;
    const kids = [...c.children].map((x) => x.id).sort((a, b) => a - b);
    out.push(
      [
        `cell=${c.name}`,
        `id=${c.id}`,
        `state=${c.state}`,
        `hostname=${JSON.stringify(c.ns.uts.hostname)}`,
        `domain=${JSON.stringify(c.ns.uts.domainname)}`,
        `privileges=${[...c.policy.granted].sort().join(',')}`,
        `limits=${JSON.stringify(c.limits)}`,
        `persist=${c.persist}`,
        `children=${kids.join(',')}`,
        `cpu=${c.cpu.shares}/${c.cpu.cap}`,
      ].join(' '),
    );
  }
  for (const cell of k.managed.values()) out.push(`managed=${cell.name} state=${cell.state}`);
  return out;
}

// ---- SysV IPC ------------------------------------------------------------------------------

function ipc(k: Kernel, outside: (c: Cell) => boolean): string[] {
  const seen = new Set<IpcNamespace>();
  const out: string[] = [];
  for (const c of k.cells.values()) {
    const ns = c.ns.ipc;
    // A namespace the cell itself uses is inside it, unless an outside cell shares it.
    if (ns === null || seen.has(ns) || !outside(c)) continue;
    seen.add(ns);
    for (const q of ns.msg.all()) {
      const { ctime: _c, stime: _s, rtime: _r, ...info } = q.info();
      const first = q.find(0);
      out.push(`ns=${ns.id} ${JSON.stringify(info)} first=${first === undefined ? '-' : `${first.type}:${sha(first.data)}`}`);
    }
    for (const s of ns.shm.all()) {
      const { ctime: _c, atime: _a, dtime: _d, ...info } = s.info();
      out.push(`ns=${ns.id} ${JSON.stringify(info)} sha=${sha(s.bytes)}`);
    }
  }
  return out;
}

// ---- network -------------------------------------------------------------------------------

function net(k: Kernel, cell: Cell, outside: (c: Cell) => boolean): string[] {
  const out: string[] = [];
  const stacks = new Set<NetStack>([k.net.host]);
  for (const c of k.cells.values()) {
    const view = c.ns.net;
    // A vnet cell's own stack is inside it; a shared stack is outside whoever uses it.
    if (view !== null && (outside(c) || !view.ownsStack)) stacks.add(view.stack);
  }
  for (const stack of stacks) {
    for (const iface of stack.ifaces.values()) {
      const addrs = iface.addresses.map((a) => `${formatIp(a.address)}/${a.prefix}${a.owner === 0 || outside(k.cells.get(a.owner) ?? cell) ? '' : '(cell)'}`);
      out.push(`${stack.name} if ${iface.name} up=${iface.up} mtu=${iface.mtu} mac=${iface.mac} port=${iface.port?.sw.name ?? '-'} ${addrs.join(' ')}`);
    }
    for (const r of stack.staticRoutes) out.push(`${stack.name} route ${formatIp(r.address)}/${r.prefix} via ${r.gateway === null ? '-' : formatIp(r.gateway)} ${r.iface.name}`);
    for (const s of stack.sockets) {
      const owner = socketOwner(k, s.charged, s.view);
      if (owner !== undefined && !outside(owner)) continue;
      out.push(`${stack.name} socket ino=${s.ino} owner=${owner?.name ?? '?'} ${JSON.stringify(s.info(k.init))}`);
    }
  }
  for (const s of k.net.unixSockets) {
    if (!outside(s.cell)) continue;
    out.push(`unix socket ino=${s.ino} owner=${s.cell.name} ${JSON.stringify(s.info(k.init))}`);
  }
  for (const sw of k.net.switches.values()) out.push(`switch ${sw.name} ports=${sw.ports.size}`);
  return out;
}

/** The cell a socket belongs to: the one charged for it, else the one its view was made for. */
function socketOwner(k: Kernel, charged: Partition | null, view: NetView): Cell | undefined {
  if (charged !== null) for (const c of k.cells.values()) if (c.partition === charged) return c;
  return k.cells.get(view.cellId);
}

// ---- resources -----------------------------------------------------------------------------

function partitions(k: Kernel, cell: Cell, outside: (c: Cell) => boolean): string[] {
  const out: string[] = [];
  const inner = cell.partition.snapshot();
  for (const c of k.cells.values()) {
    if (!outside(c)) continue;
    const ancestor = c.contains(cell);
    const snap = c.partition.snapshot();
    const fields: string[] = [];
    for (const [name, u] of Object.entries(snap) as [keyof typeof snap, (typeof snap)[keyof typeof snap]][]) {
      // An ancestor's usage includes the cell's own: what is outside is the difference. Its peak
      // and failure count move with the cell's charges by design (hierarchical limits).
      if (ancestor) fields.push(`${name}=${u.usage - inner[name].usage}/${u.barrier}/${u.limit}`);
      else fields.push(`${name}=${u.usage}/${u.peak}/${u.barrier}/${u.limit}/${u.failcnt}`);
    }
    out.push(`cell=${c.name} ${fields.join(' ')}`);
  }
  return out;
}
