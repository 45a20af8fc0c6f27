/**
 * A grace state on the live page, in headless Chromium: a real link whose upgrade is answered
 * while this process's event loop is blocked (the ws server runs in a child process and keeps
 * answering) times out connecting, and its open, read late, is taken in `connectGrace`: one of
 * the transitions the grace state repeats of `connecting`. The page draws those copies as a badge
 * on connectGrace, not as edges, so for that step it lights connecting's `transport.open` edge,
 * the badge, and outlines connectGrace as where the step came from; never nothing.
 * Screenshot: artifacts/inspector-grace.png.
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupervisor, type Supervisor } from '../../src/index.js';
import { createInspector, type InspectorServer, startInspector } from '../../src/inspector/index.js';
import { type AnswerServer, busyWait, startAnswerServer } from '../helpers/answer-server.js';
import { waitFor } from '../helpers/wait.js';
import { type Chromium, launchChromium, PAGE_WORK_MS } from './chromium.js';

/** The child answers the upgrade this late: well within the connect timeout. */
const ANSWER_DELAY_MS = 100;
const CONNECT_TIMEOUT_MS = 300;
/** Longer than the connect timeout plus the answer's delay, with room for a busy host. */
const STALL_MS = 1_500;

const CHART = 'section.chart-card[data-chart="connection"]';

let server: AnswerServer;
let supervisor: Supervisor;
let inspectorServer: InspectorServer;
let browser: Chromium;
let page: Page;

beforeAll(async () => {
  await mkdir('artifacts', { recursive: true });
  server = await startAnswerServer(ANSWER_DELAY_MS);
  const inspector = createInspector();
  supervisor = createSupervisor({
    inspect: inspector.inspect,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    closeTimeoutMs: 1_000,
    lingerMs: 1_000,
    // No heartbeat and a long stable wait: the late open stays the link's last step.
    heartbeat: false,
    backoff: { stableAfterMs: 600_000 },
  });
  let stalled = false;
  server.on('upgrade', () => {
    if (stalled) return;
    stalled = true;
    busyWait(STALL_MS);
  });
  supervisor.connect(server.url, { id: 'late' });
  // The scenario: the open was taken in connectGrace (else the test proves nothing).
  await waitFor(() => inspector.recordsOf('link:late').some((r) => r.to.startsWith('attempt.ready')), {
    message: 'the link ready',
    timeoutMs: 20_000,
  });
  const open = inspector.recordsOf('link:late').find((r) => r.event === 'transport.open');
  expect(open, 'the open was read after the connect timeout').toMatchObject({
    from: 'attempt.connectGrace',
    to: 'attempt.ready.unmonitored',
  });
  inspectorServer = await startInspector(supervisor, { inspector });
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.goto(`${inspectorServer.url}#actor=link:late`);
  await page.waitForSelector('body[data-link="live"]', { timeout: PAGE_WORK_MS });
  // The first charts come late on a loaded host (inspector.test.ts missed 15 s at load 20).
  await page.waitForSelector(`${CHART} svg.chart`, { timeout: 45_000 });
});

afterAll(async () => {
  await browser?.close();
  await inspectorServer?.close();
  await supervisor?.close();
  await server?.stop();
});

describe('a grace state on the live page', () => {
  it('draws connectGrace with its own edge and a badge for the copies of connecting', async () => {
    const grace = page.locator(`${CHART} g.state[data-path="attempt.connectGrace"]`);
    expect(await grace.locator('text.grace').allTextContents()).toEqual([
      'also as connecting on',
      'transport.open, link.close',
    ]);
    expect(await grace.getAttribute('data-grace-for')).toBe('attempt.connecting');
    expect(await grace.locator('title').textContent()).toContain('transport.open [resumes] → resuming');
    // Its only edge is its own I/O turn's; connecting draws the open.
    const own = page.locator(`${CHART} path.edge[data-source="attempt.connectGrace"]`);
    expect(await own.count()).toBe(1);
    expect(await own.getAttribute('class')).toContain('after');
    expect(
      await page
        .locator(`${CHART} path.edge[data-source="attempt.connecting"][data-target="attempt.ready"]`)
        .count(),
    ).toBe(1);
    // The grace state is a state like any other for the live population.
    expect(await grace.getAttribute('data-count')).toBe('0');
  });

  it("lights connecting's open, the badge and connectGrace for the late open, and the link where it is", async () => {
    await page.waitForSelector(`section.detail[data-actor="link:late"][data-state="ready"]`, {
      timeout: PAGE_WORK_MS,
    });
    await page.waitForSelector(`${CHART} g.state.current[data-path="attempt.ready.unmonitored"]`);
    const hot = page.locator(`${CHART} path.edge.hot`);
    await page.waitForSelector(`${CHART} path.edge.hot`);
    const lit = await hot.evaluateAll((paths) =>
      paths.map((p) => `${p.getAttribute('data-source')}→${p.getAttribute('data-target')}`),
    );
    expect(lit).toContain('attempt.connecting→attempt.ready');
    expect(lit.every((edge) => !edge.startsWith('attempt.connectGrace'))).toBe(true);
    await page.waitForSelector(`${CHART} g.state.via[data-path="attempt.connectGrace"]`);
    expect(
      await page.locator(`${CHART} g.state[data-path="attempt.connectGrace"] text.grace.hot`).count(),
    ).toBe(2);
    expect(await page.locator(`${CHART} g.state.via`).count()).toBe(1);
    await page.setViewportSize({ width: 2200, height: 1900 });
    await page.waitForTimeout(300);
    await page.locator(CHART).screenshot({ path: 'artifacts/inspector-grace.png' });
  });
});
