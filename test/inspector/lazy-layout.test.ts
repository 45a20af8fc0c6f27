/**
 * Charts are laid out when a page first needs them, not when the inspector starts: elkjs runs on
 * the application's thread (laying out the connection chart blocked it for 0.3–4 s, by load), so
 * an inspector no page has opened must not stall the links it watches — a connect timeout fired
 * during that stall under load. A page that opens gets every chart in its hello; a chart first seen
 * while a page is open is sent to it.
 */
import { describe, expect, it, vi } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { inspectedSupervisor } from './inspected-supervisor.js';
import { connectPage } from './page-client.js';

const laidOut = vi.hoisted(() => [] as string[]);
vi.mock('../../src/inspector/layout-chart.js', async (original) => {
  const actual = await original<typeof import('../../src/inspector/layout-chart.js')>();
  return {
    ...actual,
    layoutChart: (...args: Parameters<typeof actual.layoutChart>) => {
      laidOut.push(args[0]);
      return actual.layoutChart(...args);
    },
  };
});

const h = useHarness();

describe('chart layouts', () => {
  it('are made when a page needs them, never while no page is open', async () => {
    laidOut.length = 0;
    const ws = await h.wsServer();
    const { supervisor, server } = await inspectedSupervisor(h);
    await supervisor.connect(ws.url, { id: 'feed' }).ready();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(laidOut).toEqual([]);

    const page = await connectPage(server.url);
    h.defer(() => page.close());
    const hello = await page.next('hello');
    expect(hello.charts.map((chart) => chart.key).sort()).toEqual(['connection', 'socket']);
    const watcher = supervisor.watch({ name: 'db', probe: () => {} });
    h.defer(() => watcher.stop());
    expect((await page.next('chart')).chart.key).toBe('watcher');
    await waitFor(() => watcher.isReady(), { message: 'watcher ready' });
    expect([...laidOut].sort()).toEqual(['connection', 'socket', 'watcher']);
  });
});
