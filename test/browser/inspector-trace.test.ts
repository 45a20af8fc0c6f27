/**
 * Session traces in the inspector page, in headless Chromium, over a real supervisor and a real
 * `ws` server on 127.0.0.1: the page's "record" button records what the supervisor does while a
 * link bounces (a 1012 restart) and then fails (a 1008 policy close); "save trace" downloads it;
 * the file parses, replays identically and holds no secret of the link's URL or headers (raw,
 * percent-encoded or base64). The page then opens that file and steps through it (buttons,
 * keyboard, scrubber, "step N"): at every step visited, each chart's populations and the lit state
 * of the selected actor are those of `traceStepAt(trace, n)`. A page that goes away stops its
 * recording. A server with no supervisor (`startInspector(null, { trace })`) opens the trace at
 * once. Screenshot: docs/inspector-trace.png.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupervisor, type Supervisor } from '../../src/index.js';
import { createInspector, type InspectorServer, startInspector } from '../../src/inspector/index.js';
import { replayTrace } from '../../src/testing/index.js';
import { parseTrace, type Trace } from '../../src/trace/trace-format.js';
import { statePaths, traceStepAt } from '../../src/trace/trace-steps.js';
import { startWsServer, type WsTestServer } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';
import { type Chromium, launchChromium, PAGE_WORK_MS } from './chromium.js';
import { screenshotPaths } from './docs-screenshot.js';

const SECRET_QUERY = 'TRACE-SECRET-q8Zr41';
const SECRET_HEADER = 'TRACE-SECRET-h5Kp07';

let ws: WsTestServer;
let supervisor: Supervisor;
/** What afterAll undoes, newest first. */
const cleanups: (() => Promise<unknown>)[] = [];
/** The trace the page downloads, as text and parsed. */
let text = '';
let trace: Trace;
let inspectorServer: InspectorServer;
let browser: Chromium;
let page: Page;

/** Observers the supervisor feeds (a recording that was not stopped would stay here). */
const observers = () => (supervisor as unknown as { observers: Set<unknown> }).observers.size;

/** What the page shows at the current step: each chart's counts and the lit (current) states. */
async function shown(): Promise<{
  step: number;
  selected: string;
  counts: Record<string, Record<string, number>>;
  lit: Record<string, string[]>;
}> {
  return page.evaluate(() => {
    const counts: Record<string, Record<string, number>> = {};
    const lit: Record<string, string[]> = {};
    for (const card of Array.from(document.querySelectorAll('section.chart-card'))) {
      const chart = (card as HTMLElement).dataset.chart ?? '';
      counts[chart] = {};
      lit[chart] = [];
      for (const g of Array.from(card.querySelectorAll('g.state[data-path]'))) {
        const path = g.getAttribute('data-path') ?? '';
        const n = Number(g.getAttribute('data-count') ?? 0);
        if (n > 0) (counts[chart] as Record<string, number>)[path] = n;
        if (g.classList.contains('current')) lit[chart]?.push(path);
      }
    }
    return {
      step: Number(document.body.dataset.step),
      selected: (document.querySelector('section.detail') as HTMLElement | null)?.dataset.actor ?? '',
      counts,
      lit,
    };
  });
}

/** The page at step n equals `traceStepAt(trace, n)`: populations of every chart, and the
 * selected actor (the one that moved, with "follow" on) lit in its state. */
async function expectStep(n: number): Promise<void> {
  await page.waitForSelector(`body[data-step="${n}"]`);
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  const expected = traceStepAt(trace, n);
  if (!expected) throw new Error(`no step ${n}`);
  const got = await shown();
  expect(got.step).toBe(n);
  for (const chart of ['connection', 'socket']) {
    expect(got.counts[chart], `populations of ${chart} at step ${n}`).toEqual(
      expected.populations[chart] ?? {},
    );
  }
  expect(got.selected).toBe(expected.actor);
  const actor = expected.actors[expected.actor];
  if (!actor) throw new Error('no actor');
  const leaf = statePaths(actor.value).at(-1);
  expect(got.lit[actor.machine], `lit state of ${expected.actor} at step ${n}`).toEqual([leaf]);
}

