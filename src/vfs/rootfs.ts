/**
 * Root filesystem samples: plain directory trees under rootfs-samples/, read from disk once
 * per process and copied into a memfs at boot. Files named `.keep` only hold empty directories
 * in git and are skipped. Everything is owned by root; executables under bin/ and sbin/ get
 * 0755, /tmp gets 1777, /root 0700, and a home directory /home/NAME belongs to the user of
 * that name in the sample's etc/passwd.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S_IFDIR, S_IFREG } from '../kernel/abi.js';
import { stamp, type Link, type MemFs } from './memfs.js';

export const ROOTFS_SAMPLES = fileURLToPath(new URL('../../rootfs-samples/', import.meta.url));
export const DEFAULT_ROOTFS = 'minimal';

interface Entry {
  readonly path: string[];
  readonly dir: boolean;
  readonly data: Buffer;
}

const cache = new Map<string, readonly Entry[]>();

function readTree(dir: string): readonly Entry[] {
  const cached = cache.get(dir);
  if (cached !== undefined) return cached;
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`rootfs: ${dir} is not a directory`);
  const entries: Entry[] = [];
  const walk = (rel: string[]): void => {
    for (const name of readdirSync(join(dir, ...rel)).sort()) {
      if (name === '.keep') continue;
      const path = [...rel, name];
      const st = statSync(join(dir, ...path));
      if (st.isDirectory()) {
        entries.push({ path, dir: true, data: Buffer.alloc(0) });
        walk(path);
      } else entries.push({ path, dir: false, data: readFileSync(join(dir, ...path)) });
    }
  };
  walk([]);
  cache.set(dir, entries);
  return entries;
}

/** Resolves a sample name ("minimal") or a directory path to the directory to load. */
export function rootfsDir(nameOrPath: string): string {
  return nameOrPath.includes('/') ? nameOrPath : join(ROOTFS_SAMPLES, nameOrPath);
}

/**
 * Copies a sample tree into `dir` of `fs`, merging with what is there (existing files are
 * overwritten). Directories in `leaveEmpty` (relative paths such as "bin" or "usr/share") are
 * made but not filled: something else will be mounted there.
 */
export function loadRootfs(fs: MemFs, dir: Link, source: string, now: number, leaveEmpty: readonly string[] = []): void {
  const entries = readTree(rootfsDir(source));
  const owners = homeOwners(entries);
  const links = new Map<string, Link>([['', dir]]);
  for (const entry of entries) {
    const parent = links.get(entry.path.slice(0, -1).join('/'));
    if (parent === undefined || leaveEmpty.includes(entry.path.slice(0, -1).join('/'))) continue; // below a directory left empty
    const name = entry.path[entry.path.length - 1]!;
    const key = entry.path.join('/');
    const owner = owners.get(key) ?? [0, 0];
    const existing = parent.children.get(name);
    const reusable = existing !== undefined && existing.getNode().isDirectory() === entry.dir && !existing.getNode().isSymlink();
    if (existing !== undefined && !reusable) fs.removeLink(existing, now);
    const link = reusable ? existing : fs.create(parent, name, (entry.dir ? S_IFDIR : S_IFREG) | modeFor(entry), owner[0], owner[1], now);
    if (!entry.dir) {
      link.getNode().setBuffer(Buffer.from(entry.data));
      stamp(link.getNode(), now);
    }
    links.set(key, link);
  }
}

function modeFor(entry: Entry): number {
  const [top, second] = entry.path;
  if (entry.dir) {
    if (entry.path.length === 1 && top === 'tmp') return 0o1777;
    if (entry.path.length === 1 && top === 'root') return 0o700;
    return 0o755;
  }
  const executable = top === 'bin' || top === 'sbin' || (top === 'usr' && (second === 'bin' || second === 'sbin'));
  return executable ? 0o755 : 0o644;
}

/** home/NAME → [uid, gid] of NAME in etc/passwd. */
function homeOwners(entries: readonly Entry[]): Map<string, [number, number]> {
  const owners = new Map<string, [number, number]>();
  const passwd = entries.find((e) => e.path.join('/') === 'etc/passwd');
  if (passwd === undefined) return owners;
  for (const line of passwd.data.toString('utf8').split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name === undefined || uid === undefined || gid === undefined) continue;
    owners.set(`home/${name}`, [Number(uid), Number(gid)]);
  }
  return owners;
}
