/**
 * The built browser bundle in headless Chromium: a page served from loopback imports
 * dist/browser/index.js (xstate through an import map) and, against a loopback ws server, shows
 * connect, a server bounce, the reconnect, queued messages delivered in order, the application
 * heartbeat (and a peer that stops answering it), close(), a plain supervisor link on the
 * native WebSocket, and network signals (Playwright's context.setOffline, a page shown again). Run with `npm run test:browser:build` (it builds first).
 * The ws server bounces on a port the test keeps for its whole life (../helpers/kept-port.ts): no
 * other process can take the port between the stop and the restart.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket as ServerSocket } from 'ws';
import type * as BrowserEntry from '../../src/entries/browser.js';
import { type Chromium, launchChromium } from '../browser/chromium.js';
import { type KeptPort, keepPort } from '../helpers/kept-port.js';
import { startWsServer, type WsTestServer } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';
import { type PageServer, startPageServer } from './page-server.js';

/**
 * The heartbeat of the ReconnectingWebSocket under test: a ping every 150 ms, a pong awaited
 * 2 s. A shorter timeout (it was 300 ms) is met by a busy machine pausing the browser or the
 * test process, not by a silent peer, and the link is lost mid-step.
 */
const HEARTBEAT = { intervalMs: 150, timeoutMs: 2_000 };
/**
 * How soon `online` or a page shown again brings back a link whose backoff said 30 s: 1 s of
 * jitter and a loopback connect, bounded generously for a busy machine; far below the 30 s it
 * would otherwise wait.
 */
const WAKE_BOUND_MS = 10_000;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What the page keeps on `window`. */
interface PageGlobals {
  loaded: boolean;
  linkvisor: typeof BrowserEntry;
  DefaultReconnectingWebSocket: typeof BrowserEntry.ReconnectingWebSocket;
  rws: InstanceType<typeof BrowserEntry.ReconnectingWebSocket>;
  log: string[];
}

/** The ws server's view: messages per connection (pings apart), pings, close codes. */
const connections: { messages: string[]; pings: number; close?: [number, string] }[] = [];
let answerPings = true;

function onConnection(ws: ServerSocket): void {
  const record: (typeof connections)[number] = { messages: [], pings: 0 };
  connections.push(record);
  ws.on('message', (data) => {
    const text = String(data);
    if (text === 'ping') {
      record.pings++;
      if (answerPings) ws.send('pong');
      return;
    }
    record.messages.push(text);
    ws.send(`echo:${text}`);
  });
  ws.on('close', (code, reason) => {
    record.close = [code, String(reason)];
  });
}

