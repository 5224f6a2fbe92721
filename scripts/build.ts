/**
 * `npm run build [DIR]`: the sources compiled to plain JavaScript in DIR (default build/), so
 * `node build/cmd/cellblock.js` starts without tsx (about 0.4 s a command instead of 1.1 s: tsx's
 * loader thread and esbuild service cost most of a short command). No type check (`npm run
 * typecheck` does that); each file is transpiled on its own, as tsx does.
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
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SOURCE_DIRS = ['src', 'cmd'];
const LINKED = ['specs', 'rootfs-samples', 'node_modules', 'package.json'];
const ENTRY_IMPORT = /await import\('(\.\/[\w./-]+)\.ts'\);/;

const COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2023,
  verbatimModuleSyntax: true,
  sourceMap: false,
};

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesBelow(path) : [path];
  });
}

/** The built text of one source file, or null for a file that is not code. */
function compile(path: string): string | null {
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('.ts') && !path.endsWith('.d.ts')) return ts.transpileModule(text, { compilerOptions: COMPILER_OPTIONS, fileName: path }).outputText;
  if (!path.endsWith('.js')) return null;
  const target = ENTRY_IMPORT.exec(text)?.[1];
  if (target === undefined) throw new Error(`${relative(ROOT, path)}: a .js entry must import one .ts module as await import('./NAME.ts')`);
  const shebang = text.startsWith('#!') ? `${text.slice(0, text.indexOf('\n'))}\n` : '';
  return `${shebang}// Built from ${relative(ROOT, path)} by scripts/build.ts.\nawait import('${target}.js');\n`;
}

/** Compiles src/ and cmd/ into `outDir` (emptied first) and links the package's data beside them. */
export function build(outDir: string): void {
  const out = resolve(outDir);
  rmSync(out, { recursive: true, force: true });
  for (const dir of SOURCE_DIRS) {
    for (const path of filesBelow(join(ROOT, dir))) {
      const built = compile(path);
      if (built === null) continue;
      const target = join(out, relative(ROOT, path)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, built);
    }
  }
  for (const name of LINKED) symlinkSync(join(ROOT, name), join(out, name));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2] ?? join(ROOT, 'build');
  build(outDir);
  console.log(`built ${relative(process.cwd(), outDir) || '.'}: node ${join(relative(process.cwd(), outDir), 'cmd', 'cellblock.js')} runs the CLI`);
}
