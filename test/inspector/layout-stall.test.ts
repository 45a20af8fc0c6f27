/**
 * The inspector must never hurt the links it watches: laying out the charts (elkjs, 0.3–5 s for
 * the connection chart, by load) runs in a worker thread, so the first page opened does not stall
 * the application's event loop. Measured here with `monitorEventLoopDelay` while a page asks for
 * every chart (BENCHMARKS.md, Round 22 (layout worker)): on the application's thread the longest
 * stall was 1,083–4,144 ms on the 2-core host at load 1.4–9; in the worker, 16–156 ms alone, up to
 * 270 ms beside another test file (what the load gives: an idle second showed gaps of 30–40 ms at
 * load 10). The worker is started on
 * first need and gone after `close()` (followed with async_hooks, ./worker-threads.ts).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { inspectedSupervisor } from './inspected-supervisor.js';
import { connectPage } from './page-client.js';
import { followWorkers } from './worker-threads.js';

/** Generous both ways, more towards the worker (a busy CI host stalls any process now and then):
 * 1.35× under the least stall on the application's thread (1,083 ms at load 1.4; more under load),
 * 3× over the most in the worker (270 ms, at load 13 with another test file laying charts out). */
const STALL_BOUND_MS = 800;

const h = useHarness();

describe('chart layouts, off the application thread', () => {
  it('a page asking for every chart does not stall the event loop; no worker is left after close()', async () => {
    const workers = followWorkers();
    h.defer(() => workers.stop());
    const ws = await h.wsServer();
    const { supervisor, server } = await inspectedSupervisor(h);
    await supervisor.connect(ws.url, { id: 'feed' }).ready();
    const watcher = supervisor.watch({ name: 'db', probe: () => {} });
    h.defer(() => watcher.stop());
    await waitFor(() => watcher.isReady(), { message: 'watcher ready' });
    expect(workers.live()).toBe(0);

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const opened = performance.now();
    const page = await connectPage(server.url);
    h.defer(() => page.close());
    const hello = await page.next('hello');
    delay.disable();
    expect(hello.charts.map((chart) => chart.key).sort()).toEqual(['connection', 'socket', 'watcher']);
    const stallMs = delay.max / 1e6;
    const helloMs = performance.now() - opened;
    console.log(
      `longest event-loop stall while the charts were laid out: ${stallMs.toFixed(0)} ms (hello after ${helloMs.toFixed(0)} ms)`,
    );
    expect(stallMs).toBeLessThan(STALL_BOUND_MS);
    expect(workers.live()).toBe(1);

    await page.close();
    await server.close();
    await waitFor(() => workers.live() === 0, { message: 'layout worker gone after close()' });
  });
});