describe('browser build: the bundle in headless Chromium', () => {
  let browser: Chromium;
  let page: Page;
  let pages: PageServer;
  let server: WsTestServer;
  /** The port the server restarts on (the page connects to it, as `kept.url()`). */
  let kept: KeptPort;
  const pageErrors: string[] = [];

  const log = () => page.evaluate(() => (window as unknown as PageGlobals).log);
  const count = async (entry: string) => (await log()).filter((line) => line.startsWith(entry)).length;
  const until = (what: string, check: () => Promise<boolean>, timeoutMs = 5_000) =>
    waitFor(check, { timeoutMs, intervalMs: 20, message: what });

  beforeAll(async () => {
    expect(existsSync(path.join(root, 'dist/browser/index.js')), 'run `npm run build` first').toBe(true);
    pages = await startPageServer(root);
    kept = await keepPort();
    server = await startWsServer({ ...kept.behind, onConnection });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // Chromium itself logs every refused WebSocket connection (the bounce makes some).
      if (message.type() === 'error' && !message.text().startsWith('WebSocket connection to')) {
        pageErrors.push(message.text());
      }
    });
    await page.goto(pages.url);
    await page.waitForFunction(() => (window as unknown as PageGlobals).loaded === true);
  });

  afterAll(async () => {
    await page?.evaluate(() => (window as unknown as PageGlobals).rws?.close()).catch(() => {});
    await browser?.close();
    await server?.stop();
    await kept?.stop();
    await pages?.stop();
  });

  it('is an ESM bundle with no Node import, behind the "browser" condition of the package', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.exports['.'].browser).toBe('./dist/browser/index.js');
    expect(pkg.exports['./ws'].browser).toBe('./dist/browser/ws.js');
    expect(pkg.exports['./react'].browser).toBe('./dist/browser/react.js');
    // Peer dependencies each bundle may import (the application's copies).
    const peers: Record<string, string[]> = {
      'index.js': ['xstate'],
      'ws.js': ['xstate'],
      'react.js': ['react'],
    };
    for (const [file, allowed] of Object.entries(peers)) {
      const code = readFileSync(path.join(root, 'dist/browser', file), 'utf8');
      const imports = [...code.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']/gm)].map(
        (m) => m[1],
      );
      // the peers, and the chunks the entries share
      expect(
        imports.filter((p) => !allowed.includes(p ?? '') && !/^\.\/chunk-\w+\.js$/.test(p ?? '')),
      ).toEqual([]);
      expect(code).not.toMatch(/require\(|from ["']node:|from ["']ws["']/);
    }
  });

  it('loads in Chromium: both entries, no page error', async () => {
    const names = await page.evaluate(() => {
      const w = window as unknown as PageGlobals;
      return [
        typeof w.linkvisor.createSupervisor,
        w.DefaultReconnectingWebSocket === w.linkvisor.ReconnectingWebSocket,
      ];
    });
    expect(names).toEqual(['function', true]);
    expect(pageErrors).toEqual([]);
  });

  it('connects, sends and receives', async () => {
    await page.evaluate(
      ({ url, heartbeat }) => {
        const w = window as unknown as PageGlobals;
        w.log = [];
        const rws = new w.linkvisor.ReconnectingWebSocket(url, [], {
          minReconnectionDelay: 50,
          maxReconnectionDelay: 200,
          jitter: 'none',
          heartbeat: {
            mode: 'app',
            intervalMs: heartbeat.intervalMs,
            timeoutMs: heartbeat.timeoutMs,
            ping: () => 'ping',
            isPong: (d) => d === 'pong',
          },
        });
        rws.onopen = () => w.log.push('open');
        rws.onmessage = (event) => w.log.push(`message:${event.data}`);
        rws.onclose = (event) => w.log.push(`close:${event.code}:${event.detail.kind}`);
        rws.addEventListener('reconnecting', (event) => w.log.push(`reconnecting:${event.attempt}`));
        w.rws = rws;
      },
      { url: kept.url(), heartbeat: HEARTBEAT },
    );
    await until('open', async () => (await count('open')) === 1);
    expect(await page.evaluate(() => (window as unknown as PageGlobals).rws.readyState)).toBe(1);
    await page.evaluate(() => (window as unknown as PageGlobals).rws.send('hello'));
    await until('the echo', async () => (await log()).includes('message:echo:hello'));
    expect(connections[0]?.messages).toEqual(['hello']);
  });

  it('rides out a server bounce: reconnects, and what was sent while down arrives once, in order', async () => {
    await server.stop();
    await until('close and reconnecting', async () => (await count('reconnecting')) >= 1);
    // One page task: wait there for CLOSED (between two attempts at the dead server; a test-side
    // check could see CLOSED and the page be CONNECTING again by the time it sends), then send and
    // read the state in the same turn.
    const whileDown = await page.evaluate(async () => {
      const rws = (window as unknown as PageGlobals).rws;
      const deadline = Date.now() + 5_000;
      while (rws.readyState !== WebSocket.CLOSED && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      const sent = ['q1', 'q2', 'q3'].map((m) => rws.send(m));
      return { sent, readyState: rws.readyState, buffered: rws.bufferedAmount };
    });
    // Buffered while down: send() says false (partysocket's contract), they go out on the next open.
    expect(whileDown).toEqual({ sent: [false, false, false], readyState: 3, buffered: 6 });
    expect((await log()).find((line) => line.startsWith('close:'))).toBe('close:1006:close');

    server = await startWsServer({ ...kept.behind, onConnection });
    await until('open again', async () => (await count('open')) === 2);
    await until('the queued messages', async () => connections[1]?.messages.length === 3);
    expect(connections[1]?.messages).toEqual(['q1', 'q2', 'q3']);
    await until('their echoes', async () => (await count('message:echo:q')) === 3);
  });

  it('keeps the application heartbeat: pings answered, pongs not delivered; a silent peer is detected', async () => {
    await until('two pings on this connection', async () => (connections[1]?.pings ?? 0) >= 2);
    expect(await count('message:pong')).toBe(0);
    answerPings = false;
    await until(
      'a heartbeat close',
      async () => (await log()).includes('close:1006:heartbeat'),
      HEARTBEAT.intervalMs + HEARTBEAT.timeoutMs + 5_000,
    );
    answerPings = true;
    await until('open after the heartbeat loss', async () => (await count('open')) === 3);
  });

  it('close(): a clean close reaches the server, and nothing reconnects', async () => {
    const before = connections.length;
    await page.evaluate(() => (window as unknown as PageGlobals).rws.close(1000, 'bye'));
    await until('the close event', async () => (await log()).includes('close:1000:user'));
    expect(await page.evaluate(() => (window as unknown as PageGlobals).rws.readyState)).toBe(3);
    await until('the server saw it', async () => connections.at(-1)?.close !== undefined);
    expect(connections.at(-1)?.close).toEqual([1000, 'bye']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(connections.length).toBe(before);
  });

  it('a supervisor link runs on the native WebSocket too', async () => {
    const echoed = await page.evaluate(async (url) => {
      const { createSupervisor } = (window as unknown as PageGlobals).linkvisor;
      const supervisor = createSupervisor();
      const link = supervisor.connect(url);
      const reply = new Promise((resolve) => link.on('message', resolve));
      await link.ready();
      link.send('from a link');
      const data = await reply;
      await supervisor.close();
      return data;
    }, kept.url());
    expect(echoed).toBe('echo:from a link');
    expect(pageErrors).toEqual([]);
  });

  it(`network signals: offline stops attempts, online and a page shown again bring a link back within ${WAKE_BOUND_MS / 1000} s where its backoff said 30 s`, async () => {
    type Supervisor = ReturnType<typeof BrowserEntry.createSupervisor>;
    type SignalGlobals = PageGlobals & {
      netLink: ReturnType<Supervisor['connect']>;
      netSupervisor: Supervisor;
    };
    const state = () => page.evaluate(() => (window as unknown as SignalGlobals).netLink.state);
    await page.evaluate(async (url) => {
      const g = window as unknown as SignalGlobals;
      g.netSupervisor = g.linkvisor.createSupervisor({
        heartbeat: false,
        backoff: { initialDelayMs: 30_000, maxDelayMs: 30_000, jitter: 'none' },
        intensity: false,
      });
      g.netLink = g.netSupervisor.connect(url, { id: 'net' });
      await g.netLink.ready();
    }, kept.url());
    const drop = async () => {
      for (const client of server.wss.clients) client.terminate();
      await until('the link waits 30 s', async () => (await state()) === 'reconnecting');
    };

    await drop();
    await browser.context.setOffline(true);
    await until('offline suspends it', async () => (await state()) === 'suspended');
    const before = connections.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(connections.length).toBe(before);
    const online = Date.now();
    await browser.context.setOffline(false);
    await until('online brings it back', async () => (await state()) === 'ready', WAKE_BOUND_MS + 5_000);
    expect(Date.now() - online).toBeLessThan(WAKE_BOUND_MS);

    // The page is shown again (visibilitychange to visible): a wake.
    await drop();
    const shown = Date.now();
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await until(
      'showing the page brings it back',
      async () => (await state()) === 'ready',
      WAKE_BOUND_MS + 5_000,
    );
    expect(Date.now() - shown).toBeLessThan(WAKE_BOUND_MS);

    // networkSignals: false wires nothing.
    const stillOnline = await page.evaluate(async () => {
      const g = window as unknown as SignalGlobals;
      await g.netSupervisor.close();
      const quiet = g.linkvisor.createSupervisor({ networkSignals: false });
      window.dispatchEvent(new Event('offline'));
      const online = quiet.online;
      await quiet.close();
      return online;
    });
    expect(stillOnline).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('starts thousands of links booked at once in slices, on the event loop of the browser (no Node scheduling API)', async () => {
    // 3,000 connect() calls in one task: the start queue runs them in slices of a few ms, and the
    // later slices are scheduled as macrotasks — with what a browser has, not Node's setImmediate.
    const result = await page.evaluate(async () => {
      const { createSupervisor } = (window as unknown as PageGlobals).linkvisor;
      let attempts = 0;
      const transport = {
        name: 'never-answers',
        inProcess: false,
        protocolPing: false,
        schemes: ['ws:'],
        connect() {
          attempts++;
          return { send: () => false, ping: () => false, close() {}, terminate() {}, bufferedAmount: 0 };
        },
      };
      const supervisor = createSupervisor({ transport });
      for (let i = 0; i < 3000; i++) supervisor.connect(`ws://127.0.0.1:9/${i}`);
      const deadline = Date.now() + 20_000;
      while (attempts < 3000 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      const seen = attempts;
      await supervisor.close();
      return seen;
    });
    expect(result).toBe(3000);
    expect(pageErrors).toEqual([]);
  });
});
