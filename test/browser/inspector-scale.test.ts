/**
 * The inspector page at scale, in headless Chromium: 2,000 links on the memory transport, bouncing,
 * plus two watchers, on one supervisor. The page draws the three charts once each, with the
 * population of each state; filtering narrows the virtualised list; selecting a link lights its
 * state in the connection chart; and the DOM stays small.
 *
 * DOM bound: 5,000 elements for the whole page — the page's frame and three charts (~700), the
 * list's rows in view (~40 × 3), a selected actor's timeline at its 200 rows (~1,800), and room.
 * One connection chart alone has ~200 elements (measured below), so one chart per actor would need
 * 2,000 × that: over 50 times the bound. Screenshot: docs/inspector-2000.png.
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupervisor, type Supervisor } from '../../src/index.js';
import { createInspector, type InspectorServer, startInspector } from '../../src/inspector/index.js';
import { createMemoryNetwork, type MemoryServer } from '../../src/testing/index.js';
import { waitFor } from '../helpers/wait.js';
import { type Chromium, launchChromium } from './chromium.js';
import { screenshotPaths } from './docs-screenshot.js';

const LINKS = 2_000;
const DOM_BOUND = 5_000;
/** The top-level states of the connection chart: each link is in exactly one. */
const TOP_LEVEL_STATES = [
  'idle',
  'attempt',
  'disconnected',
  'reconnecting',
  'suspended',
  'rejoining',
  'coolingDown',
  'failed',
  'closed',
];

let supervisor: Supervisor;
let memory: MemoryServer;
let inspectorServer: InspectorServer;
let browser: Chromium;
let page: Page;
let bouncer: ReturnType<typeof setInterval> | undefined;

const count = (chart: string, path: string) =>
  page
    .locator(`section.chart-card[data-chart="${chart}"] g.state[data-path="${path}"]`)
    .getAttribute('data-count')
    .then(Number);

beforeAll(async () => {
  await mkdir('artifacts', { recursive: true });
  const network = createMemoryNetwork({ inProcess: false });
  memory = network.listen('mem://market');
  const inspector = createInspector();
  supervisor = createSupervisor({
    transport: network.transport,
    inspect: inspector.inspect,
    heartbeat: false,
    backoff: { initialDelayMs: 1_000, maxDelayMs: 8_000, jitter: 'full', stableAfterMs: 60_000 },
    // Restart intensity off: the bouncer loses each link every ~6 s, so the default (more than 5
    // restarts within 60 s) cools links down for 30 s from ~25 s into the bouncing, and the ready
    // share drifts below half (measured on this fixture: 1,742 of 2,000 ready at 8 s, 772 at 48 s
    // with 868 cooling down). Off, the mix is steady (~85 % ready), whenever a loaded host gets to
    // a check: a check 45 s late failed "more than half ready" with it on.
    intensity: false,
  });
  const links = Array.from({ length: LINKS - 3 }, (_, i) =>
    supervisor.connect('mem://market', { id: `l${i}` }),
  );
  // A service with three endpoints: links link:eu/0 … link:eu/2, a group of the socket chart.
  links.push(
    ...supervisor.connectGroup(['mem://market', 'mem://market', 'mem://market'], { id: 'eu' }).links,
  );
  supervisor.watch({ name: 'postgres', probe: async () => {}, pollIntervalMs: 2_000 });
  supervisor.watch({
    name: 'redis',
    probe: async () => {
      throw new Error('ECONNREFUSED 127.0.0.1:6379');
    },
    pollIntervalMs: 2_000,
    backoff: { initialDelayMs: 200, maxDelayMs: 1_000, maxAttempts: 3 },
  });
  await waitFor(() => links.every((link) => link.state === 'ready'), {
    message: 'all ready',
    timeoutMs: 60_000,
  });
  // Bouncing: every 1.5 s a quarter of the links lose their connection.
  let round = 0;
  bouncer = setInterval(() => {
    round++;
    for (const [i, peer] of memory.peers.entries()) if ((i + round) % 4 === 0) peer.terminate();
  }, 1_500);
  inspectorServer = await startInspector(supervisor, { inspector });
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.goto(inspectorServer.url);
  await page.waitForSelector('body[data-link="live"]', { timeout: 30_000 });
}, 120_000);

