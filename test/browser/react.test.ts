/**
 * linkvisor/react in headless Chromium, with React's development build (19, the devDependency, and
 * 18 in the `react18` project of test/browser/vitest.config.ts) and <StrictMode> (so
 * every mount is rendered twice and mounted, unmounted and mounted again), against a loopback ws
 * server that counts connections and sees every close:
 *
 * - useLink under StrictMode opens exactly one socket (the server and the browser both count one);
 * - useLinkState commits on state changes only, not on each of 200 messages;
 * - two components on the same link share one socket, closed after the last one unmounts;
 * - unmounting closes the link (the server sees 1000), and leaves no link, socket or timer;
 * - a new URL or option value re-keys: the old socket is closed, one new one opens;
 * - a failed link (fatal close) stays failed for every component using it, a new mount later
 *   starts a new one;
 * - callbacks (a URL function, onMessage) are the latest render's without a new socket;
 * - useWebSocket: one socket under StrictMode, `enabled`, a throwing onMessage changes nothing.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebSocket as ServerSocket } from 'ws';
import { startWsServer, type WsTestServer } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';
import { type Chromium, launchChromium } from './chromium.js';
import type { Harness, Spec } from './react/app.js';
import { type ReactPage, reactVersion, startReactPage } from './react/page.js';

/** The server's view of each connection. */
interface Seen {
  path: string;
  messages: string[];
  close?: number;
  socket: ServerSocket;
}

const seen: Seen[] = [];
let browserSockets: { url: string; closed: boolean }[] = [];

function onConnection(socket: ServerSocket, request: { url?: string }): void {
  const record: Seen = { path: request.url ?? '', messages: [], socket };
  seen.push(record);
  if (record.path === '/fatal') socket.close(1008, 'policy');
  socket.on('message', (data) => {
    const text = String(data);
    record.messages.push(text);
    const burst = /^burst:(\d+)$/.exec(text);
    if (burst) for (let i = 1; i <= Number(burst[1]); i++) socket.send(`m${i}`);
    else socket.send(text === 'throw' ? 'throw' : `echo:${text}`);
  });
  socket.on('close', (code) => {
    record.close = code;
  });
}

const on = (path: string) => seen.filter((s) => s.path === path);

