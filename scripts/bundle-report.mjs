#!/usr/bin/env node
/**
 * Where the bytes of a browser bundle go, module by module (issue 11):
 *
 *   node scripts/bundle-report.mjs [ws|index] [--with-xstate]
 *
 * Builds the bundle with the very setup `npm run build` uses (scripts/browser-bundles.mjs) and
 * prints, per source module, its minified bytes and its share of the gzip -9 size. A module's
 * share is what it adds to the gzip size of everything before it in the bundle (esbuild keeps a
 * `// path` line before each module when whitespace is not minified; each module is then
 * whitespace-minified on its own), so the shares add up to within ~1 % of the real size, which
 * is printed last. Repeated text compresses against what came before: a share is the module's
 * cost in this bundle, not on its own. `-without` is what the gzip size of the whole drops by when
 * the module's text is left out of it (its saving if nothing else changed).
 */
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';
import {
  BROWSER_BUILD,
  BROWSER_ENTRIES,
  measureBundle,
  PEERS,
  ROOT,
  withOneXstateImport,
} from './browser-bundles.mjs';

const name = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'ws';
const withXstate = process.argv.includes('--with-xstate');
const entry = BROWSER_ENTRIES[name];
if (!entry) {
  console.error(
    `usage: node scripts/bundle-report.mjs [${Object.keys(BROWSER_ENTRIES).join('|')}] [--with-xstate]`,
  );
  process.exit(2);
}

const out = await build(
  await withOneXstateImport({
    ...BROWSER_BUILD,
    entryPoints: [entry],
    external: withXstate ? PEERS.filter((peer) => peer !== 'xstate') : PEERS,
    minifySyntax: true,
    minifyIdentifiers: true,
    write: false,
  }),
);
const parts = out.outputFiles[0].text.split(/^\/\/ (\S+)$/m);
/** Module path → its whitespace-minified code (a module may appear in more than one piece). */
const modules = [['(imports)', parts[0]]];
for (let i = 1; i < parts.length; i += 2) modules.push([parts[i], parts[i + 1]]);
// The bundle's closing `export { … }` is no module's: its own row.
const last = modules[modules.length - 1];
const exportsAt = last[1].search(/^export\s*\{/m);
if (exportsAt >= 0) {
  modules.push(['(exports)', last[1].slice(exportsAt)]);
  last[1] = last[1].slice(0, exportsAt);
}

const gzip = (text) => gzipSync(Buffer.from(text), { level: 9 }).byteLength;
const shares = new Map();
let before = '';
let previous = 0;
/** Each piece whitespace-minified, in bundle order. */
const pieces = [];
for (const [file, code] of modules) {
  const minified = await transform(code, { minifyWhitespace: true, loader: 'js' }).then(
    (result) => result.code,
    () => code, // a piece that is not a program on its own (the closing `export {…}`): as is
  );
  pieces.push([file, minified]);
}
const whole = gzip(pieces.map(([, code]) => code).join(''));
/** What the gzip size drops by when a module's text is left out of the whole (its pieces). */
const saved = (file) =>
  whole -
  gzip(
    pieces
      .filter(([other]) => other !== file)
      .map(([, code]) => code)
      .join(''),
  );
for (const [file, minified] of pieces) {
  before += minified;
  const now = gzip(before);
  const row = shares.get(file) ?? { minified: 0, gzip: 0, without: saved(file) };
  row.minified += minified.length;
  row.gzip += now - previous;
  shares.set(file, row);
  previous = now;
}

const real = await measureBundle(entry, { withXstate });
const kib = (bytes) => `${(bytes / 1024).toFixed(2)} KiB`;
console.log(`${path.relative(ROOT, entry)}${withXstate ? ', xstate bundled' : ', xstate external'}`);
console.log(`${'gzip share'.padStart(10)} ${'-without'.padStart(9)} ${'minified'.padStart(9)}  module`);
for (const [file, row] of [...shares].sort((a, b) => b[1].gzip - a[1].gzip)) {
  if (row.minified === 0) continue;
  console.log(
    `${String(row.gzip).padStart(10)} ${String(row.without).padStart(9)} ${String(row.minified).padStart(9)}  ${file}`,
  );
}
console.log(
  `shares add up to ${previous} B; the bundle: ${real.minified} B minified, ${real.gzipped} B (${kib(real.gzipped)}) gzip -9`,
);
