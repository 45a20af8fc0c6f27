/**
 * The inspector page in headless Chromium, against a real supervisor: three links to a loopback
 * ws server and a watcher. One chart per machine is drawn from its definition (each state's name
 * is SVG text), with the population of each state; text is at least 11 px; the selected link's
 * lit state goes ready → reconnecting → ready when the test bounces the server, the transitions
 * its configuration rules out are hidden, its timeline shows why, and the supervisor's timeline
 * shows the last link down and the first one up; nothing secret reaches the page; the page finds
 * a restarted inspector by itself. Screenshots: artifacts/inspector*.png, docs/inspector.png and
 * docs/inspector-link.png.
 *
 * The ws server and the inspector restart "on the same port": a port the test keeps for its whole
 * life (../helpers/kept-port.ts), so no other process can take it between a stop and the restart
 * (EADDRINUSE, or a page talking to a stranger).
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartStates, describeChart } from '../../machines/chart-model.js';
import { connectionMachine } from '../../machines/connection.machine.js';
import { socketMachine } from '../../machines/socket.machine.js';
import { watcherMachine } from '../../machines/watcher.machine.js';
import { createSupervisor, type Supervisor } from '../../src/index.js';
import { createInspector, type InspectorServer, startInspector } from '../../src/inspector/index.js';
import { type KeptPort, keepPort } from '../helpers/kept-port.js';
import { startWsServer, type WsTestServer } from '../helpers/servers.js';
import { type Chromium, launchChromium, PAGE_WORK_MS } from './chromium.js';
import { screenshotPaths } from './docs-screenshot.js';

const SECRET_QUERY = 'SECRET-QUERY-7f3a9c';
const SECRET_HEADER = 'SECRET-HEADER-b41d2e';

let ws: WsTestServer;
/** The feed server's port, and the inspector's: kept from beforeAll to afterAll. */
let wsPort: KeptPort;
let inspectorPort: KeptPort;
let supervisor: Supervisor;
let inspectorServer: InspectorServer;
let browser: Chromium;
let page: Page;
const frames: string[] = [];
const requests: string[] = [];

const keysOf = (machine: Parameters<typeof describeChart>[0]) =>
  chartStates(describeChart(machine))
    .filter((s) => s.path !== '')
    .map((s) => s.key);

async function svgTexts(chart: string): Promise<string[]> {
  return page
    .locator(`section.chart-card[data-chart="${chart}"] svg.chart .state > text.name`)
    .allTextContents();
}

async function waitForState(actor: string, state: string, timeout = PAGE_WORK_MS): Promise<void> {
  await page.waitForSelector(`section.detail[data-actor="${actor}"][data-state="${state}"]`, { timeout });
}

const echo = () =>
  startWsServer({
    ...wsPort.behind,
    onConnection: (socket) => socket.on('message', (data) => socket.send(data)),
  });

/** The inspector behind its kept port (`token`: the one it had before a restart). */
const inspectorOn = (inspector: InspectorServer['inspector'], token?: string) =>
  startInspector(supervisor, { inspector, ...inspectorPort.behind, ...(token ? { token } : {}) });

const lit = (path: string) =>
  `section.chart-card[data-chart="connection"] g.state.current[data-path="${path}"]`;

beforeAll(async () => {
  await mkdir('artifacts', { recursive: true });
  wsPort = await keepPort();
  inspectorPort = await keepPort();
  ws = await echo();
  const inspector = createInspector();
  supervisor = createSupervisor({
    inspect: inspector.inspect,
    backoff: { initialDelayMs: 400, maxDelayMs: 800, jitter: 'none', stableAfterMs: 1_000 },
    connectTimeoutMs: 2_000,
    closeTimeoutMs: 1_000,
    lingerMs: 1_000,
    // A pong awaited 2 s: a busy machine pausing this process for longer than a shorter timeout
    // would lose a link the test expects ready (and add socket edges it does not expect).
    heartbeat: { intervalMs: 400, timeoutMs: 2_000 },
  });
  supervisor.connect(wsPort.url(`/feed?token=${SECRET_QUERY}`), {
    id: 'feed',
    headers: { Authorization: `Bearer ${SECRET_HEADER}` },
  });
  supervisor.connect(wsPort.url('/prices'), { id: 'prices' });
  supervisor.connect(wsPort.url('/orders'), { id: 'orders' });
  supervisor.watch({ name: 'db', probe: async () => {}, pollIntervalMs: 700 });
  inspectorServer = await inspectorOn(inspector);
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => frames.push(String(payload))));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(`${inspectorServer.url}#actor=link:feed`);
  await page.waitForSelector('body[data-link="live"]', { timeout: PAGE_WORK_MS });
});

