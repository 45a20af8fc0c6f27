/**
 * close() while the native WebSocket is already CLOSING (the server sent its close frame and has
 * not yet closed the TCP connection): the link ends when the socket's close event arrives, not
 * after the whole closeTimeoutMs. Real headless Chromium, the built bundle, a loopback ws server
 * that stops reading after its close frame (so the browser stays CLOSING until the test drops it).
 * Run with `npm run test:browser:build` (it builds first).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket as ServerSocket } from 'ws';
import type * as BrowserEntry from '../../src/entries/browser.js';
import { type Chromium, launchChromium } from '../browser/chromium.js';
import { startWsServer, type WsTestServer } from '../helpers/servers.js';
import { type PageServer, startPageServer } from './page-server.js';

/** The link's closeTimeoutMs: what a close() that misses the close event waits. */
const CLOSE_TIMEOUT_MS = 30_000;
/** Generous bound (busy machine) for a close() that ends on the close event. */
const CLOSE_BOUND_MS = 10_000;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Globals {
  loaded: boolean;
  linkvisor: typeof BrowserEntry;
  sockets: WebSocket[];
  supervisor: ReturnType<typeof BrowserEntry.createSupervisor>;
  link: ReturnType<ReturnType<typeof BrowserEntry.createSupervisor>['connect']>;
  closing: Promise<number>;
}

describe('browser build: close() while the socket is CLOSING', () => {
  let browser: Chromium;
  let page: Page;
  let pages: PageServer;
  let server: WsTestServer;
  const serverSockets: ServerSocket[] = [];

  beforeAll(async () => {
    expect(existsSync(path.join(root, 'dist/browser/index.js')), 'run `npm run build` first').toBe(true);
    pages = await startPageServer(root);
    server = await startWsServer({
      onConnection: (ws, request) => {
        serverSockets.push(ws);
        ws.on('message', (data) => {
          if (String(data) !== 'close-me') return;
          // Stop reading: the browser's close reply is never read, the TCP stays open.
          request.socket.pause();
          ws.close(4000, 'server closing');
        });
      },
    });
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(pages.url);
    await page.waitForFunction(() => (window as unknown as Globals).loaded === true);
  });

  afterAll(async () => {
    await page?.evaluate(() => (window as unknown as Globals).supervisor?.terminate()).catch(() => {});
    await browser?.close();
    await server?.stop();
    await pages?.stop();
  });

  it(`ends on the close event (within ${CLOSE_BOUND_MS / 1000} s), not after closeTimeoutMs (${CLOSE_TIMEOUT_MS / 1000} s)`, async () => {
    const seen = await page.evaluate(
      async ({ url, closeTimeoutMs }) => {
        const w = window as unknown as Globals;
        w.sockets = [];
        // The native WebSocket, each instance kept so the page can see its readyState.
        class Recorded extends WebSocket {
          constructor(target: string | URL, protocols?: string | string[]) {
            super(target, protocols);
            w.sockets.push(this);
          }
        }
        w.supervisor = w.linkvisor.createSupervisor({
          transport: w.linkvisor.createBrowserTransport(Recorded),
          heartbeat: false,
          closeTimeoutMs,
        });
        w.link = w.supervisor.connect(url);
        await w.link.ready();
        w.link.send('close-me');
        const socket = w.sockets[0] as WebSocket;
        const deadline = Date.now() + 10_000;
        while (socket.readyState === WebSocket.OPEN && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        // Same task as the check: the close event cannot have arrived in between.
        const readyState = socket.readyState;
        const started = performance.now();
        w.closing = w.link.close().then(() => performance.now() - started);
        return readyState;
      },
      { url: server.url, closeTimeoutMs: CLOSE_TIMEOUT_MS },
    );
    expect(seen).toBe(2); // CLOSING
    // The server drops the TCP connection: the browser's close event.
    for (const ws of serverSockets) ws.terminate();
    const elapsed = await page.evaluate(() => (window as unknown as Globals).closing);
    expect(elapsed).toBeLessThan(CLOSE_BOUND_MS);
    expect(await page.evaluate(() => (window as unknown as Globals).link.state)).toBe('closed');
  });
});