afterAll(async () => {
  clearInterval(bouncer);
  await browser?.close();
  await inspectorServer?.close();
  await supervisor?.close();
  memory?.close();
});

describe(`the inspector page with ${LINKS.toLocaleString('en')} links`, () => {
  it('draws each chart once, with the population of each state', async () => {
    for (const chart of ['connection', 'socket', 'watcher']) {
      await page.waitForSelector(`section.chart-card[data-chart="${chart}"] svg.chart`, { timeout: 30_000 });
    }
    expect(await page.locator('svg.chart').count()).toBe(3);
    // Every link is in exactly one top-level state of the connection chart (machines/
    // connection.machine.ts), rejoining and coolingDown included: a link can be in them, and a
    // total without them falls short while one is there.
    await page.waitForFunction(
      ({ n, paths }) => {
        let total = 0;
        for (const path of paths) {
          const g = document.querySelector(
            `section.chart-card[data-chart="connection"] g.state[data-path="${path}"]`,
          );
          total += Number(g?.getAttribute('data-count') ?? 0);
        }
        return total === n;
      },
      { n: LINKS, paths: TOP_LEVEL_STATES },
      { timeout: 30_000 },
    );
    expect(await count('socket', 'open')).toBe(1);
    // One page task: a watcher moving between two reads (redis: starting → down) would be counted
    // twice or not at all.
    expect(
      await page.evaluate(() =>
        ['ready', 'starting', 'down']
          .map((path) =>
            Number(
              document
                .querySelector(`section.chart-card[data-chart="watcher"] g.state[data-path="${path}"]`)
                ?.getAttribute('data-count'),
            ),
          )
          .reduce((a, b) => a + b, 0),
      ),
    ).toBe(2);
    // Bouncing: some links are waiting to reconnect while the rest are ready; both are shown.
    await page.waitForFunction(
      () =>
        Number(
          document
            .querySelector('section.chart-card[data-chart="connection"] g.state[data-path="reconnecting"]')
            ?.getAttribute('data-count'),
        ) > 0,
      undefined,
      { timeout: 30_000 },
    );
    // The count and its text in one page task: 2,000 bouncing links move between two reads.
    const ready = await page.evaluate(() => {
      const g = document.querySelector(
        'section.chart-card[data-chart="connection"] g.state[data-path="attempt.ready"]',
      );
      return {
        n: Number(g?.getAttribute('data-count')),
        text: g?.querySelector(':scope > text.pop')?.textContent,
      };
    });
    expect(ready.text).toMatch(/^\d{1,3}(,\d{3})*( · [\d.]+\/s)?$/);
    expect(ready.n, ready.text ?? '').toBeGreaterThan(LINKS / 2);
  });

  it('filters the list by name, state and group; the list is virtualised and in natural order', async () => {
    const list = page.locator('section.actor-list');
    await page.waitForFunction(
      () => Number(document.querySelector('section.actor-list')?.getAttribute('data-shown')) >= 2_000,
    );
    const rows = list.locator('.viewport .row:not([hidden])');
    expect(await rows.count()).toBeLessThan(80);
    const first = await rows.locator('.id').allTextContents();
    expect(first.slice(0, 6)).toEqual([
      'link:eu/0',
      'link:eu/1',
      'link:eu/2',
      'link:l0',
      'link:l1',
      'link:l2',
    ]);

    await list.locator('input.name-filter').fill('l19');
    const matching = Array.from({ length: LINKS - 3 }, (_, i) => `l${i}`).filter((id) =>
      id.includes('l19'),
    ).length;
    await page.waitForFunction(
      (n) => document.querySelector('section.actor-list')?.getAttribute('data-shown') === String(n),
      matching,
    );
    const ids = await rows.locator('.id').allTextContents();
    expect(ids.slice(0, 3)).toEqual(['link:l19', 'link:l190', 'link:l191']);
    await list.locator('input.name-filter').fill('');

    await list.locator('select.group-filter').selectOption('watchers');
    await page.waitForFunction(
      () => document.querySelector('section.actor-list')?.getAttribute('data-shown') === '2',
    );
    await list.locator('select.group-filter').selectOption('');

    // A state clicked in the chart lists the actors in it.
    await page
      .locator('section.chart-card[data-chart="connection"] g.state[data-path="attempt.ready"] > rect.box')
      .click({ position: { x: 14, y: 10 }, force: true });
    const shown = Number(await list.getAttribute('data-shown'));
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(LINKS + 3);
    const states = await rows.locator('.badge').allTextContents();
    expect(new Set(states)).toEqual(new Set(['ready']));
    // Clicked in the page: every list update (every frame, with 2,000 links bouncing) draws the
    // pill's ✕ anew, so a locator click never found it stable (a run at load 20 timed out after
    // 21 detached retries).
    await page.evaluate(() =>
      document.querySelector<HTMLElement>('section.actor-list .state-pill button')?.click(),
    );
    await page.waitForFunction(
      () => (document.querySelector('section.actor-list .state-pill') as HTMLElement | null)?.hidden === true,
    );
  });

  it('selecting a link lights its state in the one connection chart and shows its timeline', async () => {
    await page.locator('section.actor-list input.name-filter').fill('l1234');
    await page.locator('section.actor-list .viewport .row[data-actor="link:l1234"]').click();
    await page.waitForSelector('section.detail[data-actor="link:l1234"] table.timeline tbody tr');
    // Both read in one page task: one frame draws the detail and the lit state together, and
    // with 2,000 links bouncing the link can move on between two separate reads (a CI run read
    // its state, then the next frame's lit state).
    const { state, lit } = await page.evaluate(() => ({
      state: document.querySelector<HTMLElement>('section.detail')?.dataset.state ?? null,
      lit: Array.from(
        document.querySelectorAll('section.chart-card[data-chart="connection"] g.state.current'),
        (g) => g.getAttribute('data-path'),
      ),
    }));
    expect(lit, `lit for state ${state}`).toHaveLength(1);
    expect(lit[0]?.split('.'), `lit for state ${state}`).toContain(state ?? '?');
    // Its configuration rules out the in-process transitions: hidden for it.
    expect(await page.locator('svg.chart text.ruled-out, svg.chart path.ruled-out').count()).toBeGreaterThan(
      0,
    );
    await page.locator('section.actor-list input.name-filter').fill('');
  });

  it(`keeps the DOM under ${DOM_BOUND.toLocaleString('en')} elements`, async () => {
    const { total, chart } = await page.evaluate(() => ({
      total: document.querySelectorAll('*').length,
      chart: document.querySelectorAll('section.chart-card[data-chart="connection"] svg.chart *').length,
    }));
    expect(total).toBeLessThan(DOM_BOUND);
    // One connection chart per link would need this many elements for the charts alone.
    expect(chart * LINKS).toBeGreaterThan(DOM_BOUND * 50);
    // At a desktop size, where most of the connection chart fits at its actual size.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.locator('section.actor-list .viewport').evaluate((el) => {
      el.scrollTop = 0;
    });
    // A link waiting to reconnect selected: its chart shows the lower half, where the bounce is.
    // In one page task: the list redraws its chips and rows on every update of 2,000 bouncing
    // links, so a chip or a row found by one step could be gone by the next.
    const picked = await page.evaluate(async () => {
      const list = document.querySelector('section.actor-list') as HTMLElement;
      const chip = () => list.querySelector<HTMLElement>('.state-chip[data-state="reconnecting"]');
      const deadline = Date.now() + 20_000;
      while (!chip() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      chip()?.click();
      // The filtered list may draw its rows a frame after the chip's click (a CI run found none
      // right after it): wait for a row, then read it and click in one go, with no await between.
      const visibleRow = () => list.querySelector<HTMLElement>('.viewport .row:not([hidden])');
      while (!visibleRow() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const row = visibleRow();
      // Read before the clicks: the list reuses its row elements for whatever it shows next.
      const state = row?.dataset.state ?? null;
      row?.click();
      chip()?.click();
      return state;
    });
    expect(picked).toBe('reconnecting');
    await page.waitForTimeout(600);
    for (const path of screenshotPaths('inspector-2000.png')) await page.screenshot({ path });
  });
});
