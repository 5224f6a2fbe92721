/** A recursive listing of a MemFs with every stat field, in readdir order, for comparing trees. */
import { createHash } from 'node:crypto';
import type { Link, MemFs } from '../../src/vfs/memfs.js';
import { statNode } from '../../src/vfs/stat.js';

export function listing(fs: MemFs): string[] {
  const lines: string[] = [];
  const walk = (dir: Link, path: string): void => {
    for (const [name, child] of dir.children) {
      if (name === '.' || name === '..' || child === undefined) continue;
      const node = child.getNode();
      const { dev: _dev, ...st } = statNode(fs.dev, node);
      const content = node.isSymlink() ? `-> ${node.symlink}` : node.isDirectory() ? '' : createHash('sha1').update(node.buf.subarray(0, node.getSize())).digest('hex');
      lines.push(`${path}/${name} ${JSON.stringify(st)} ${content}`);
      if (node.isDirectory()) walk(child, `${path}/${name}`);
    }
  };
  const { dev: _dev, ...rootStat } = statNode(fs.dev, fs.root.getNode());
  lines.push(`/ ${JSON.stringify(rootStat)}`);
  walk(fs.root, '');
  return lines;
}
