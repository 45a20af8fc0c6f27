/**
 * The inspector page in headless Chromium, against a real supervisor: two links to a loopback
 * ws server and a watcher. Every actor's chart is drawn from its machine (each state's name is
 * SVG text); a link's lit state goes ready → reconnecting → ready when the test bounces the
 * server, and the timeline shows why; nothing secret reaches the page; the page finds a
 * restarted inspector by itself. Screenshots: artifacts/inspector*.png and docs/inspector.png.
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
import { startWsServer, type WsTestServer } from '../helpers/servers.js';
import { type Chromium, launchChromium } from './chromium.js';

const SECRET_QUERY = 'SECRET-QUERY-7f3a9c';
const SECRET_HEADER = 'SECRET-HEADER-b41d2e';

let ws: WsTestServer;
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

async function svgTexts(actor: string): Promise<string[]> {
  return page.locator(`section.panel[data-actor="${actor}"] svg.chart .state > text.name`).allTextContents();
}

async function waitForState(actor: string, state: string, timeout = 15_000): Promise<void> {
  await page.waitForSelector(`section.panel[data-actor="${actor}"][data-state="${state}"]`, { timeout });
}

beforeAll(async () => {
  await mkdir('artifacts', { recursive: true });
  ws = await startWsServer({ onConnection: (socket) => socket.on('message', (data) => socket.send(data)) });
  const inspector = createInspector();
  supervisor = createSupervisor({
    inspect: inspector.inspect,
    backoff: { initialDelayMs: 400, maxDelayMs: 800, jitter: 'none', stableAfterMs: 1_000 },
    connectTimeoutMs: 2_000,
    closeTimeoutMs: 1_000,
    lingerMs: 1_000,
    heartbeat: { intervalMs: 400, timeoutMs: 400 },
  });
  supervisor.connect(`${ws.url}/feed?token=${SECRET_QUERY}`, {
    id: 'feed',
    headers: { Authorization: `Bearer ${SECRET_HEADER}` },
  });
  supervisor.connect(`${ws.url}/prices`, { id: 'prices' });
  supervisor.watch({ name: 'db', probe: async () => {}, pollIntervalMs: 700 });
  inspectorServer = await startInspector(supervisor, { inspector });
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => frames.push(String(payload))));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(inspectorServer.url);
  await page.waitForSelector('body[data-link="live"]', { timeout: 15_000 });
});

afterAll(async () => {
  await browser?.close();
  await inspectorServer?.close();
  await supervisor?.close();
  await ws?.stop();
});

describe('the inspector page in Chromium', () => {
  it('draws every actor chart from its machine, with the active state lit', async () => {
    for (const actor of ['socket', 'link:feed', 'link:prices', 'watcher:db']) {
      await page.waitForSelector(`section.panel[data-actor="${actor}"] svg.chart`, { timeout: 15_000 });
    }
    const expected: Record<string, string[]> = {
      socket: keysOf(socketMachine),
      'link:feed': keysOf(connectionMachine),
      'link:prices': keysOf(connectionMachine),
      'watcher:db': keysOf(watcherMachine),
    };
    for (const [actor, keys] of Object.entries(expected)) {
      const texts = await svgTexts(actor);
      for (const key of keys) expect(texts, `${actor} draws state ${key}`).toContain(key);
      expect(texts.length).toBe(keys.length);
    }
    await waitForState('link:feed', 'ready');
    await page.waitForSelector(
      'section.panel[data-actor="link:feed"] g.state.active[data-path="attempt.ready"]',
    );
    // Delayed transitions are labelled with their named delay.
    const labels = await page
      .locator('section.panel[data-actor="link:feed"] .edge-label text')
      .allTextContents();
    expect(labels).toContain('after reconnectDelay');
    expect(labels).toContain('after connectTimeout');
    expect(labels.some((l) => l.startsWith('transport.open'))).toBe(true);
    await page.waitForTimeout(600);
    await page.screenshot({ path: 'artifacts/inspector.png' });
    await page.screenshot({ path: 'artifacts/inspector-full.png', fullPage: true });
  });

  it('follows a link through a server bounce: ready → reconnecting → ready, with the reason', async () => {
    const port = ws.port;
    await ws.stop();
    await waitForState('link:feed', 'reconnecting');
    await page.waitForSelector(
      'section.panel[data-actor="link:feed"] g.state.current[data-path="reconnecting"]',
    );
    await page.screenshot({ path: 'artifacts/inspector-reconnecting.png' });
    ws = await startWsServer({
      port,
      onConnection: (socket) => socket.on('message', (data) => socket.send(data)),
    });
    await waitForState('link:feed', 'ready');
    await page.waitForSelector(
      'section.panel[data-actor="link:feed"] g.state.current[data-path="attempt.ready.beating"]',
    );
    const rows = page.locator('section.panel[data-actor="link:feed"] table.timeline tbody tr');
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
    const reasons = await page.locator('section.panel[data-actor="link:feed"] td.reason').allTextContents();
    expect(reasons.some((r) => r.length > 0)).toBe(true);
    await page.screenshot({ path: 'artifacts/inspector-after-bounce.png' });
    await page.screenshot({ path: 'docs/inspector.png' });
    // The CSP refuses inline style (as it should); the CSSOM may still unstick the top bar.
    await page.locator('header.top').evaluate((el) => {
      (el as HTMLElement).style.position = 'static';
    });
    const panel = page.locator('section.panel[data-actor="link:feed"]');
    await panel.screenshot({ path: 'artifacts/inspector-link.png' });
    await panel.screenshot({ path: 'docs/inspector-link.png' });
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
    const { port } = inspectorServer;
    const token = new URL(inspectorServer.url).searchParams.get('token') ?? '';
    const inspector = inspectorServer.inspector;
    const hellos = Number(await page.locator('body').getAttribute('data-hellos'));
    await inspectorServer.close();
    await page.waitForSelector('body[data-link="reconnecting"]', { timeout: 10_000 });
    inspectorServer = await startInspector(supervisor, { inspector, port, token });
    await page.waitForFunction((n) => Number(document.body.dataset.hellos) > n, hellos, { timeout: 15_000 });
    await page.waitForSelector('body[data-link="live"]');
    await page.waitForSelector('section.panel[data-actor="link:feed"] svg.chart');
  });
});
