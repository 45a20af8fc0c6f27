/**
 * The drop-in ReconnectingWebSocket (the browser build, on Chromium's own WebSocket) where only a
 * browser shows what it does:
 * - a page served over https: that opens an insecure ws: URL (mixed content): Chromium's
 *   constructor throws a `SecurityError`; the drop-in shows `error`, `close` 1006, then `failed`,
 *   its `detail.errorCode` LV_ERR_BLOCKED_URL (it was 'SecurityError', no code of the library's),
 *   its token redacted, and tries no more;
 * - a failed TLS handshake (wss: to a server that speaks no TLS): Chromium reports close 1006, not
 *   1015, so the drop-in retries it as a network error (docs/migration.md: 1015 is retried too where a
 *   browser or polyfill reports it);
 * - close(code, reason): the same DOMException names as Chromium's WebSocket for the same arguments;
 * - binaryType: a Blob by default, an ArrayBuffer once set (before open, and between messages);
 *   'nodebuffer' (Node's) ignored, as Chromium's WebSocket ignores it;
 * - reconnect() in listeners, on the page's event loop: every close listener sees CLOSED (also after
 *   an earlier one's reconnect()), and reconnect() twice in one listener dispatches one close.
 * A self-signed certificate for the https: page is made by `openssl` (Debian's) in a temporary
 * directory; the loopback servers listen on 127.0.0.1, port 0.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_BUILD } from '../../scripts/browser-bundles.mjs';
import { listen, startWsServer, type WsTestServer } from '../helpers/servers.js';
import { CHROMIUM_PATH } from './chromium.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TOKEN = 'tok3n-in-the-url';

/** The page's helpers: events of a drop-in as strings until `failed` or `untilMs`. */
const ENTRY = `
import { ReconnectingWebSocket } from './src/entries/browser-ws.ts';
const show = (type, e) => type + (e.code ? ':' + e.code : '') + (e.wasClean === false ? ':unclean' : '') +
  (e.detail ? ':' + e.detail.kind + '/' + (e.detail.errorCode ?? '') : '');
window.events = (url, options, untilMs) => new Promise((resolve) => {
  const lines = [];
  const details = [];
  const rws = new ReconnectingWebSocket(url, undefined, options);
  const done = () => { rws.close(); resolve({ lines, details }); };
  for (const type of ['open', 'error', 'close', 'reconnecting', 'failed']) {
    rws.addEventListener(type, (e) => {
      lines.push(show(type, e));
      if (e.detail) details.push(e.detail.message);
      if (type === 'failed') done();
    });
  }
  setTimeout(done, untilMs);
});
window.closeChecks = (url, cases) => cases.map((args) => {
  const name = (fn) => { try { fn(); return 'ok'; } catch (e) { return e.name; } };
  const native = new WebSocket(url);
  const theirs = name(() => native.close(...args));
  native.close();
  const rws = new ReconnectingWebSocket(url);
  const ours = name(() => rws.close(...args));
  rws.close();
  return [theirs, ours];
});
window.binaryTypes = (url) => new Promise((resolve) => {
  const rws = new ReconnectingWebSocket(url);
  const seen = [];
  rws.onmessage = (e) => {
    seen.push(Object.prototype.toString.call(e.data));
    if (seen.length === 2) { rws.close(); resolve(seen); return; }
    rws.binaryType = 'arraybuffer';
    rws.send(new Uint8Array([2]));
  };
  rws.send(new Uint8Array([1])); // buffered until open, echoed as a Blob (the default)
});
window.binaryTypeNames = (url) => ['nodebuffer', 'fragments', 'arraybuffer'].map((name) => {
  const native = new WebSocket(url);
  const rws = new ReconnectingWebSocket(url);
  let threw = [];
  try { native.binaryType = name; } catch (e) { threw.push(e.name); }
  try { rws.binaryType = name; } catch (e) { threw.push(e.name); }
  const seen = [name, native.binaryType, rws.binaryType, ...threw];
  native.close();
  rws.close();
  return seen.join(' ');
});
// close(): the first close listener calls reconnect(), the second sees the state; on the next
// open, reconnect() twice; resolved on the third open. From the first open on (a first attempt
// that failed on a busy host, close 1006 and a retry, is not what this checks).
window.reconnectsInListeners = (url) => new Promise((resolve) => {
  const rws = new ReconnectingWebSocket(url);
  const lines = [];
  let opens = 0;
  rws.addEventListener('close', (e) => {
    if (opens === 0) return;
    lines.push('close:' + e.code + ' rs=' + rws.readyState);
    if (e.code !== 4000) return;
    rws.reconnect();
    lines.push('after reconnect() rs=' + rws.readyState);
  });
  rws.addEventListener('close', () => opens > 0 && lines.push('next listener rs=' + rws.readyState));
  rws.addEventListener('open', () => {
    lines.push('open');
    opens += 1;
    if (opens === 1) rws.close(4000);
    else if (opens === 2) { rws.reconnect(4001); rws.reconnect(4002); }
    else { rws.close(); resolve(lines); }
  });
});
window.ready = true;
`;

interface PageGlobals {
  events(url: string, options: object, untilMs: number): Promise<{ lines: string[]; details: string[] }>;
  closeChecks(url: string, cases: unknown[][]): [string, string][];
  binaryTypes(url: string): Promise<string[]>;
  binaryTypeNames(url: string): string[];
  reconnectsInListeners(url: string): Promise<string[]>;
}

