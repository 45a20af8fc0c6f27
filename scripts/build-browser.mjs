#!/usr/bin/env node
/**
 * Builds the browser ESM bundles with esbuild and measures them (part of `npm run build`):
 *
 *   dist/browser/index.js   the "browser" condition of `linkvisor`      (src/entries/browser.ts)
 *   dist/browser/ws.js      the "browser" condition of `linkvisor/ws`   (src/entries/browser-ws.ts)
 *   dist/browser/react.js   the "browser" condition of `linkvisor/react` (src/react/index.ts)
 *   dist/browser/chunk-*.js the code both share
 *   dist/browser/size.json  minified and gzipped sizes, as docs/browser.md reports them
 *
 * xstate and react stay external (peer dependencies: the application's copies are used). Every import of the
 * ws transport resolves to src/transports/browser-default-transport.ts (the native WebSocket), and the build
 * fails if anything else would pull a Node module (`node:*`, `ws`, a Node builtin) into a bundle.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import {
  BROWSER_BUILD,
  BROWSER_ENTRIES,
  measureBundle,
  PEERS,
  ROOT,
  withOneXstateImport,
} from './browser-bundles.mjs';

const root = ROOT;
const outdir = path.join(root, 'dist', 'browser');
const entryPoints = BROWSER_ENTRIES;
const common = BROWSER_BUILD;

const result = await build(
  await withOneXstateImport({
    ...common,
    entryPoints,
    outdir,
    external: PEERS,
    // Code shared by the entries goes into one chunk: an application importing both loads one
    // runtime, and `linkvisor/ws`'s default export is the very class `linkvisor` exports.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    sourcemap: true,
    metafile: true,
  }),
);

// Belt and braces: the bundles import nothing but the peers, and no file of `ws` went in.
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith('.js')) continue;
  const imports = output.imports.filter((i) => i.external).map((i) => i.path);
  const foreign = imports.filter((p) => !PEERS.includes(p));
  if (foreign.length > 0) throw new Error(`${file} imports ${foreign.join(', ')}`);
}
const inputs = Object.keys(result.metafile.inputs);
// The stepper is Node-only too: browser links step with XState's own transition.
const leaked = inputs.filter((p) =>
  /node_modules[\\/]ws[\\/]|ws-transport|stepper[\\/](?!stepped-machine\.browser\.ts$)/.test(p),
);
if (leaked.length > 0) throw new Error(`Node-only sources in the browser bundle: ${leaked.join(', ')}`);

async function measure(entry, options) {
  const { minified, gzipped } = await measureBundle(entry, options);
  return { minified, gzipped };
}

const size = {
  'linkvisor (index.js), xstate external': await measure(entryPoints.index, { withXstate: false }),
  'linkvisor/ws (ws.js), xstate external': await measure(entryPoints.ws, { withXstate: false }),
  'linkvisor/ws (ws.js) with xstate bundled': await measure(entryPoints.ws, { withXstate: true }),
  'linkvisor/react (react.js), xstate and react external': await measure(entryPoints.react, {
    withXstate: false,
  }),
};
mkdirSync(outdir, { recursive: true });
writeFileSync(path.join(outdir, 'size.json'), `${JSON.stringify(size, null, 2)}\n`);

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log('browser bundles (esbuild --minify, gzip -9):');
for (const [name, { minified, gzipped }] of Object.entries(size)) {
  console.log(`  ${name.padEnd(44)} ${kb(minified).padStart(10)} min  ${kb(gzipped).padStart(9)} gzip`);
}
