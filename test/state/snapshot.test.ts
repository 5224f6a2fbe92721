/**
 * Filesystem snapshots: a tree built through the kernel survives snapshot + restore with every
 * stat field, in readdir order; random trees round-trip byte for byte; damage is detected.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { O_CREAT, O_WRONLY, S_IFDIR, S_IFREG, type Sys } from '../../src/index.js';
import { MemFs, type Link } from '../../src/vfs/memfs.js';
import { restoreFs, snapshotFs, SnapshotError, SNAPSHOT_VERSION } from '../../src/vfs/snapshot.js';
import { boot, probe } from '../kernel/helpers.js';
import { listing } from './listing.js';

async function writeFile(sys: Sys, path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const fd = await sys.open(path, O_WRONLY | O_CREAT, mode);
  await sys.write(fd, data);
  await sys.close(fd);
}

/** Dirs, files (text and binary), symlinks, hard links, odd modes and owners, renames, removals. */
async function buildTree(sys: Sys): Promise<void> {
  await sys.mkdir('/srv', 0o755);
  await sys.mkdir('/srv/data', 0o750);
  await sys.mkdir('/srv/shared', 0o777);
  await sys.chmod('/srv/shared', 0o1777);
  await writeFile(sys, '/srv/data/hello.txt', 'hello world\n');
  await sys.sleep(7);
  await writeFile(sys, '/srv/data/blob.bin', new Uint8Array([0, 255, 1, 254, 10, 13, 0]));
  await writeFile(sys, '/srv/data/empty', '');
  await writeFile(sys, '/srv/suid', '#!builtin true\n', 0o755);
  await sys.chmod('/srv/suid', 0o4755);
  await sys.chmod('/srv/data/empty', 0o2640);
  await sys.chown('/srv/data/hello.txt', 1001, 20);
  await sys.chown('/srv/data', 1001, 1001);
  await sys.symlink('data/hello.txt', '/srv/link');
  await sys.symlink('/nowhere/at/all', '/srv/dangling');
  await sys.link('/srv/data/hello.txt', '/srv/hard1');
  await sys.link('/srv/data/hello.txt', '/srv/shared/hard2');
  await sys.link('/srv/data/blob.bin', '/srv/gone');
  await sys.sleep(13);
  await sys.unlink('/srv/gone');
  await sys.rename('/srv/data/empty', '/srv/data/zz-renamed'); // readdir order changes
  await writeFile(sys, '/tmp/a', 'a');
  await sys.unlink('/tmp/a'); // frees an inode: the allocator's free list is state too
}

describe('filesystem snapshots', () => {
  it('restores a tree built through the kernel with every stat field and content', async () => {
    const k = await boot();
    expect(await probe(k, async (sys) => buildTree(sys))).toBe(0);
    const fs = k.hostCell.root.mnt.fs;
    const snap = snapshotFs(fs);
    const copy = new MemFs('memfs', fs.dev);
    restoreFs(snap, copy);
    expect(listing(copy)).toEqual(listing(fs));
    // The comparison above covers these; check the tree really has them, so it bites.
    const lines = listing(copy).join('\n');
    expect(lines).toMatch(/^\/srv\/suid \{[^}]*"mode":35309/m); // S_IFREG | 04755
    expect(lines).toMatch(/^\/srv\/shared \{[^}]*"mode":17407/m); // S_IFDIR | 01777
    expect(lines).toMatch(/^\/srv\/link .* -> data\/hello\.txt$/m);
    const srv = copy.root.children.get('srv')!;
    const hello = srv.children.get('data')!.children.get('hello.txt')!.getNode();
    expect(srv.children.get('hard1')!.getNode()).toBe(hello);
    expect(srv.children.get('shared')!.children.get('hard2')!.getNode()).toBe(hello);
    expect([hello.nlink, hello.uid, hello.gid, hello.getString()]).toEqual([3, 1001, 20, 'hello world\n']);
    expect(srv.children.get('data')!.children.get('blob.bin')!.getNode().nlink).toBe(1);
    expect([...srv.children.get('data')!.children.keys()].slice(2)).toEqual(['hello.txt', 'blob.bin', 'zz-renamed']);
    // Same bytes again, and the next inode is the one the original would hand out.
    expect(snapshotFs(copy).equals(snap)).toBe(true);
    expect(copy.create(copy.root, 'new', S_IFREG, 0, 0, 0).getNode().ino).toBe(fs.create(fs.root, 'new', S_IFREG, 0, 0, 0).getNode().ino);
  });

  it('gives the same bytes for the same run: every time in it is virtual', async () => {
    const snaps: Buffer[] = [];
    for (const _ of [1, 2]) {
      const k = await boot();
      await probe(k, async (sys) => buildTree(sys));
      const fs = k.hostCell.root.mnt.fs;
      // A real-clock stamp (ms since 1970) would make two runs differ by chance; catch it surely.
      const late = listing(fs).filter((line) => /"(mtimeMs|ctimeMs)":\d{7,}/.test(line));
      expect(late).toEqual([]);
      snaps.push(snapshotFs(fs));
    }
    expect(snaps[0]!.equals(snaps[1]!)).toBe(true);
  });

  it('round-trips random trees', () => {
    fc.assert(fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
      const fs = randomTree(ops);
      const snap = snapshotFs(fs);
      const copy = new MemFs('memfs', fs.dev);
      restoreFs(snap, copy);
      expect(listing(copy)).toEqual(listing(fs));
      expect(snapshotFs(copy).equals(snap)).toBe(true);
      expect(copy.create(copy.root, 'next', S_IFREG, 0, 0, 0).getNode().ino).toBe(fs.create(fs.root, 'next', S_IFREG, 0, 0, 0).getNode().ino);
    }), { numRuns: 200 });
  });

  it('rejects any damaged byte or truncation and leaves the target untouched', async () => {
    const k = await boot();
    await probe(k, async (sys) => buildTree(sys));
    const snap = snapshotFs(k.hostCell.root.mnt.fs);
    fc.assert(fc.property(fc.nat(snap.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
      const bad = Buffer.from(snap);
      bad[at] = bad[at]! ^ xor;
      const target = new MemFs('memfs', 9);
      expect(() => restoreFs(bad, target)).toThrow(SnapshotError);
      expect(listing(target)).toEqual(listing(new MemFs('memfs', 9)));
    }), { numRuns: 300 });
    for (const length of [0, 3, 11, 100, snap.length - 1]) expect(() => restoreFs(snap.subarray(0, length), new MemFs('memfs', 9))).toThrow(SnapshotError);
  });

  it('names a newer format version and refuses a non-empty target', () => {
    const snap = snapshotFs(new MemFs('memfs', 1));
    const future = Buffer.from(snap);
    future.writeUInt32BE(SNAPSHOT_VERSION + 6, 4);
    expect(() => restoreFs(future, new MemFs('memfs', 1))).toThrow(`snapshot format version ${SNAPSHOT_VERSION + 6} is newer than this cellblock supports (${SNAPSHOT_VERSION})`);
    expect(() => restoreFs(Buffer.from('{"format":"something else"}'), new MemFs('memfs', 1))).toThrow('not a cellblock filesystem snapshot');
    const busy = new MemFs('memfs', 1);
    busy.create(busy.root, 'x', S_IFDIR | 0o755, 0, 0, 0);
    expect(() => restoreFs(snap, busy)).toThrow('not empty');
  });
});

