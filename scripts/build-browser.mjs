#!/usr/bin/env node
/**
 * Builds the browser ESM bundles with esbuild and measures them (part of `npm run build`):
 *
 *   dist/browser/index.js   the "browser" condition of `linkvisor`      (src/browser-entry.ts)
 *   dist/browser/ws.js      the "browser" condition of `linkvisor/ws`   (src/browser-ws-entry.ts)
 *   dist/browser/chunk-*.js the code both share
 *   dist/browser/size.json  minified and gzipped sizes, as the README reports them
 *
 * xstate stays external (a peer dependency: the application's copy is used). Every import of the
 * ws transport resolves to src/browser-default-transport.ts (the native WebSocket), and the build
 * fails if anything else would pull a Node module (`node:*`, `ws`, a Node builtin) into a bundle.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'browser');
const entryPoints = {
  index: path.join(root, 'src', 'browser-entry.ts'),
  ws: path.join(root, 'src', 'browser-ws-entry.ts'),
};
const NODE_ONLY = new Set(['ws', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Swaps the ws transport for the browser stand-in; refuses anything Node-only. */
const browserOnly = {
  name: 'linkvisor-browser-only',
  setup(b) {
    b.onResolve({ filter: /[\\/]transports[\\/]ws-transport(\.js|\.ts)?$/ }, () => ({
      path: path.join(root, 'src', 'browser-default-transport.ts'),
    }));
    b.onResolve({ filter: /.*/ }, (args) => {
      if (!NODE_ONLY.has(args.path)) return undefined;
      return {
        errors: [{ text: `Node-only import '${args.path}' from ${path.relative(root, args.importer)}` }],
      };
    });
  },
};

const common = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  plugins: [browserOnly],
  logLevel: 'warning',
  legalComments: 'none',
};

const result = await build({
  ...common,
  entryPoints,
  outdir,
  external: ['xstate'],
  // Code shared by both entries goes into one chunk: an application importing both loads one
  // runtime, and `linkvisor/ws`'s default export is the very class `linkvisor` exports.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  sourcemap: true,
  metafile: true,
});

// Belt and braces: the bundles import nothing but xstate, and no file of `ws` went in.
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith('.js')) continue;
  const imports = output.imports.filter((i) => i.external).map((i) => i.path);
  const foreign = imports.filter((p) => p !== 'xstate');
  if (foreign.length > 0) throw new Error(`${file} imports ${foreign.join(', ')}`);
}
const inputs = Object.keys(result.metafile.inputs);
const leaked = inputs.filter((p) => /node_modules[\\/]ws[\\/]|ws-transport/.test(p));
if (leaked.length > 0) throw new Error(`Node-only sources in the browser bundle: ${leaked.join(', ')}`);

/** Minified and gzipped size of one entry on its own (shared chunk included), with xstate left
 * out or bundled in. */
async function measure(entry, { withXstate }) {
  const out = await build({
    ...common,
    entryPoints: [entry],
    external: withXstate ? [] : ['xstate'],
    minify: true,
    write: false,
  });
  const code = out.outputFiles[0].contents;
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

const size = {
  'linkvisor (index.js), xstate external': await measure(entryPoints.index, { withXstate: false }),
  'linkvisor/ws (ws.js), xstate external': await measure(entryPoints.ws, { withXstate: false }),
  'linkvisor/ws (ws.js) with xstate bundled': await measure(entryPoints.ws, { withXstate: true }),
};
mkdirSync(outdir, { recursive: true });
writeFileSync(path.join(outdir, 'size.json'), `${JSON.stringify(size, null, 2)}\n`);

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log('browser bundles (esbuild --minify, gzip -9):');
for (const [name, { minified, gzipped }] of Object.entries(size)) {
  console.log(`  ${name.padEnd(44)} ${kb(minified).padStart(10)} min  ${kb(gzipped).padStart(9)} gzip`);
}