afterAll(async () => {
  await browser?.close();
  await inspectorServer?.close();
  await supervisor?.close();
  await ws?.stop();
  await inspectorPort?.stop();
  await wsPort?.stop();
});

describe('the inspector page in Chromium', () => {
  it('draws one chart per machine, with populations; the selected link lit; text of 11 px or more', async () => {
    for (const chart of ['connection', 'socket', 'watcher']) {
      // Generous: at load 20 the first charts took longer than 15 s to come.
      await page.waitForSelector(`section.chart-card[data-chart="${chart}"] svg.chart`, { timeout: 60_000 });
    }
    expect(await page.locator('svg.chart').count()).toBe(3);
    const expected: Record<string, string[]> = {
      socket: keysOf(socketMachine),
      connection: keysOf(connectionMachine),
      watcher: keysOf(watcherMachine),
    };
    for (const [chart, keys] of Object.entries(expected)) {
      const texts = await svgTexts(chart);
      for (const key of keys) expect(texts, `${chart} draws state ${key}`).toContain(key);
      expect(texts.length).toBe(keys.length);
    }
    await waitForState('link:feed', 'ready');
    await page.waitForSelector(lit('attempt.ready.beating'));
    await page.waitForFunction(
      () =>
        document
          .querySelector('section.chart-card[data-chart="connection"] g.state[data-path="attempt.ready"]')
          ?.getAttribute('data-count') === '3',
    );
    // Delayed transitions are labelled with their named delay.
    const labels = await page
      .locator('section.chart-card[data-chart="connection"] .edge-label text')
      .allTextContents();
    expect(labels).toContain('after reconnectDelay');
    expect(labels).toContain('after connectTimeout');
    expect(labels.some((l) => l.startsWith('transport.open'))).toBe(true);
    // link.terminate is one note, not an edge from every state.
    expect(labels).not.toContain('link.terminate');
    expect(
      await page.locator('section.chart-card[data-chart="connection"] ul.shared').textContent(),
    ).toContain('any state ─link.terminate→ closed');
    // A ws link is not in-process: those transitions are hidden for it.
    const hidden = await page.locator('svg.chart .edge-label text.ruled-out').allTextContents();
    expect(hidden).toEqual(expect.arrayContaining(['link.connect [isInProcess]']));
    expect(
      hidden.every((t) =>
        /isInProcess|hasHandshake|always$|^transport\.open \[|always \[autoConnect\]/.test(t),
      ),
    ).toBe(true);
    // Every chart text is drawn at 11 px or more on screen.
    const smallest = await page.evaluate(() =>
      Math.min(
        ...Array.from(document.querySelectorAll<SVGTextElement>('svg.chart text'))
          .filter((t) => t.getClientRects().length > 0 && (t.textContent ?? '') !== '')
          .map((t) => Number.parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.a ?? 0)),
      ),
    );
    expect(smallest).toBeGreaterThanOrEqual(11);
    await page.waitForTimeout(600);
    await page.screenshot({ path: 'artifacts/inspector.png' });
  });

  it('follows a link through a server bounce: ready → reconnecting → ready, with the reason and the socket edges', async () => {
    await ws.stop();
    await waitForState('link:feed', 'reconnecting');
    await page.waitForSelector(lit('reconnecting'));
    // The lit state is in view of its chart box.
    const inView = await page.evaluate(() => {
      const box = document.querySelector('section.chart-card[data-chart="connection"] .chart-box');
      const state = document.querySelector(
        'section.chart-card[data-chart="connection"] g.state.current',
      ) as SVGGElement | null;
      if (!box || !state) return false;
      const a = box.getBoundingClientRect();
      const b = state.getBoundingClientRect();
      return b.top >= a.top - 1 && b.bottom <= a.bottom + 1 && b.left >= a.left - 1 && b.right <= a.right + 1;
    });
    expect(inView).toBe(true);
    await page.waitForSelector('ol.socket-edges li.socket-down');
    await page.screenshot({ path: 'artifacts/inspector-reconnecting.png' });
    ws = await echo();
    await waitForState('link:feed', 'ready');
    await page.waitForSelector(lit('attempt.ready.beating'));
    const rows = page.locator('section.detail table.timeline tbody tr');
    const texts = await rows.allTextContents();
    const lost = texts.find(
      (t) => t.includes('reconnecting') && /closed with code|ECONNREFUSED|refused/.test(t),
    );
    expect(
      lost,
      `a timeline row into reconnecting with its reason, in ${JSON.stringify(texts.slice(0, 8))}`,
    ).toBeTruthy();
    // Newest first: the top row is the return to ready.
    expect(texts[0]).toMatch(/ready|beating/);
    // The supervisor's timeline: last link down, then first link up again (newest first).
    await page.waitForFunction(() => document.querySelectorAll('ol.socket-edges li.socket-up').length >= 2);
    const edges = await page.locator('ol.socket-edges li .event').allTextContents();
    expect(edges.slice(0, 3)).toEqual(['socket.up', 'socket.down', 'socket.up']);
    // The newest socket.down (a list can hold older ones).
    expect(await page.locator('ol.socket-edges li.socket-down .note').first().textContent()).toMatch(
      /last link down/,
    );
    await page.waitForTimeout(1_200);
    await page.screenshot({ path: 'artifacts/inspector-after-bounce.png' });
    for (const path of screenshotPaths('inspector.png')) await page.screenshot({ path });
    // The whole connection chart at its default size (a viewport large enough for it).
    await page.setViewportSize({ width: 2200, height: 1900 });
    await page.waitForTimeout(300);
    const chart = page.locator('section.chart-card[data-chart="connection"]');
    await chart.screenshot({ path: 'artifacts/inspector-link.png' });
    for (const path of screenshotPaths('inspector-link.png')) await chart.screenshot({ path });
    await page.setViewportSize({ width: 1440, height: 1000 });
  });

  it('never shows a token, and loads nothing from elsewhere', async () => {
    const html = await page.content();
    for (const secret of [SECRET_QUERY, SECRET_HEADER]) {
      expect(html).not.toContain(secret);
      expect(frames.join('\n')).not.toContain(secret);
    }
    expect(frames.some((f) => f.includes('/feed?token=[redacted]'))).toBe(true);
    const origin = new URL(inspectorServer.url).origin;
    for (const url of requests) expect(url.startsWith(`${origin}/`) || url.startsWith('data:')).toBe(true);
  });

  it('reconnects by itself when the inspector server restarts', async () => {
    const token = new URL(inspectorServer.url).searchParams.get('token') ?? '';
    const inspector = inspectorServer.inspector;
    const hellos = Number(await page.locator('body').getAttribute('data-hellos'));
    await inspectorServer.close();
    await page.waitForSelector('body[data-link="reconnecting"]', { timeout: PAGE_WORK_MS });
    inspectorServer = await inspectorOn(inspector, token);
    await page.waitForFunction((n) => Number(document.body.dataset.hellos) > n, hellos, {
      timeout: PAGE_WORK_MS,
    });
    await page.waitForSelector('body[data-link="live"]');
    await page.waitForSelector('section.detail[data-actor="link:feed"]');
    await page.waitForSelector('section.chart-card[data-chart="connection"] svg.chart');
  });

  // Last: it leaves the page failed. A browser's WebSocket never sees the upgrade's 401; the page
  // retried every ≤ 4 s for ever, "server unreachable". Now it asks over HTTP and stops, saying why.
  it('stops when the restarted inspector has another token, saying to open the printed URL', async () => {
    const inspector = inspectorServer.inspector;
    await inspectorServer.close();
    await page.waitForSelector('body[data-link="reconnecting"]', { timeout: PAGE_WORK_MS });
    inspectorServer = await inspectorOn(inspector);
    await page.waitForSelector('body[data-link="failed"]', { timeout: PAGE_WORK_MS });
    expect(await page.locator('.link-status').textContent()).toContain('open the URL the inspector printed');
  });
});