/** Tree operations on a MemFs, with indices picked modulo what exists when they run. */
type Op =
  | { op: 'mkdir' | 'file' | 'symlink'; dir: number; name: string; mode: number; owner: number; t: number; text: string }
  | { op: 'link'; dir: number; name: string; target: number; t: number }
  | { op: 'remove' | 'chmod'; target: number; mode: number; t: number }
  | { op: 'move'; target: number; dir: number; name: string; t: number };

const nameArb = fc.constantFrom('a', 'b', 'c', 'dir', 'x.txt', 'ünï', 'sp ace', '.hidden');
const idx = fc.nat(1000);
const t = fc.nat(1_000_000);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom('mkdir' as const, 'file' as const, 'symlink' as const), dir: idx, name: nameArb, mode: fc.nat(0o7777), owner: fc.nat(70000), t, text: fc.string({ maxLength: 40 }) }),
  fc.record({ op: fc.constant('link' as const), dir: idx, name: nameArb, target: idx, t }),
  fc.record({ op: fc.constantFrom('remove' as const, 'chmod' as const), target: idx, mode: fc.nat(0o7777), t }),
  fc.record({ op: fc.constant('move' as const), target: idx, dir: idx, name: nameArb, t }),
);

function randomTree(ops: readonly Op[]): MemFs {
  const fs = new MemFs('memfs', 3);
  const all = (): { dirs: Link[]; others: Link[] } => {
    const dirs = [fs.root];
    const others: Link[] = [];
    for (let i = 0; i < dirs.length; i++) {
      for (const [name, child] of dirs[i]!.children) {
        if (name === '.' || name === '..' || child === undefined) continue;
        (child.getNode().isDirectory() ? dirs : others).push(child);
      }
    }
    return { dirs, others };
  };
  for (const o of ops) {
    const { dirs, others } = all();
    const dir = 'dir' in o ? dirs[o.dir % dirs.length]! : fs.root;
    if ('name' in o && dir.children.has(o.name)) continue;
    const nonRoot = [...dirs.slice(1), ...others];
    switch (o.op) {
      case 'mkdir':
      case 'file': {
        const node = fs.create(dir, o.name, (o.op === 'mkdir' ? S_IFDIR : S_IFREG) | o.mode, o.owner, o.owner % 7, o.t).getNode();
        if (o.op === 'file') node.setBuffer(Buffer.from(o.text));
        break;
      }
      case 'symlink':
        fs.createSymlink(dir, o.name, o.text, o.owner, 0, o.t);
        break;
      case 'link':
        if (others.length > 0) fs.addLink(dir, o.name, others[o.target % others.length]!.getNode(), o.t);
        break;
      case 'remove': {
        const victim = nonRoot[o.target % Math.max(1, nonRoot.length)];
        if (victim !== undefined && [...victim.children.keys()].every((n) => n === '.' || n === '..')) fs.removeLink(victim, o.t);
        break;
      }
      case 'chmod': {
        const node = (nonRoot[o.target % Math.max(1, nonRoot.length)] ?? fs.root).getNode();
        node.mode = (node.mode & ~0o7777) | o.mode;
        break;
      }
      case 'move': {
        const moving = nonRoot[o.target % Math.max(1, nonRoot.length)];
        // Not into itself or below it.
        if (moving === undefined || dir.steps.join('/').startsWith(moving.steps.join('/'))) break;
        fs.move(moving, dir, o.name, o.t);
        break;
      }
    }
  }
  return fs;
}
