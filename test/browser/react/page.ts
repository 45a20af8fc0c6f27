/**
 * The React test page: test/browser/react/app.tsx bundled in memory by esbuild for the browser,
 * with the package's own browser build setup (scripts/browser-bundles.mjs: native WebSocket, no
 * Node module) and React's development build (NODE_ENV=development: StrictMode's double render
 * and double effects exist only there), served from a loopback HTTP server. The page counts the
 * timers it has pending (setTimeout/setInterval not yet fired or cleared), installed before any
 * module runs, so a test can check that nothing is left.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BROWSER_BUILD } from '../../../scripts/browser-bundles.mjs';
import { startHttpServer } from '../../helpers/servers.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

const TIMERS = `
(() => {
  const live = new Set();
  const { setTimeout: set, clearTimeout: clear, setInterval: every, clearInterval: stop } = window;
  window.setTimeout = (fn, ms, ...args) => {
    const id = set(() => { live.delete(id); if (typeof fn === 'function') fn(...args); }, ms);
    live.add(id);
    return id;
  };
  window.clearTimeout = (id) => { live.delete(id); clear(id); };
  window.setInterval = (fn, ms, ...args) => { const id = every(fn, ms, ...args); live.add(id); return id; };
  window.clearInterval = (id) => { live.delete(id); stop(id); };
  window.liveTimers = () => live.size;
})();`;

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>linkvisor/react</title>
<script>${TIMERS}</script>
<div id="root"></div>
<script type="module" src="/app.js"></script>
`;

export interface ReactPage {
  url: string;
  stop(): Promise<void>;
}

/** The React version the pages are bundled with: `REACT_DIR`'s (test/browser/vitest.config.ts's
 * `react18` project sets it to test/browser/react18's) or the devDependency's. Each page puts
 * `React.version` on `window.reactVersion`; the tests check the two agree, so a project that
 * silently bundled the other React fails. */
export function reactVersion(): string {
  const reactDir = process.env.REACT_DIR;
  const file = reactDir
    ? path.join(reactDir, 'react', 'package.json')
    : createRequire(import.meta.url).resolve('react/package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** `entry`: the page's module in this folder. `REACT_DIR` (a folder holding `react` and
 * `react-dom`, e.g. React 18 installed aside) bundles that React instead of the devDependency's. */
export async function startReactPage(entry = 'app.tsx'): Promise<ReactPage> {
  const reactDir = process.env.REACT_DIR;
  const out = await build({
    ...BROWSER_BUILD,
    entryPoints: [path.join(HERE, entry)],
    ...(reactDir
      ? { alias: { react: path.join(reactDir, 'react'), 'react-dom': path.join(reactDir, 'react-dom') } }
      : {}),
    write: false,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"development"' },
  });
  const app = out.outputFiles[0]?.text ?? '';
  const { url, stop } = await startHttpServer((request, response) => {
    if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    else if (request.url === '/app.js')
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(app);
    else response.writeHead(404).end();
  });
  return { url, stop };
}
