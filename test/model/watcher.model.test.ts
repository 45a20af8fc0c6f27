/**
 * The watcher chart tests the runtime: shortest paths to every (state, incoming edge) of the
 * chart, each run against `supervisor.watch()` with a probe the test settles by hand and a
 * simulated clock (each named delay has a distinct value, so the clock fires exactly that one),
 * then a gate fails if any state or transition of the chart was not exercised by the runtime.
 */
import { describe, expect, it } from 'vitest';
import type { EventObject, SnapshotFrom } from 'xstate';
import { TestModel } from 'xstate/graph';
import { type WatcherInput, watcherMachine, watcherStateName } from '../../machines/watcher.machine.js';
import { createSupervisor } from '../../src/index.js';
import { ChartCoverage } from '../../src/testing/chart-coverage.js';
import { ChartStepRecorder, checkChartStep, stepStart } from '../../src/testing/chart-step-check.js';
import { settle, TestClock } from '../../src/testing/index.js';
import { initialWatcherContext, WATCHER_CONTRACTS } from './watcher.contracts.js';

type WatcherSnapshot = SnapshotFrom<typeof watcherMachine>;

const DELAYS = { retryDelay: 2001, pollInterval: 2002, probeTimeout: 2003 } as const;
const MAX_STARTUP = 2;
const input: WatcherInput = {
  name: 'model',
  backoff: {
    initialDelayMs: DELAYS.retryDelay,
    maxDelayMs: DELAYS.retryDelay,
    multiplier: 1,
    maxAttempts: MAX_STARTUP,
  },
  pollIntervalMs: DELAYS.pollInterval,
  probeTimeoutMs: DELAYS.probeTimeout,
  // Three: a ready watcher tolerates two failures in a row (a timeout, then a poll held by it), down at the third.
  failuresBeforeDown: 3,
  // Two: a down watcher stays down through one success, ready at the second in a row.
  successesBeforeUp: 2,
};

const catalog: EventObject[] = [
  { type: 'xstate.done.actor.probe', output: undefined, actorId: 'probe' } as EventObject,
  { type: 'xstate.error.actor.probe', error: { message: 'down' }, actorId: 'probe' } as EventObject,
  { type: 'xstate.after.retryDelay.watcher.starting.waiting' },
  { type: 'xstate.after.probeTimeout.watcher.starting.probing' },
  { type: 'xstate.after.pollInterval.watcher.ready.idle' },
  { type: 'xstate.after.probeTimeout.watcher.ready.probing' },
  { type: 'xstate.after.pollInterval.watcher.down.idle' },
  { type: 'xstate.after.probeTimeout.watcher.down.probing' },
  { type: 'watcher.stop' },
  { type: 'watcher.probeSettled' },
];

const model = new TestModel(watcherMachine as never, {
  events: (snapshot: WatcherSnapshot) =>
    snapshot.status === 'done' ? [] : catalog.filter((event) => snapshot.can(event as never)),
  serializeState: ((snapshot: WatcherSnapshot, event: EventObject | undefined, previous?: WatcherSnapshot) =>
    JSON.stringify([
      snapshot.value,
      Math.min(snapshot.context.startupProbes, MAX_STARTUP),
      snapshot.context.abandonedProbe,
      Math.min(snapshot.context.failures, 3),
      Math.min(snapshot.context.successes, 2),
      previous?.value ?? null,
      event?.type ?? 'init',
    ])) as never,
});

const coverage = new ChartCoverage([watcherMachine]);

