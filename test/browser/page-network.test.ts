/**
 * The page's network events in headless Chromium (src/transports/page-network-events.ts, the
 * browser build's `watchNetwork`): a page offline (Playwright's context.setOffline: the browser
 * fires `offline`, `navigator.onLine` is false) that is shown again (`visibilitychange`, visible)
 * or resumed (`resume`) stays offline, and its suspended link makes no attempt, until the network
 * is back (`online`). Before, either event raised `wake`, which said the network was back:
 * `supervisor.online` turned true and the link attempted with no network. The same for a page
 * back from the back-forward cache (`pageshow`, persisted) while offline: `online` then wakes it;
 * and a restore with the network up wakes a link suspended by the page's `freeze` (pinned: it did
 * so already; a `pageshow` handler that raised nothing fails this test).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_BUILD } from '../../scripts/browser-bundles.mjs';
import { startHttpServer, startWsServer, type WsTestServer } from '../helpers/servers.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { type Chromium, launchChromium } from './chromium.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const ENTRY = `
import { createSupervisor } from './src/entries/browser.ts';
window.start = (url) => {
  window.supervisor = createSupervisor({ backoff: { initialDelayMs: 50, maxDelayMs: 100 }, heartbeat: false });
  window.link = window.supervisor.connect(url, { id: 'feed' });
  window.attempts = 0;
  window.link.on('state', ({ to }) => { if (to === 'connecting') window.attempts++; });
};
`;

interface PageGlobals {
  start(url: string): void;
  supervisor: { online: boolean; close(): Promise<void> };
  link: { state: string };
  attempts: number;
}

describe('page network events in Chromium', () => {
  let browser: Chromium;
  let page: Page;
  let server: WsTestServer;
  let http: Awaited<ReturnType<typeof startHttpServer>>;

  beforeAll(async () => {
    const out = await build({
      ...BROWSER_BUILD,
      stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts' },
      write: false,
    });
    const script = out.outputFiles[0]?.text ?? '';
    http = await startHttpServer((request, response) => {
      if (request.url === '/')
        response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html>');
      else if (request.url === '/app.js')
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      else response.writeHead(404).end();
    });
    server = await startWsServer();
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(http.url);
    await page.addScriptTag({ url: '/app.js', type: 'module' });
    await page.waitForFunction(() => typeof (window as unknown as PageGlobals).start === 'function');
  });

  afterAll(async () => {
    await page?.evaluate(() => (window as unknown as PageGlobals).supervisor?.close()).catch(() => {});
    await browser?.close();
    await server?.stop();
    await http?.stop();
  });

  it('offline, a page shown again or resumed stays offline and attempts nothing until online', async () => {
    await page.evaluate((url) => (window as unknown as PageGlobals).start(url), server.url);
    const state = () => page.evaluate(() => (window as unknown as PageGlobals).link.state);
    await waitFor(async () => (await state()) === 'ready', { message: 'the link ready' });

    await browser.context.setOffline(true);
    const online = () => page.evaluate(() => (window as unknown as PageGlobals).supervisor.online);
    await waitFor(async () => !(await online()), { message: 'offline seen' });
    // The server drops the link: it waits, suspended, for the network.
    for (const ws of server.clients) ws.terminate();
    await waitFor(async () => (await state()) === 'suspended', { message: 'the link suspended' });
    const before = await page.evaluate(() => (window as unknown as PageGlobals).attempts);

    await page.evaluate(() => {
      document.dispatchEvent(new Event('visibilitychange'));
      document.dispatchEvent(new Event('resume'));
    });
    await sleep(1_500); // a wake's rejoin delay is 0–1 s
    expect(await online()).toBe(false);
    expect(await state()).toBe('suspended');
    expect(await page.evaluate(() => (window as unknown as PageGlobals).attempts)).toBe(before);

    await browser.context.setOffline(false);
    await waitFor(async () => (await state()) === 'ready', {
      message: 'back once online',
      timeoutMs: 10_000,
    });
    expect(await online()).toBe(true);
  });

  it('back from the bfcache (pageshow, persisted): offline it waits for online; online it wakes a frozen-off link', async () => {
    const state = () => page.evaluate(() => (window as unknown as PageGlobals).link.state);
    const online = () => page.evaluate(() => (window as unknown as PageGlobals).supervisor.online);
    const attempts = () => page.evaluate(() => (window as unknown as PageGlobals).attempts);
    const restore = () =>
      page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
    const dropAndSuspend = async () => {
      for (const ws of server.clients) ws.terminate();
      await waitFor(async () => (await state()) === 'suspended', { message: 'the link suspended' });
    };
    // A supervisor of its own (the first test's closed), so that this test runs alone too.
    await page.evaluate(async (url) => {
      const globals = window as unknown as PageGlobals;
      await globals.supervisor?.close();
      globals.start(url);
    }, server.url);
    await waitFor(async () => (await state()) === 'ready', { message: 'the link ready' });

    // Restored while the network is gone: nothing raised, no attempt; `online` then wakes it.
    await browser.context.setOffline(true);
    await waitFor(async () => !(await online()), { message: 'offline seen' });
    await dropAndSuspend();
    const before = await attempts();
    await restore();
    await sleep(1_500); // a wake's rejoin delay is 0–1 s
    expect(await online()).toBe(false);
    expect(await state()).toBe('suspended');
    expect(await attempts()).toBe(before);
    await browser.context.setOffline(false);
    await waitFor(async () => (await state()) === 'ready', {
      message: 'back once online',
      timeoutMs: 10_000,
    });

    // Frozen into the bfcache (`freeze`: offline) with the network up, then restored: a wake.
    await page.evaluate(() => document.dispatchEvent(new Event('freeze')));
    await waitFor(async () => !(await online()), { message: 'frozen: offline' });
    await dropAndSuspend();
    await restore();
    await waitFor(async () => (await state()) === 'ready', {
      message: 'woken by the restore',
      timeoutMs: 10_000,
    });
    expect(await online()).toBe(true);
  });
});