beforeAll(async () => {
  let connections = 0;
  ws = await startWsServer({
    onConnection: (socket, request) => {
      socket.on('message', (data) => socket.send(data));
      if (!request.url?.startsWith('/feed')) return;
      // The feed's first connection is restarted (a bounce), its second closed for good (1008).
      const n = ++connections;
      if (n === 1) setTimeout(() => socket.close(1012, 'restart'), 300);
      if (n === 2) setTimeout(() => socket.close(1008, 'policy'), 300);
    },
  });
  const inspector = createInspector();
  supervisor = createSupervisor({
    inspect: inspector.inspect,
    seed: 7,
    backoff: { initialDelayMs: 50, maxDelayMs: 200, stableAfterMs: 60_000 },
    heartbeat: { intervalMs: 60_000, timeoutMs: 10_000 },
    connectTimeoutMs: 10_000,
  });
  cleanups.push(
    () => ws.stop(),
    () => supervisor.close(),
  );
  inspectorServer = await startInspector(supervisor, { inspector });
  cleanups.push(() => inspectorServer.close());
  browser = await launchChromium();
  cleanups.push(() => browser.close());
  page = await browser.context.newPage();
  await page.goto(inspectorServer.url);
  await page.waitForSelector('body[data-link="live"]', { timeout: PAGE_WORK_MS });
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('session traces in the inspector page', () => {
  it('"record" then "save trace" downloads what the supervisor did: it parses, replays identically, holds no secret', async () => {
    await page.click('button.record');
    await page.waitForSelector('body[data-recording="true"]');
    expect(inspectorServer.recordings()).toBe(1);
    supervisor.connect(`${ws.url}/prices`, { id: 'prices' });
    const feed = supervisor.connect(`${ws.url}/feed?token=${SECRET_QUERY}`, {
      id: 'feed',
      headers: { Authorization: `Bearer ${SECRET_HEADER}` },
    });
    await waitFor(() => feed.state === 'failed', { timeoutMs: 20_000, message: 'the feed failed (1008)' });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button.record')]);
    const path = await download.path();
    if (!path) throw new Error('no download');
    text = await readFile(path, 'utf8');
    expect(download.suggestedFilename()).toMatch(/^linkvisor-.*\.jsonl$/);
    expect(inspectorServer.recordings()).toBe(0);
    expect(observers()).toBe(0);

    trace = parseTrace(text);
    const closes = trace.records.flatMap((r) =>
      r.kind === 'event' && r.actor === 'link:feed' && r.event.type === 'transport.closed'
        ? [(r.event.reason as { code?: number }).code]
        : [],
    );
    expect(closes).toEqual([1012, 1008]);
    const result = await replayTrace(trace);
    expect(result.message).toMatch(/^replay identical/);

    // Nor the inspector's own token (the key to the page).
    const pageToken = new URL(inspectorServer.url).searchParams.get('token') ?? '';
    expect(pageToken.length).toBeGreaterThan(15);
    for (const secret of [SECRET_QUERY, SECRET_HEADER, pageToken]) {
      for (const form of [
        secret,
        encodeURIComponent(`token=${secret}`),
        Buffer.from(secret).toString('base64'),
        Buffer.from(`Bearer ${secret}`).toString('base64'),
        Buffer.from(secret).toString('base64url'),
      ]) {
        expect(text.includes(form), `the trace holds ${form}`).toBe(false);
      }
      expect(text.toLowerCase().includes(secret.toLowerCase())).toBe(false);
    }
  }, 60_000);

  it('a page that goes away stops its recording', async () => {
    const other = await browser.context.newPage();
    await other.goto(inspectorServer.url);
    await other.waitForSelector('body[data-link="live"]', { timeout: PAGE_WORK_MS });
    await other.click('button.record');
    await other.waitForSelector('body[data-recording="true"]');
    expect(inspectorServer.recordings()).toBe(1);
    expect(observers()).toBe(1);
    await other.close();
    await waitFor(() => inspectorServer.recordings() === 0 && observers() === 0, {
      timeoutMs: 15_000,
      message: 'the recording of a closed page stopped',
    });
  });

  it('opens the trace and steps through it: populations and the lit state equal traceStepAt at each step', async () => {
    expect(trace.records.length).toBeGreaterThan(10);
    await page.setInputFiles('input[type=file]', {
      name: 'session.jsonl',
      mimeType: 'application/jsonl',
      buffer: Buffer.from(text),
    });
    await page.waitForSelector('body[data-mode="trace"]');
    await expectStep(0);
    const last = trace.records.length - 1;
    // Forward with the button and the keyboard, back with the keyboard.
    await page.click('button.step-forward');
    await expectStep(1);
    await page.keyboard.press('ArrowRight');
    await expectStep(2);
    await page.keyboard.press('ArrowLeft');
    await expectStep(1);
    // Jump to the step where the feed was bounced, then where it failed: "step N" and the scrubber.
    const bounced = trace.records.findIndex(
      (r) => r.kind === 'event' && r.actor === 'link:feed' && r.to === 'reconnecting',
    );
    expect(bounced).toBeGreaterThan(0);
    await page.fill('input.step-input', String(bounced));
    await page.press('input.step-input', 'Enter');
    await expectStep(bounced);
    for (const path of screenshotPaths('inspector-trace.png')) await page.screenshot({ path });
    await page.locator('input.scrubber').evaluate((el, n) => {
      (el as HTMLInputElement).value = String(n);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, last);
    await expectStep(last);
    expect(await page.locator('button.step-forward').isDisabled()).toBe(true);
    await page.click('button.step-back');
    await expectStep(last - 1);
    // The selected actor's timeline stops at the step shown.
    const failedAt = trace.records.findIndex(
      (r) => r.kind === 'event' && r.actor === 'link:feed' && r.to === 'failed',
    );
    await page.fill('input.step-input', String(failedAt - 1));
    await page.press('input.step-input', 'Enter');
    await expectStep(failedAt - 1);
    await page.click('.row[data-actor="link:feed"]');
    await page.waitForSelector('section.detail[data-actor="link:feed"]');
    const before = await page.locator('section.detail table.timeline tbody tr').allTextContents();
    expect(before.some((row) => row.includes('failed'))).toBe(false);
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector(`body[data-step="${failedAt}"]`);
    await page.waitForSelector(
      'section.chart-card[data-chart="connection"] g.state.current[data-path="failed"]',
    );
    // Back to live: the live supervisor's populations again.
    await page.click('button.leave-trace');
    await page.waitForSelector('body[data-mode="live"]');
    await page.waitForFunction(
      () =>
        document
          .querySelector('section.chart-card[data-chart="connection"] g.state[data-path="failed"]')
          ?.getAttribute('data-count') === '1',
    );
    // A file dropped on the page opens too; a file that is not a trace says which line is wrong.
    const drop = (name: string, content: string) =>
      page.evaluate(
        ([fileName, body]) => {
          const data = new DataTransfer();
          data.items.add(new File([body as string], fileName as string));
          document.body.dispatchEvent(
            new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }),
          );
        },
        [name, content],
      );
    await drop('dropped.jsonl', text);
    await page.waitForSelector('body[data-mode="trace"][data-step="0"]');
    await page.click('button.leave-trace');
    await drop('notes.jsonl', 'not a trace\n');
    await page.waitForSelector('.notice.bad:has-text("notes.jsonl: trace: line 1 is not JSON")');
    expect(await page.getAttribute('body', 'data-mode')).toBe('live');
  }, 60_000);

  it('a server with no supervisor serves the page on a trace: it opens at once, offline', async () => {
    const offline = await startInspector(null, { trace: text });
    try {
      const other = await browser.context.newPage();
      await other.goto(offline.url);
      await other.waitForSelector('body[data-mode="trace"][data-step="0"]', { timeout: PAGE_WORK_MS });
      await other.waitForSelector('section.chart-card[data-chart="socket"] g.state.populated');
      expect(await other.locator('button.record').isHidden()).toBe(true);
      await other.close();
    } finally {
      await offline.close();
    }
  });
});