describe.sequential('watcher chart: generated paths against the runtime', () => {
  // Paths are generated inside the test, not while the file is collected: what runs outside a
  // test is "static" to Stryker, and a static mutant re-runs every test file (mutation testing).
  it('runs every generated path against supervisor.watch()', async () => {
    const paths = model.getShortestPaths({ input } as never) as unknown as {
      steps: { event: EventObject; state: WatcherSnapshot }[];
    }[];
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) {
      const clock = new TestClock();
      // The input the runtime gives the chart (the test's probe is the runtime's business).
      const runInput: WatcherInput = input;
      const recorder = new ChartStepRecorder(null, watcherMachine);
      const supervisor = createSupervisor({
        clock,
        inspect: (event) => {
          recorder.observer(event);
          coverage.observer(event);
        },
      });
      const probes: { resolve: () => void; reject: (e: Error) => void; signal: AbortSignal }[] = [];
      const watcher = supervisor.watch({
        ...input,
        name: 'model',
        probe: (signal) =>
          new Promise<void>((resolve, reject) => {
            probes.push({ resolve, reject, signal });
          }),
      });
      const description = path.steps
        .slice(1)
        .map((s) => s.event.type.replace('xstate.', ''))
        .join(' → ');
      try {
        await settle();
        let previous: WatcherSnapshot | null = null;
        for (const [index, step] of path.steps.entries()) {
          if (index > 0) {
            recorder.begin();
            const type = step.event.type;
            if (type === 'xstate.done.actor.probe') probes.at(-1)?.resolve();
            else if (type === 'xstate.error.actor.probe') {
              // Failures with and without an error code, one with an HTTP client's numeric status
              // (the chart keeps the code and the status when there are).
              const error =
                probes.length % 3 === 0
                  ? Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })
                  : probes.length % 3 === 1
                    ? new Error('down')
                    : Object.assign(new Error('unavailable'), { status: 503 });
              probes.at(-1)?.reject(error);
            } else if (type === 'watcher.stop') void watcher.stop();
            else if (type === 'watcher.probeSettled') {
              // The test's probes ignore their signal: the one a timeout abandoned settles now.
              const abandoned = probes.filter((p) => p.signal.aborted);
              if (abandoned.length !== 1)
                throw new Error(`${abandoned.length} abandoned probes (${description})`);
              for (const p of abandoned) {
                p.reject(new Error('late'));
                probes.splice(probes.indexOf(p), 1);
              }
            } else {
              const delay = type.split('.')[2] as keyof typeof DELAYS;
              if (!(await clock.fire(DELAYS[delay]))) throw new Error(`no ${delay} timer (${description})`);
            }
            await settle();
          }
          const actual = watcher.actor.getSnapshot();
          if (JSON.stringify(actual.value) !== JSON.stringify(step.state.value)) {
            throw new Error(
              `after step ${index} of ${description}: chart ${JSON.stringify(step.state.value)}, runtime ${JSON.stringify(actual.value)}`,
            );
          }
          // What the step did: against the chart's declarations and the watcher's contracts.
          const before = previous ? previous.context : initialWatcherContext(runInput, actual.context);
          const record = recorder.end();
          const { problems } = checkChartStep({
            machine: watcherMachine,
            contracts: WATCHER_CONTRACTS,
            start: stepStart(previous, runInput),
            before,
            after: actual.context,
            expectedValue: step.state.value,
            hasParent: false,
            record,
          });
          if (problems.length > 0) {
            throw new Error(`after step ${index} of ${description}:\n  ${problems.join('\n  ')}`);
          }
          // What users read, whatever the chart declares: the tags of each state, the probe's input,
          // and the edges (watcher.ready on becoming ready, watcher.down on leaving ready for down,
          // once per edge, never per probe; a watcher that was never ready has no down edge).
          const name = watcherStateName(actual.value);
          const from = previous ? watcherStateName(previous.value) : null;
          expect(actual.hasTag('ready'), description).toBe(name === 'ready');
          expect(actual.hasTag('pending'), description).toBe(name === 'starting');
          expect(actual.hasTag('probing'), description).toBe(
            JSON.stringify(actual.value).includes('"probing"'),
          );
          const probe = (
            actual.children as Record<string, { getSnapshot(): { input?: unknown } } | undefined>
          ).probe;
          if (probe) expect(probe.getSnapshot().input).toEqual({ name: 'model' });
          const edges =
            name === 'ready' && from !== 'ready'
              ? [{ type: 'watcher.ready', name: 'model' }]
              : name === 'down' && from === 'ready'
                ? [{ type: 'watcher.down', name: 'model', error: actual.context.lastError }]
                : [];
          expect(record.emitted, `${description}, step ${index}`).toEqual(edges);
          previous = actual as WatcherSnapshot;
          expect(actual.hasTag('ready')).toBe(step.state.hasTag('ready'));
          // A probe abandoned by a timeout or stop is aborted through its signal.
          const chartBefore = path.steps[index - 1]?.state;
          if (chartBefore?.hasTag('probing') && !step.state.hasTag('probing')) {
            const settled = step.event.type.includes('.actor.probe');
            if (!settled) expect(probes.at(-1)?.signal.aborted).toBe(true);
          }
        }
      } finally {
        await supervisor.close();
      }
      expect(clock.pending).toBe(0);
    }
  });

  it('covers every state and transition of the watcher chart', () => {
    console.log('watcher chart coverage by the runtime:', coverage.summary());
    expect(coverage.missing()).toEqual({ states: [], transitions: [] });
  });
});
