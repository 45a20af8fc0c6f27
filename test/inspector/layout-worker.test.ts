/**
 * elkjs in a worker thread (src/inspector/layout-worker.ts): the same layouts as on the
 * application's thread for every built-in chart; one worker, started on the first layout, gone
 * after `stop()`; elkjs's errors, a worker that fails to start and one that dies each reject the
 * layouts they concern, which the inspector warns about once per chart and leaves out
 * (src/inspector/chart-layouts.ts), never throwing at a page.
 */
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import { describeChart } from '../../machines/chart-model.js';
import { connectionMachine } from '../../machines/connection.machine.js';
import { farewellMachine } from '../../machines/farewell.machine.js';
import { greetingMachine } from '../../machines/greeting.machine.js';
import { sessionMachine } from '../../machines/session.machine.js';
import { shardMachine } from '../../machines/shard.machine.js';
import { socketMachine } from '../../machines/socket.machine.js';
import { watcherMachine } from '../../machines/watcher.machine.js';
import { createChartLayouts } from '../../src/inspector/chart-layouts.js';
import { layoutChart } from '../../src/inspector/layout-chart.js';
import { createLayoutWorker, type LayoutWorker } from '../../src/inspector/layout-worker.js';
import { waitFor } from '../helpers/wait.js';
import { layoutInThread } from './elk-in-thread.js';
import { followWorkers, type WorkerCount } from './worker-threads.js';

const BUILT_IN: AnyStateMachine[] = [
  connectionMachine,
  socketMachine,
  watcherMachine,
  greetingMachine,
  sessionMachine,
  shardMachine,
  farewellMachine,
];

/** A worker that dies (exit code 3) on its first message. */
const DYING = `require('node:worker_threads').parentPort.on('message', () => process.exit(3));`;
/** A worker whose script fails as it starts. */
const BROKEN = `throw new Error('no elkjs here');`;

const twoNodes = (target: string): ElkNode => ({
  id: 'root',
  children: [
    { id: 'a', width: 10, height: 10 },
    { id: 'b', width: 10, height: 10 },
  ],
  edges: [{ id: 'e', sources: ['a'], targets: [target] }],
});

let workers: WorkerCount;
const made: LayoutWorker[] = [];
const worker = (script?: string) => {
  const w = createLayoutWorker(script);
  made.push(w);
  return w;
};

afterEach(async () => {
  await Promise.all(made.splice(0).map((w) => w.stop()));
  await waitFor(() => workers.live() === 0, { message: 'no layout worker left' });
  workers.stop();
});

describe('the layout worker', () => {
  it('lays out every built-in chart exactly as elkjs does on the application thread', async () => {
    workers = followWorkers();
    const w = worker();
    for (const machine of BUILT_IN) {
      const inWorker = await layoutChart(machine.id, describeChart(machine), w.layout);
      const inThread = await layoutChart(machine.id, describeChart(machine), layoutInThread);
      expect(JSON.stringify(inWorker), machine.id).toBe(JSON.stringify(inThread));
    }
  });

  it('is started on the first layout, one for many, and gone after stop()', async () => {
    workers = followWorkers();
    const w = worker();
    expect(workers.live()).toBe(0);
    const laid = await Promise.all([w.layout(twoNodes('b')), w.layout(twoNodes('a'))]);
    expect(laid.map((graph) => graph.edges?.[0]?.sections?.length)).toEqual([1, 1]);
    expect(workers.live()).toBe(1);
    await w.stop();
    await waitFor(() => workers.live() === 0, { message: 'worker gone after stop()' });
    await expect(w.layout(twoNodes('b'))).rejects.toThrow('the layout worker is stopped');
    expect(workers.live()).toBe(0);
  });

  it("rejects a layout with elkjs's error and goes on with the next", async () => {
    workers = followWorkers();
    const w = worker();
    await expect(w.layout(twoNodes('nowhere'))).rejects.toThrow('Referenced shape does not exist: nowhere');
    expect((await w.layout(twoNodes('b'))).edges?.[0]?.sections).toHaveLength(1);
    expect(workers.live()).toBe(1);
  });

  it('rejects the layouts of a worker that dies or cannot start, and starts another for the next', async () => {
    workers = followWorkers();
    const dying = worker(DYING);
    const both = [dying.layout(twoNodes('b')), dying.layout(twoNodes('a'))];
    for (const one of both) await expect(one).rejects.toThrow('the layout worker exited (code 3)');
    await waitFor(() => workers.live() === 0, { message: 'the dead worker gone' });
    await expect(dying.layout(twoNodes('b'))).rejects.toThrow('the layout worker exited (code 3)');
    const broken = worker(BROKEN);
    await expect(broken.layout(twoNodes('b'))).rejects.toThrow('no elkjs here');
  });

  it('in-flight layouts are rejected by stop(), which resolves once the worker has exited', async () => {
    workers = followWorkers();
    const w = worker();
    const layout = w.layout(twoNodes('b'));
    const stopped = w.stop();
    await expect(layout).rejects.toThrow('the layout worker is stopped');
    await stopped;
    await waitFor(() => workers.live() === 0, { message: 'worker gone after stop()' });
  });
});

describe('chart layouts of an inspector server', () => {
  it('warn once about a chart whose worker died and leave it out (null), never throwing', async () => {
    workers = followWorkers();
    const warnings: string[] = [];
    const layouts = createChartLayouts((message) => warnings.push(message), worker(DYING));
    const model = describeChart(socketMachine);
    await expect(layouts('socket', model)).resolves.toBeNull();
    await expect(layouts('socket', model)).resolves.toBeNull();
    expect(warnings).toEqual([
      'linkvisor inspector: could not lay out chart socket: Error: the layout worker exited (code 3)',
    ]);
    await layouts.stop();
    // A chart that failed is not remembered: the next server lays it out.
    const next = createChartLayouts((message) => warnings.push(message));
    expect((await next('socket', model))?.key).toBe('socket');
    await next.stop();
    expect(warnings).toHaveLength(1);
  });

  it("reuse the process's charts already laid out (same key and model): the next server starts no worker", async () => {
    workers = followWorkers();
    const model = describeChart(watcherMachine);
    const first = createChartLayouts(() => {});
    const chart = await first('watcher', model);
    expect(chart?.key).toBe('watcher');
    await first.stop();
    await waitFor(() => workers.live() === 0, { message: 'worker gone after stop()' });
    const second = createChartLayouts(() => {});
    await expect(second('watcher', model)).resolves.toBe(chart);
    expect(workers.live()).toBe(0);
    await second.stop();
  });

  it('leave out, without a warning, the charts cut short by stop() and those asked for after it', async () => {
    workers = followWorkers();
    const warnings: string[] = [];
    const layouts = createChartLayouts((message) => warnings.push(message));
    const cut = layouts('connection', describeChart(connectionMachine));
    await layouts.stop();
    await expect(cut).resolves.toBeNull();
    // (Charts no other test here lays out through createChartLayouts: none is remembered.)
    await expect(layouts('greeting', describeChart(greetingMachine))).resolves.toBeNull();
    expect(warnings).toEqual([]);
    await waitFor(() => workers.live() === 0, { message: 'worker gone after stop()' });
  });
});
