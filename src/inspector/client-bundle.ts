/**
 * The page's script: one file, bundled from ./page/client.ts (the page, plus linkvisor's own
 * browser transport, Link and supervisor, which keep the page connected to the server and
 * reconnect it after a restart). A built package ships it prebuilt next to this module
 * (`client.bundle.js`, written by `npm run build` through scripts/inspector-build.ts); running from
 * source (`npm start`, the tests) it is bundled on first use, in memory, with esbuild (a
 * devDependency), and kept for the life of the process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PREBUILT = new URL('./client.bundle.js', import.meta.url);
const ENTRY = new URL('./page/client.ts', import.meta.url);

let bundle: Promise<string> | null = null;

const BROWSER_TRANSPORT = fileURLToPath(
  new URL('../transports/browser-default-transport.ts', import.meta.url),
);
const BROWSER_LEAN_ACTOR = fileURLToPath(new URL('../runtime/lean-actor.browser.ts', import.meta.url));

/** The page runs in a browser: the supervisor's default ws transport becomes the native
 * WebSocket (as in the package's browser build), so no Node code reaches the bundle; its one
 * link's actor is left as XState makes it (../runtime/lean-actor.browser.ts, as in the package's
 * browser build: the lean actor pays only for many links). */
const browserTransport = {
  name: 'linkvisor-browser-transport',
  setup(build: { onResolve(options: { filter: RegExp }, callback: () => { path: string }): void }) {
    build.onResolve({ filter: /[\\/]transports[\\/]ws-transport(\.js|\.ts)?$/ }, () => ({
      path: BROWSER_TRANSPORT,
    }));
    build.onResolve({ filter: /[\\/]lean-actor(\.js|\.ts)?$/ }, () => ({ path: BROWSER_LEAN_ACTOR }));
  },
};

/** esbuild options of the page bundle (also used by scripts/inspector-build.ts). */
export function bundleOptions(entry: string) {
  return {
    plugins: [browserTransport],
    entryPoints: [entry],
    bundle: true,
    format: 'iife' as const,
    platform: 'browser' as const,
    target: 'es2022',
    minify: true,
    legalComments: 'none' as const,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent' as const,
  };
}

async function build(): Promise<string> {
  if (existsSync(PREBUILT)) return readFileSync(PREBUILT, 'utf8');
  if (!existsSync(ENTRY)) {
    throw new Error('linkvisor inspector: client.bundle.js is missing from this build (run `npm run build`)');
  }
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    throw new Error(
      'linkvisor inspector: no prebuilt client.bundle.js and esbuild is not installed (run `npm run build`)',
      { cause: error },
    );
  }
  const result = await esbuild.build({ ...bundleOptions(fileURLToPath(ENTRY)), write: false });
  const file = result.outputFiles[0];
  if (!file) throw new Error('linkvisor inspector: esbuild produced no output');
  return file.text;
}

/** The page script (prebuilt, or bundled once per process). */
export function loadClientBundle(): Promise<string> {
  bundle ??= build().catch((error) => {
    bundle = null;
    throw error;
  });
  return bundle;
}
