/**
 * `npm run build [DIR]`: the sources compiled to plain JavaScript in DIR (default build/), so
 * `node build/cmd/cellblock.js` starts without tsx (about 0.4 s a command instead of 1.1 s: tsx's
 * loader thread and esbuild service cost most of a short command). No type check (`npm run
 * typecheck` does that): esbuild transpiles each file on its own, as it does under tsx, so the
 * build behaves as the sources do (half a second for the whole tree).
 *
 * The tree keeps the sources' layout, and DIR holds links to the package's specs/,
 * rootfs-samples/, node_modules/ and package.json, so paths the code finds relative to its own
 * module (schemas, rootfs samples, the check worker's entry) resolve as they do in the sources.
 * A `.js` file in src/ or cmd/ is an entry that registers tsx and imports one `.ts` module;
 * its built copy imports that module's JavaScript instead.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SOURCE_DIRS = ['src', 'cmd'];
const LINKED = ['specs', 'rootfs-samples', 'node_modules', 'package.json'];
const ENTRY_IMPORT = /await import\('(\.\/[\w./-]+)\.ts'\);/;

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesBelow(path) : [path];
  });
}

/** The built copy of a tsx entry (a `.js` file): it imports its module's JavaScript. */
function builtEntry(path: string): string {
  const text = readFileSync(path, 'utf8');
  const target = ENTRY_IMPORT.exec(text)?.[1];
  if (target === undefined) throw new Error(`${relative(ROOT, path)}: a .js entry must import one .ts module as await import('./NAME.ts')`);
  const shebang = text.startsWith('#!') ? `${text.slice(0, text.indexOf('\n'))}\n` : '';
  return `${shebang}// Built from ${relative(ROOT, path)} by scripts/build.ts.\nawait import('${target}.js');\n`;
}

/** Compiles src/ and cmd/ into `outDir` (emptied first) and links the package's data beside them. */
export function build(outDir: string): void {
  const out = resolve(outDir);
  rmSync(out, { recursive: true, force: true });
  const files = SOURCE_DIRS.flatMap((dir) => filesBelow(join(ROOT, dir)));
  const modules = files.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'));
  buildSync({ entryPoints: modules, outdir: out, outbase: ROOT, format: 'esm', platform: 'node', target: 'node20', logLevel: 'error' });
  for (const path of files.filter((file) => file.endsWith('.js'))) {
    const target = join(out, relative(ROOT, path));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, builtEntry(path));
  }
  for (const name of LINKED) symlinkSync(join(ROOT, name), join(out, name));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2] ?? join(ROOT, 'build');
  build(outDir);
  console.log(`built ${relative(process.cwd(), outDir) || '.'}: node ${join(relative(process.cwd(), outDir), 'cmd', 'cellblock.js')} runs the CLI`);
}
