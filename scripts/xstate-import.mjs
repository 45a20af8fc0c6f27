/**
 * One `import { … } from "xstate"` per browser bundle (scripts/browser-bundles.mjs). With xstate
 * external, esbuild keeps one import statement per source module that imports it (13 in
 * `linkvisor`, `createActor` alone 4 times, each under a name of its own); routed through one
 * module that re-exports the functions the bundle's sources import, the bundle has one statement and
 * one name per function: ~140 B of gzip on `linkvisor` and `linkvisor/react` (BENCHMARKS.md,
 * round 15 (bytes)). The bindings are xstate's own, as before (an ES module's imports are live
 * bindings, whichever module names them).
 *
 * The module re-exports the value names the bundle's sources import from xstate (read from the
 * sources a first build lists in its metafile): an import of a name it lacked would fail the
 * build, and esbuild keeps every name of a re-export from an external module, so a name whose
 * every use tree-shaking drops stays named (`raise` in `linkvisor/ws`: ~10 B).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';

const SHARED = 'linkvisor-xstate';

/** The value names a TypeScript source imports from xstate (`import { a, type B } from 'xstate'`). */
function xstateValueImports(fileName, source) {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const names = [];
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || statement.moduleSpecifier.text !== 'xstate') continue;
    const clause = statement.importClause;
    if (!clause || clause.isTypeOnly) continue;
    if (clause.name || (clause.namedBindings && !ts.isNamedImports(clause.namedBindings))) {
      throw new Error(`${fileName}: the browser bundles share named imports of xstate only`);
    }
    for (const element of clause.namedBindings?.elements ?? []) {
      if (!element.isTypeOnly) names.push((element.propertyName ?? element.name).text);
    }
  }
  return names;
}

/**
 * `options` (an esbuild build of the browser bundles) with xstate's imports shared by one module,
 * when xstate is external; as they are otherwise.
 */
export async function withOneXstateImport(options) {
  if (!options.external?.includes('xstate')) return options;
  const probe = await build({ ...options, write: false, minify: false, sourcemap: false, metafile: true });
  const root = options.absWorkingDir ?? process.cwd();
  const names = new Set();
  for (const input of Object.keys(probe.metafile.inputs)) {
    if (input.includes('node_modules') || !/\.tsx?$/.test(input)) continue;
    const file = path.resolve(root, input);
    for (const name of xstateValueImports(file, await readFile(file, 'utf8'))) names.add(name);
  }
  if (names.size === 0) return options;
  const shared = {
    name: 'linkvisor-one-xstate-import',
    setup(b) {
      b.onResolve({ filter: /^xstate$/ }, (args) =>
        args.namespace === SHARED || args.importer.includes('node_modules')
          ? undefined
          : { path: 'xstate', namespace: SHARED },
      );
      b.onLoad({ filter: /.*/, namespace: SHARED }, () => ({
        contents: `export { ${[...names].sort().join(', ')} } from 'xstate';`,
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
  return { ...options, plugins: [shared, ...(options.plugins ?? [])] };
}