describe('the drop-in in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let site: https.Server;
  let siteUrl: string;
  let server: WsTestServer;
  let certs: string;

  beforeAll(async () => {
    const out = await build({
      ...BROWSER_BUILD,
      stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts' },
      write: false,
    });
    const script = out.outputFiles[0]?.text ?? '';
    certs = await mkdtemp(path.join(tmpdir(), 'linkvisor-cert-'));
    const key = path.join(certs, 'key.pem');
    const cert = path.join(certs, 'cert.pem');
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'],
        ...['-keyout', key, '-out', cert],
      ],
      { stdio: 'ignore' },
    );
    site = https.createServer(
      { key: await readFile(key), cert: await readFile(cert) },
      (request, response) => {
        if (request.url === '/')
          response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html>');
        else if (request.url === '/app.js')
          response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
        else response.writeHead(404).end();
      },
    );
    siteUrl = `https://127.0.0.1:${await listen(site)}/`;
    server = await startWsServer({
      onConnection: (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })),
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--no-sandbox'],
    });
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    page = await context.newPage();
    await page.goto(siteUrl);
    await page.addScriptTag({ url: '/app.js', type: 'module' });
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
    if (certs) await rm(certs, { recursive: true, force: true });
  });

  it('mixed content (ws: from an https: page): error, close 1006, failed with LV_ERR_BLOCKED_URL; no retry, no token', async () => {
    // Not loopback: Chromium lets an https: page reach ws://127.0.0.1 (a trustworthy origin).
    const url = `ws://linkvisor.invalid/feed?token=${TOKEN}`;
    const { lines, details } = await page.evaluate(
      ([u]) => (window as unknown as PageGlobals).events(u as string, { minReconnectionDelay: 50 }, 5_000),
      [url],
    );
    expect(lines).toEqual([
      'error:invalid/LV_ERR_BLOCKED_URL',
      'close:1006:unclean:invalid/LV_ERR_BLOCKED_URL',
      'failed:invalid/LV_ERR_BLOCKED_URL',
    ]);
    expect(details[0]).toMatch(/^url: refused by the WebSocket constructor \(SecurityError: .*insecure/i);
    expect(details.join('\n')).not.toContain(TOKEN);
  });

  it('a failed TLS handshake is close 1006 in Chromium (not 1015): error, close, then a retry', async () => {
    const url = server.url.replace(/^ws:/, 'wss:');
    const { lines } = await page.evaluate(
      ([u]) =>
        (window as unknown as PageGlobals).events(
          u as string,
          { minReconnectionDelay: 50, maxReconnectionDelay: 50, maxRetries: 1 },
          10_000,
        ),
      [url],
    );
    expect(lines).toEqual([
      'error:error/',
      'close:1006:unclean:close/',
      'reconnecting:close/',
      'error:error/',
      'close:1006:unclean:close/',
      'failed:gave-up/',
    ]);
  });

  it("binaryType 'nodebuffer' (Node's) is ignored, as Chromium's WebSocket ignores it; no throw", async () => {
    const seen = await page.evaluate(
      ([u]) => (window as unknown as PageGlobals).binaryTypeNames(u as string),
      [server.url],
    );
    // name set, then Chromium's binaryType, then the drop-in's (and what either threw: nothing).
    expect(seen).toEqual([
      'nodebuffer blob blob',
      'fragments blob blob',
      'arraybuffer arraybuffer arraybuffer',
    ]);
  });

  it('close(code, reason) throws what Chromium’s WebSocket throws for the same arguments', async () => {
    const cases = [
      [1000],
      [3000],
      [4999],
      [1001],
      [2999],
      [5000],
      [66536],
      [-1],
      [Number.NaN],
      ['abc'],
      [3000.5],
      [1000, 'x'.repeat(123)],
      [1000, 'x'.repeat(124)],
      [1000, 'é'.repeat(62)],
      [1000, '\uD800'.repeat(41)],
      [1000, '\uD800'.repeat(42)],
    ];
    const results = await page.evaluate(
      ([u, c]) => (window as unknown as PageGlobals).closeChecks(u as string, c as unknown[][]),
      [server.url, cases] as const,
    );
    expect(results.map(([, ours]) => ours)).toEqual(results.map(([theirs]) => theirs));
    expect(new Set(results.map(([theirs]) => theirs))).toEqual(
      new Set(['ok', 'InvalidAccessError', 'SyntaxError']),
    );
  });

  it('binaryType: a Blob by default (a message sent while connecting, echoed), an ArrayBuffer once set', async () => {
    const seen = await page.evaluate(
      ([u]) => (window as unknown as PageGlobals).binaryTypes(u as string),
      [server.url],
    );
    expect(seen).toEqual(['[object Blob]', '[object ArrayBuffer]']);
  });

  // Every listener of a close sees CLOSED, also after reconnect() in one before it (it saw
  // CONNECTING); reconnect() twice in one listener dispatches one close (it dispatched two).
  it('reconnect() in close and open listeners: CLOSED in every close listener, one close per reconnect', async () => {
    const lines = await page.evaluate(
      (url) => (window as unknown as PageGlobals).reconnectsInListeners(url),
      server.url,
    );
    expect(lines).toEqual([
      'open',
      'close:4000 rs=3',
      'after reconnect() rs=3',
      'next listener rs=3',
      'open',
      'close:4001 rs=3',
      'next listener rs=3',
      'open',
      'close:1000 rs=3', // the close() that ends the page's run
      'next listener rs=3',
    ]);
  });
});
