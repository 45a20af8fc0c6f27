/**
 * `npm run bench:inspector`: the inspector page in headless Chromium against 1,000 and 10,000
 * links on one supervisor, bouncing (bench/inspector-server.ts, a child process of plain `node`).
 * For each size:
 *
 *   first paint   from navigation to the first frame with the three charts and every link counted
 *                 in the connection chart's populations (median of 3 page loads; the hello's size)
 *   frames        animation-frame intervals over 10 s of bouncing (median, p95, max) and long
 *                 tasks (> 50 ms) in that time
 *   bytes         WebSocket bytes and batches per second received by the page over those 10 s,
 *                 and how many batches the server held back because the page was behind
 *   memory        the page's JS heap after a forced GC, and the server process's RSS
 *
 * Prints a table and rewrites the inspector part of BENCHMARKS.md. `--quick`: 300 and 2,000 links,
 * shorter windows (for trying the harness, not for the record).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/browser/chromium.js';
import { BENCH_DIR, startChild } from './child.js';
import { fmt, spliceResults, table } from './report.js';

const ROOT = path.resolve(BENCH_DIR, '..');
const QUICK = process.argv.includes('--quick');
const SIZES = QUICK ? [300, 2_000] : [1_000, 10_000];
const LOADS = QUICK ? 1 : 3;
const WINDOW_MS = QUICK ? 4_000 : 10_000;
const START =
  '<!-- bench:inspector:start (written by `npm run bench:inspector`; edit outside these markers) -->';
const END = '<!-- bench:inspector:end -->';

const log = (line: string) => process.stdout.write(`${line}\n`);
const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN;
};
const quantile = (values: number[], q: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

/** Waits until the page has drawn every link into the connection chart's populations. */
async function painted(page: Page, links: number): Promise<void> {
  await page.waitForFunction(
    (n) => {
      if (document.querySelectorAll('svg.chart').length < 3) return false;
      let total = 0;
      for (const path of [
        'idle',
        'attempt',
        'disconnected',
        'reconnecting',
        'suspended',
        'failed',
        'closed',
      ]) {
        const g = document.querySelector(
          `section.chart-card[data-chart="connection"] g.state[data-path="${path}"]`,
        );
        total += Number(g?.getAttribute('data-count') ?? 0);
      }
      return total === n;
    },
    links,
    { polling: 'raf', timeout: 120_000 },
  );
}

/** Animation-frame intervals and long tasks over WINDOW_MS, measured in the page. */
const FRAME_PROBE = `(async () => {
  const intervals = [];
  let longTasks = 0;
  const observer = new PerformanceObserver((list) => { longTasks += list.getEntries().length; });
  observer.observe({ type: 'longtask', buffered: false });
  await new Promise((resolve) => {
    let last = performance.now();
    const end = last + WINDOW_MS;
    const tick = (now) => {
      intervals.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick); else resolve();
    };
    requestAnimationFrame(tick);
  });
  observer.disconnect();
  return { intervals, longTasks };
})()`;

interface Result {
  links: number;
  readyMs: number;
  firstPaintMs: number[];
  /** Of which the page: from the hello's arrival to the frame that drew it. */
  pageMs: number[];
  helloBytes: number;
  frames: { median: number; p95: number; max: number; longTasks: number };
  bytesPerSecond: number;
  batchesPerSecond: number;
  held: number;
  heapMiB: number;
  domElements: number;
  serverRssMiB: number;
}