describe(`linkvisor/react in Chromium, React ${reactVersion()} StrictMode`, () => {
  let browser: Chromium;
  let page: Page;
  let app: ReactPage;
  let server: WsTestServer;
  const pageErrors: string[] = [];

  const harness = <T>(fn: (h: Harness, arg: never) => T, arg?: unknown): Promise<T> =>
    page.evaluate(
      ([source, value]) => {
        const h = (window as unknown as { harness: Harness }).harness;
        // The test's own function, sent to the page as source.
        return new Function('h', 'value', `return (${source})(h, value);`)(h, value);
      },
      [fn.toString(), arg] as const,
    ) as Promise<T>;
  const render = (spec: Spec) => harness((h, s: Spec) => h.render(s), spec);
  const until = (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) =>
    waitFor(check, { timeoutMs, intervalMs: 20, message: what });
  const shown = (selector: string) => page.locator(selector).textContent();
  const url = (path: string) => `${server.url}${path}`;

  beforeAll(async () => {
    server = await startWsServer({ onConnection });
    app = await startReactPage();
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('websocket', (socket) => {
      const entry = { url: socket.url(), closed: false };
      browserSockets.push(entry);
      socket.on('close', () => {
        entry.closed = true;
      });
    });
    await page.goto(app.url);
    await page.waitForFunction(() => 'harness' in window);
    expect(await page.evaluate(() => (window as unknown as { reactVersion: string }).reactVersion)).toBe(
      reactVersion(),
    );
  });

  afterAll(async () => {
    await page?.evaluate(() => (window as unknown as { harness: Harness }).harness.unmount()).catch(() => {});
    await browser?.close();
    await server?.stop();
    await app?.stop();
  });

  beforeEach(async () => {
    await harness((h) => h.reset());
    browserSockets = [];
  });

  it('useLink under StrictMode opens one socket: the server and the browser count one', async () => {
    await render({ feeds: [{ name: 'a', url: url('/one') }] });
    await until('ready', async () => (await shown('[data-feed=a]')) === 'ready');
    await harness((h) => h.record.links.a?.send('hello'));
    await until('the echo', async () =>
      (await harness((h) => h.record.received.a ?? [])).includes('echo:hello'),
    );
    expect(on('/one').length).toBe(1);
    expect(browserSockets.filter((s) => s.url.endsWith('/one')).length).toBe(1);
    expect(await harness((h) => h.links())).toEqual([expect.stringMatching(/:ready$/)]);
  });

  it('useLinkState commits on state changes only: 200 messages commit nothing', async () => {
    const commits = () => harness((h) => [...(h.record.commits.a ?? [])]);
    const before = await commits();
    await harness((h) => h.record.links.a?.send('burst:200'));
    await until('200 messages', async () => (await harness((h) => h.record.received.a?.length ?? 0)) >= 200);
    // One more round trip, so that any render the messages scheduled has committed.
    await harness((h) => h.record.links.a?.send('after'));
    await until('the echo', async () =>
      (await harness((h) => h.record.received.a ?? [])).includes('echo:after'),
    );
    expect(await commits()).toEqual(before);
  });

  it('a state change commits once; StrictMode repeats only the mount', async () => {
    await render({ feeds: [{ name: 'c', url: url('/commits') }] });
    await until('ready', async () => (await shown('[data-feed=c]')) === 'ready');
    const commits = await harness((h) => [...(h.record.commits.c ?? [])]);
    // The mount's commit twice (StrictMode runs the effect, cleans up, runs it again), then
    // exactly one commit per state, each different from the one before.
    expect(commits[0]).toBe(commits[1]);
    const after = commits.slice(1);
    expect(after.every((state, i) => i === 0 || state !== after[i - 1])).toBe(true);
    expect(after.at(-1)).toBe('ready');
    expect(after.length).toBeLessThanOrEqual(4); // idle/connecting, (handshaking), ready
  });

  it('unmount closes the link: the server sees 1000; no link, socket or timer is left', async () => {
    await harness((h) => h.unmount());
    await until(
      'the server saw both closes',
      () => on('/one')[0]?.close === 1000 && on('/commits')[0]?.close === 1000,
    );
    await until('no link left', async () => (await harness((h) => h.links())).length === 0);
    await until(
      'no pending timer',
      async () =>
        (await page.evaluate(() => (window as unknown as { liveTimers(): number }).liveTimers())) === 0,
    );
    expect(on('/one').length).toBe(1);
  });

  it('two components on one link share one socket, closed after the last one unmounts', async () => {
    const feed = { url: url('/shared') };
    await render({
      feeds: [
        { name: 'b1', ...feed },
        { name: 'b2', ...feed },
      ],
    });
    await until('ready', async () => (await shown('[data-feed=b2]')) === 'ready');
    expect(
      await harness((h) => h.record.links.b1 === h.record.links.b2 && h.record.links.b1 !== undefined),
    ).toBe(true);
    expect(on('/shared').length).toBe(1);

    await render({ feeds: [{ name: 'b2', ...feed }] });
    await harness((h) => h.record.links.b2?.send('still'));
    await until('the echo', async () =>
      (await harness((h) => h.record.received.b2 ?? [])).includes('echo:still'),
    );
    expect(on('/shared')[0]?.close).toBeUndefined();

    await render({});
    await until('the server saw the close', () => on('/shared')[0]?.close === 1000);
    expect(on('/shared').length).toBe(1);
    await until('no link left', async () => (await harness((h) => h.links())).length === 0);
  });

  it('a key separates links to one URL', async () => {
    const feed = { url: url('/keyed') };
    await render({
      feeds: [
        { name: 'k1', ...feed, linkKey: 'one' },
        { name: 'k2', ...feed, linkKey: 'two' },
      ],
    });
    await until(
      'both ready',
      async () => (await shown('[data-feed=k1]')) === 'ready' && (await shown('[data-feed=k2]')) === 'ready',
    );
    expect(on('/keyed').length).toBe(2);
    await render({});
    await until('both closed', () => on('/keyed').every((s) => s.close === 1000));
  });

  it('a new URL or option re-keys: the old socket closes, one new one opens', async () => {
    await render({ feeds: [{ name: 'r', url: url('/r1') }] });
    await until('ready on r1', async () => (await shown('[data-feed=r]')) === 'ready');
    const first = await harness((h) => h.record.links.r?.id);
    await render({ feeds: [{ name: 'r', url: url('/r2') }] });
    await until('the server saw r1 close', () => on('/r1')[0]?.close === 1000);
    await until('r2 connected', () => on('/r2').length === 1);
    await until('ready on r2', async () => (await harness((h) => h.record.links.r?.state)) === 'ready');
    expect(await harness((h) => h.record.links.r?.id)).not.toBe(first);
    expect(on('/r1').length).toBe(1);

    // An option's data re-keys too; an equal render (new objects, new closures) does not.
    const onR2 = await harness((h) => h.record.links.r?.id);
    await render({ feeds: [{ name: 'r', url: url('/r2') }] });
    await render({ feeds: [{ name: 'r', url: url('/r2'), maxDelayMs: 300 }] });
    await until('the server saw the first r2 close', () => on('/r2')[0]?.close === 1000);
    await until('a second r2 connection', () => on('/r2').length === 2);
    // The server accepts before the browser has seen the upgrade: a link closed while still
    // connecting aborts its socket (the server sees 1006), so unmount once it is ready.
    await until('the new link ready', async () =>
      harness(
        (h, before: unknown) => h.record.links.r?.state === 'ready' && h.record.links.r?.id !== before,
        onR2,
      ),
    );
    await render({});
    await until('r2 closed', () => on('/r2')[1]?.close === 1000);
    expect(on('/r2').length).toBe(2);
  });

  it('a failed link stays the key’s link while used (no reconnect behind the policy’s back), then goes', async () => {
    await render({ feeds: [{ name: 'x1', url: url('/fatal') }] });
    await until('failed', async () => (await shown('[data-feed=x1]')) === 'failed');
    await render({
      feeds: [
        { name: 'x1', url: url('/fatal') },
        { name: 'x2', url: url('/fatal') },
      ],
    });
    expect(await shown('[data-feed=x2]')).toBe('failed');
    expect(on('/fatal').length).toBe(1);
    await render({});
    await until('no link left', async () => (await harness((h) => h.links())).length === 0);
    // Mounted again once no component used it: a new link, a new attempt.
    await render({ feeds: [{ name: 'x1', url: url('/fatal') }] });
    await until(
      'failed again',
      async () => on('/fatal').length === 2 && (await shown('[data-feed=x1]')) === 'failed',
    );
    await render({});
  });

  it('a URL function is the latest render’s: a new closure is not a new socket, the next attempt uses it', async () => {
    await render({ feeds: [{ name: 'f', url: url('/fn'), urlVersion: 1 }] });
    await until('ready', async () => (await shown('[data-feed=f]')) === 'ready');
    await render({ feeds: [{ name: 'f', url: url('/fn'), urlVersion: 2 }] });
    await harness((h) => h.record.links.f?.send('x'));
    await until('the echo', async () => (await harness((h) => h.record.received.f ?? [])).includes('echo:x'));
    expect(seen.filter((s) => s.path.startsWith('/fn')).map((s) => s.path)).toEqual(['/fn/v1']);
    on('/fn/v1')[0]?.socket.close(1012, 'restart');
    await until('reconnected with the latest URL', () => on('/fn/v2').length === 1);
    await until('ready again', async () => (await harness((h) => h.record.links.f?.state)) === 'ready');
    await render({});
    await until('closed', () => on('/fn/v2')[0]?.close === 1000);
  });

  it('useWebSocket: one socket under StrictMode, the latest onMessage, a throwing one changes nothing', async () => {
    const log = () => harness((h) => [...h.record.socketLog]);
    await render({ sockets: [{ name: 's', url: url('/ws'), tag: 't1' }] });
    await until('open', async () => (await log()).includes('s:t1:open'));
    expect(on('/ws').length).toBe(1);
    expect(browserSockets.filter((s) => s.url.endsWith('/ws')).length).toBe(1);

    await render({ sockets: [{ name: 's', url: url('/ws'), tag: 't2' }] });
    on('/ws')[0]?.socket.send('hi');
    await until('the message, to the latest callback', async () => (await log()).includes('s:t2:message:hi'));
    expect((await log()).filter((line) => line.includes(':t1:message'))).toEqual([]);

    on('/ws')[0]?.socket.send('throw');
    on('/ws')[0]?.socket.send('next');
    await until('the message after the throw', async () => (await log()).includes('s:t2:message:next'));
    expect(on('/ws').length).toBe(1);
    expect(on('/ws')[0]?.close).toBeUndefined();
  });

  it('useWebSocket: enabled=false closes it (onClose runs), true connects again, unmount closes without onClose', async () => {
    const log = () => harness((h) => [...h.record.socketLog]);
    await render({ sockets: [{ name: 's', url: url('/ws'), tag: 't2', enabled: false }] });
    await until('the server saw the close', () => on('/ws')[0]?.close === 1000);
    await until('onClose', async () => (await log()).includes('s:t2:close:1000'));

    await render({ sockets: [{ name: 's', url: url('/ws'), tag: 't3', enabled: true }] });
    await until('a second connection', () => on('/ws').length === 2);
    await until('open', async () => (await log()).includes('s:t3:open'));

    await harness((h) => h.unmount());
    await until('the server saw the close', () => on('/ws')[1]?.close === 1000);
    expect((await log()).filter((line) => line.includes(':close'))).toEqual(['s:t2:close:1000']);
    await until(
      'no pending timer',
      async () =>
        (await page.evaluate(() => (window as unknown as { liveTimers(): number }).liveTimers())) === 0,
    );
    expect(on('/ws').length).toBe(2);
    // The throwing onMessage of the test before, reported as LV_ERR_LISTENER naming it.
    expect(pageErrors.filter((e) => e !== "useWebSocket's onMessage threw")).toEqual([]);
  });

  it('hydrating server HTML (idle) whose link is already live on the page: no mismatch, then the live state', async () => {
    // One island mounted and connected; a second, server-rendered with the same link (same
    // default supervisor, URL and options), hydrates later, as islands and Suspense boundaries do.
    await render({ feeds: [{ name: 'live', url: url('/hydrate') }] });
    await until('ready', async () => (await shown('[data-feed=live]')) === 'ready');
    await harness((h, island: { spec: Spec; html: string }) => h.hydrate(island), {
      spec: { feeds: [{ name: 'island', url: url('/hydrate') }] },
      html: '<p data-feed="island">idle</p>',
    });
    await until(
      'the island shows the live state',
      async () => (await shown('[data-feed=island]')) === 'ready',
    );
    expect(await harness((h) => h.record.hydrationErrors)).toEqual([]);
    expect(on('/hydrate').length).toBe(1);
    await harness((h) => h.unmountIsland());
    await harness((h) => h.unmount());
    await until('the server saw the close', () => on('/hydrate')[0]?.close === 1000);
  });
});
