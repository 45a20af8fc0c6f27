/**
 * The browser bundles' esbuild setup, shared by `npm run build` (scripts/build-browser.mjs) and the
 * size-budget test (test/size/bundle-size.test.ts), so that the test measures exactly what ships.
 * Every import of the ws transport resolves to src/transports/browser-default-transport.ts (the native
 * WebSocket), every import of src/stepper/stepped-machine.ts to its identity twin
 * src/stepper/stepped-machine.browser.ts (browser links step with XState's own transition: few links
 * a page, bytes count), every import of src/runtime/lean-actor.ts to its no-op twin
 * src/runtime/lean-actor.browser.ts (link actors as XState makes them), and anything that would
 * pull a Node module (`node:*`, `ws`, a Node builtin) fails.
 * TypeScript `private` members become `#private` ones where that is provably safe
 * (scripts/private-fields.mjs), so the minifier can shorten them, and fields the constructor always
 * assigns are not defined a first time (scripts/assigned-fields.mjs). Every build adds
 * `withOneXstateImport` (scripts/xstate-import.mjs): one import of xstate a bundle.
 */
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { declareAssignedFields } from './assigned-fields.mjs';
import { withoutDescriptions } from './chart-descriptions.mjs';
import { privateToHash } from './private-fields.mjs';
import { withOneXstateImport } from './xstate-import.mjs';

export { withOneXstateImport };

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The browser entries, by output name. */
export const BROWSER_ENTRIES = {
  index: path.join(ROOT, 'src', 'entries', 'browser.ts'),
  ws: path.join(ROOT, 'src', 'entries', 'browser-ws.ts'),
  react: path.join(ROOT, 'src', 'react', 'index.ts'),
};

/** Peer dependencies: the application's copies are used, never bundled. */
export const PEERS = ['xstate', 'react'];

const NODE_ONLY = new Set(['ws', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Swaps the ws transport for the browser stand-in; refuses anything Node-only. */
const browserOnly = {
  name: 'linkvisor-browser-only',
  setup(b) {
    b.onResolve({ filter: /[\\/]transports[\\/]ws-transport(\.js|\.ts)?$/ }, () => ({
      path: path.join(ROOT, 'src', 'transports', 'browser-default-transport.ts'),
    }));
    // The stepper stays Node-only (src/stepper/stepped-machine.browser.ts): browser links step with
    // XState's own transition (few links a page; the bundle's bytes count).
    b.onResolve({ filter: /[\\/]stepper[\\/]stepped-machine(\.js|\.ts)?$/ }, () => ({
      path: path.join(ROOT, 'src', 'stepper', 'stepped-machine.browser.ts'),
    }));
    // Lean link actors stay Node-only (src/runtime/lean-actor.browser.ts changes nothing): few
    // links a page, the bundle's bytes count.
    // (link-starter imports it as './lean-actor.js': no `runtime/` in the path; the name is ours alone.)
    b.onResolve({ filter: /[\\/]lean-actor(\.js|\.ts)?$/ }, () => ({
      path: path.join(ROOT, 'src', 'runtime', 'lean-actor.browser.ts'),
    }));
    // The Node flavour of the drop-in (linkvisor/react's useWebSocket imports it) → the browser's.
    b.onResolve({ filter: /[\\/]entries[\\/]ws(\.js|\.ts)?$/ }, () => ({ path: BROWSER_ENTRIES.ws }));
    b.onResolve({ filter: /.*/ }, (args) => {
      if (!NODE_ONLY.has(args.path)) return undefined;
      return {
        errors: [{ text: `Node-only import '${args.path}' from ${path.relative(ROOT, args.importer)}` }],
      };
    });
  },
};

/** Every .ts source of the bundle through privateToHash, then declareAssignedFields, then (the
 * charts) withoutDescriptions. */
const sourceRewrites = {
  name: 'linkvisor-source-rewrites',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes('node_modules')) return undefined;
      const source = await readFile(args.path, 'utf8');
      const hashed = privateToHash(args.path, source) ?? source;
      const declared = declareAssignedFields(args.path, hashed) ?? hashed;
      const contents = withoutDescriptions(args.path, declared) ?? declared;
      return contents === source ? undefined : { contents, loader: 'ts' };
    });
  },
};

/**
 * Number's constants written as their values (issue 11, BENCHMARKS.md round 34 (bytes)): `1/0` and
 * 16 digits instead of `Number.POSITIVE_INFINITY` / `Number.MAX_SAFE_INTEGER`. The same values by
 * the language's definition (both properties are non-writable and non-configurable, so no code can
 * change them), and esbuild's `define` rewrites only the global `Number`, never a local one.
 */
const NUMBER_CONSTANTS = {
  'Number.POSITIVE_INFINITY': 'Infinity',
  'Number.MAX_SAFE_INTEGER': '9007199254740991',
};

/** esbuild options common to every browser build. */
export const BROWSER_BUILD = {
  bundle: true,
  define: NUMBER_CONSTANTS,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  plugins: [sourceRewrites, browserOnly],
  logLevel: 'warning',
  legalComments: 'none',
};

/**
 * Minified and gzipped size of one bundle on its own (shared chunk included), with xstate left out
 * or bundled in (react always left out), and the source files that went into it. `entry` is a file, or `{ contents }` for
 * an application's import (e.g. `export { ReconnectingWebSocket } from './src/entries/browser.ts'`).
 */
export async function measureBundle(entry, { withXstate }) {
  const input =
    typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.contents, resolveDir: ROOT, loader: 'ts' } };
  const out = await build(
    await withOneXstateImport({
      ...BROWSER_BUILD,
      ...input,
      external: withXstate ? ['react'] : PEERS,
      minify: true,
      write: false,
      metafile: true,
    }),
  );
  const code = out.outputFiles[0].contents;
  const output = Object.values(out.metafile.outputs)[0];
  return {
    minified: code.byteLength,
    gzipped: gzipSync(code, { level: 9 }).byteLength,
    // Source files only: not the module that shares xstate's import (scripts/xstate-import.mjs).
    inputs: Object.keys(output?.inputs ?? {}).filter((input) => !input.startsWith('linkvisor-xstate:')),
    text: out.outputFiles[0].text,
  };
}