async function measure(links: number): Promise<Result> {
  const child = startChild('inspector-server.ts', [String(links)]);
  const { url, readyMs } = await child.next<{ url: string; readyMs: number }>('ready', 180_000);
  // The page's script is bundled on its first request when running from source (a built package
  // ships it prebuilt): fetch it once before measuring.
  await fetch(url.replace('/?', '/client.js?'));
  const browser = await launchChromium();
  try {
    const firstPaintMs: number[] = [];
    const pageMs: number[] = [];
    let helloBytes = 0;
    for (let load = 0; load < LOADS; load++) {
      const page = await browser.context.newPage();
      page.on('websocket', (ws) =>
        ws.on('framereceived', ({ payload }) => {
          if (helloBytes === 0 && String(payload).startsWith('{"type":"hello"')) helloBytes = payload.length;
        }),
      );
      const t0 = performance.now();
      await page.goto(url);
      await painted(page, links);
      firstPaintMs.push(performance.now() - t0);
      pageMs.push(Number(await page.evaluate(() => document.body.dataset.helloMs)));
      if (load < LOADS - 1) await page.close();
    }
    // Steady state: the last page, links bouncing, nothing selected but the supervisor.
    const page = browser.context.pages().at(-1) as Page;
    let bytes = 0;
    let batches = 0;
    let held = 0;
    page.on('websocket', () => {});
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    cdp.on('Network.webSocketFrameReceived', ({ response }) => {
      bytes += response.payloadData.length;
      if (response.payloadData.startsWith('{"type":"batch"')) {
        batches++;
        const m = /"held":(\d+)\}$/.exec(response.payloadData);
        held += Number(m?.[1] ?? 0);
      }
    });
    // As source text: the tsx loader would wrap named functions with a helper the page lacks.
    const frames = (await page.evaluate(FRAME_PROBE.replace('WINDOW_MS', String(WINDOW_MS)))) as {
      intervals: number[];
      longTasks: number;
    };
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    const domElements = await page.evaluate(() => document.querySelectorAll('*').length);
    child.send({ type: 'stats' });
    const stats = await child.next<{ rss: number }>('stats');
    return {
      links,
      readyMs,
      firstPaintMs,
      pageMs,
      helloBytes,
      frames: {
        median: median(frames.intervals),
        p95: quantile(frames.intervals, 0.95),
        max: Math.max(...frames.intervals),
        longTasks: frames.longTasks,
      },
      bytesPerSecond: (bytes * 1000) / WINDOW_MS,
      batchesPerSecond: (batches * 1000) / WINDOW_MS,
      held,
      heapMiB: heap.usedSize / 1024 ** 2,
      domElements,
      serverRssMiB: stats.rss / 1024 ** 2,
    };
  } finally {
    await browser.close();
    await child.stop();
  }
}

const started = performance.now();
log(`inspector benchmark${QUICK ? ' (--quick: not for the record)' : ''}: ${SIZES.join(', ')} links`);
const results: Result[] = [];
for (const links of SIZES) {
  log(`  ${links} links…`);
  results.push(await measure(links));
}
const rows = results.map((r) => [
  fmt(r.links),
  `${fmt(median(r.firstPaintMs))} (${r.firstPaintMs.map((v) => fmt(v)).join(', ')})`,
  fmt(median(r.pageMs)),
  `${fmt(r.helloBytes / 1024)} KiB`,
  `${fmt(r.frames.median, 1)} / ${fmt(r.frames.p95, 1)} / ${fmt(r.frames.max)}`,
  fmt(r.frames.longTasks),
  `${fmt(r.bytesPerSecond / 1024, 1)} KiB/s`,
  fmt(r.batchesPerSecond, 1),
  fmt(r.held),
  `${fmt(r.heapMiB, 1)} MiB`,
  fmt(r.domElements),
  `${fmt(r.serverRssMiB)} MiB`,
]);
const header = [
  'links',
  'first paint, ms (median of loads)',
  'of which the page, ms',
  'hello',
  'frame ms: median / p95 / max',
  'long tasks',
  'received',
  'batches/s',
  'held',
  'page heap',
  'DOM elements',
  'server RSS',
];
const output = table(
  header,
  rows,
  header.map(() => 'r'),
);
log(output);
const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ${fmt(os.totalmem() / 1024 ** 3)} GiB, Node ${process.version}`;
const generated = [
  `Run of ${new Date().toISOString().slice(0, 10)}${QUICK ? ' (--quick)' : ''}, ${fmt((performance.now() - started) / 1000)} s in all. ${machine}; Chromium headless (software rendering), the server in its own process.`,
  '',
  `Links bouncing all the time (one in 20 dropped every 1.5 s, back after a jittered 1–8 s); ${WINDOW_MS / 1000} s windows. "held": batches the server did not send because the page had not acknowledged the previous ones (their changes went into the next).`,
  '',
  output,
].join('\n');
if (!QUICK) {
  const file = path.join(ROOT, 'BENCHMARKS.md');
  const existing = readFileSync(file, 'utf8');
  writeFileSync(file, spliceResults(existing, generated, existing, { start: START, end: END }));
  log('BENCHMARKS.md updated');
}
process.exit(0);
