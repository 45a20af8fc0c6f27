/**
 * A link's start without idle's eventless microstep (machines/started-chart.ts, BENCHMARKS.md
 * round 32 (start)): a started chart starts where idle's `always` takes the chart, with the same
 * snapshot, entry actions and announcements, and no microstep; it describes (and so draws, and is
 * keyed by the inspector) as its source; coverage credits the `always` branch it skips.
 */
import { describe, expect, it } from 'vitest';
import { type AnyStateMachine, type AnyStateNode, createActor, type InspectionEvent, setup } from 'xstate';
import { evaluateGuard } from 'xstate/guards';
import { describeChart } from '../../machines/chart-model.js';
import {
  type ConnectionInput,
  connectionMachine,
  createConnectionContext,
} from '../../machines/connection.machine.js';
import { startedChart, startedFrom, startLeafOf } from '../../machines/started-chart.js';
import { toMermaid } from '../../machines/to-mermaid.js';
import { createChartRegistry } from '../../src/inspector/chart-registry.js';
import { ChartCoverage } from '../../src/testing/chart-coverage.js';
import { TestClock } from '../../src/testing/index.js';

/** The inputs idle's `always` tells apart (and autoConnect: false, which waits in idle). */
const INPUTS: Partial<ConnectionInput>[] = [];
for (const autoConnect of [undefined, true, false])
  for (const inProcess of [undefined, false, true])
    for (const perAttempt of [undefined, true])
      INPUTS.push({
        ...(autoConnect === undefined ? {} : { autoConnect }),
        ...(inProcess === undefined ? {} : { inProcess }),
        ...(perAttempt ? { perAttempt } : {}),
      });

/** A link's input but for the parts idle's `always` tells apart. */
const LINK = { linkId: 'link:a', label: 'ws://a' };

/** An actor of `machine` started with `input`: what a user and an inspector see of its start. */
function start(machine: AnyStateMachine, input: Partial<ConnectionInput>) {
  const seen: string[] = [];
  const emitted: string[] = [];
  const actor = createActor(machine, {
    input: { ...LINK, ...input },
    clock: new TestClock(),
    inspect: (event: InspectionEvent) => {
      if (event.type === '@xstate.action') seen.push(`action ${event.action.type}`);
      if (event.type === '@xstate.microstep') seen.push(`microstep ${event.event.type}`);
      if (event.type === '@xstate.snapshot') seen.push(`snapshot ${event.event.type}`);
    },
  });
  actor.on('*', (event) => emitted.push(event.type));
  actor.start();
  const snapshot = actor.getSnapshot();
  const view = {
    value: snapshot.value,
    status: snapshot.status,
    tags: [...snapshot.tags].sort(),
    context: JSON.stringify({ ...snapshot.context, parent: undefined }),
    emitted,
  };
  actor.stop();
  return { seen, view };
}

describe('a started chart (a link starting past idle)', () => {
  it("starts where idle's always takes the chart: same snapshot, entry actions, announcements; no microstep", () => {
    for (const input of INPUTS) {
      const leaf = startLeafOf(connectionMachine, { ...LINK, ...input });
      const chart = start(connectionMachine, input);
      if (leaf === null) {
        expect(chart.view.value, JSON.stringify(input)).toBe('idle');
        continue;
      }
      const attempt = (chart.view.value as { attempt: string | object }).attempt;
      expect(typeof attempt === 'string' ? attempt : Object.keys(attempt)[0], JSON.stringify(input)).toBe(
        leaf,
      );
      const derived = start(startedChart(connectionMachine, leaf), input);
      expect(derived.view, JSON.stringify(input)).toEqual(chart.view);
      // The chart's start: the eventless microstep out of idle first; the started chart's: not that
      // one (ready's own eventless steps, in process, are the same).
      const steps = chart.seen.filter((s) => s === 'microstep xstate.init').length;
      expect(steps).toBeGreaterThanOrEqual(1);
      expect(derived.seen.filter((s) => s === 'microstep xstate.init')).toHaveLength(steps - 1);
      expect(derived.seen.filter((s) => s !== 'microstep xstate.init')).toEqual(
        chart.seen.filter((s) => s !== 'microstep xstate.init'),
      );
    }
  });

  it("reads the start from the chart: its own guards, as provide() changed them, in the chart's order", () => {
    const leaves = (chart: AnyStateMachine) =>
      [{}, { inProcess: true }, { perAttempt: true }, { autoConnect: false }].map((input) =>
        startLeafOf(chart, { ...LINK, ...input }),
      );
    expect(leaves(connectionMachine)).toEqual(['connecting', 'ready', 'resolving', null]);
    // A guard changed by provide(): the start follows it, and a link on the started chart of the
    // provided chart starts where that chart's own start takes it.
    const inProcess = connectionMachine.provide({ guards: { isInProcess: () => true } });
    expect(leaves(inProcess)).toEqual(['ready', 'ready', 'ready', null]);
    const never = connectionMachine.provide({ guards: { autoConnect: () => false } });
    expect(leaves(never)).toEqual([null, null, null, null]);
    const derived = start(startedChart(inProcess, 'ready'), {});
    expect(derived.view).toEqual(start(inProcess, {}).view);
    expect(derived.view.value).toMatchObject({ attempt: { ready: expect.anything() } });
    // The first branch taken decides: targetless (the chart stays), elsewhere than attempt, none.
    const toy = (always: object[]) =>
      setup({ guards: { yes: () => true, no: () => false } }).createMachine({
        id: 'toy',
        context: () => ({}),
        initial: 'waiting',
        states: {
          waiting: { always: always as never },
          elsewhere: { initial: 'ready', states: { ready: {} } },
          attempt: { initial: 'connecting', states: { connecting: {}, ready: {} } },
        },
      });
    const leaf = (always: object[]) => startLeafOf(toy(always), {});
    expect(leaf([{ guard: 'no', target: 'attempt.connecting' }, { target: 'attempt.ready' }])).toBe('ready');
    expect(leaf([{ guard: 'yes', target: 'attempt.connecting' }, { target: 'attempt.ready' }])).toBe(
      'connecting',
    );
    expect(leaf([{ guard: 'yes', actions: [] }, { target: 'attempt.ready' }])).toBeNull();
    expect(leaf([{ target: 'elsewhere.ready' }, { target: 'attempt.ready' }])).toBeNull();
    // attempt itself: its initial child, as the chart's start.
    expect(leaf([{ target: 'attempt' }])).toBe('connecting');
    expect(leaf([{ guard: 'no', target: 'attempt.ready' }])).toBeNull();
    expect(leaf([])).toBeNull();
    expect(
      startLeafOf(setup({}).createMachine({ context: () => ({}), initial: 'a', states: { a: {} } }), {}),
    ).toBeNull();
  });

  it("the start depends on a link's policy alone: the key src/runtime/link-starter.ts keeps it by", () => {
    // idle has no entry action, and its guards read the policy only (of the context a link starts with)…
    const idle = connectionMachine.root.states.idle as AnyStateNode;
    expect(idle.entry).toEqual([]);
    const read = new Set<string>();
    for (const input of INPUTS) {
      const full = createConnectionContext({ ...LINK, ...input });
      const context = new Proxy(full, {
        get: (target, key) => {
          read.add(String(key));
          return target[key as keyof typeof target];
        },
      });
      for (const { guard } of idle.always ?? [])
        if (guard)
          evaluateGuard(guard, context, { type: 'xstate.init' }, { machine: connectionMachine } as never);
    }
    expect([...read]).toEqual(['policy']);
    // … so links that differ in all else start alike.
    const parent = createActor(setup({}).createMachine({}));
    for (const input of INPUTS)
      expect(
        startLeafOf(connectionMachine, {
          ...input,
          linkId: 'link:other',
          label: 'ws://other',
          seed: 99,
          reconnectEnabled: false,
          parent,
        }),
        JSON.stringify(input),
      ).toBe(startLeafOf(connectionMachine, { ...LINK, ...input }));
  });

  it('knows the source chart and the branch of idle it stands for', () => {
    expect(startedFrom(connectionMachine)).toBeUndefined();
    expect(startedFrom({})).toBeUndefined();
    const branches = (['ready', 'resolving', 'connecting'] as const).map((leaf) => {
      const from = startedFrom(startedChart(connectionMachine, leaf));
      expect(from?.chart).toBe(connectionMachine);
      return `${from?.source} | always | ${from?.branch}`;
    });
    expect(branches).toEqual([
      'connection.idle | always | 0',
      'connection.idle | always | 1',
      'connection.idle | always | 2',
    ]);
    // Any chart with an attempt state: a targetless eventless branch is passed over; no branch to
    // the leaf is -1 (nothing to credit).
    const toy = (always: object[]) =>
      setup({ guards: { never: () => false } }).createMachine({
        id: 'toy',
        initial: 'waiting',
        states: {
          waiting: { always: always as never },
          attempt: { initial: 'connecting', states: { connecting: {}, ready: {} } },
        },
      });
    const twice = toy([
      { guard: 'never', actions: [] },
      { guard: 'never', target: 'attempt.ready' },
    ]);
    expect(startedFrom(startedChart(twice, 'ready'))).toMatchObject({ source: 'toy.waiting', branch: 1 });
    expect(startedFrom(startedChart(toy([]), 'ready'))).toMatchObject({ branch: -1 });
    const bare = setup({}).createMachine({
      id: 'bare',
      initial: 'a',
      states: { a: {}, attempt: { initial: 'ready', states: { ready: {} } } },
    });
    expect(startedFrom(startedChart(bare, 'ready'))).toEqual({ chart: bare, source: 'bare.a', branch: -1 });
    expect(createActor(startedChart(bare, 'ready')).getSnapshot().value).toEqual({ attempt: 'ready' });
  });

  it('describes, draws and is keyed as its source chart: idle and its edges, one chart', () => {
    const derived = startedChart(connectionMachine, 'connecting');
    expect(describeChart(derived)).toEqual(describeChart(connectionMachine));
    expect(toMermaid(derived)).toBe(toMermaid(connectionMachine));
    expect(toMermaid(derived)).toContain('[*] --> idle');
    const idleEdges = describeChart(derived).transitions.filter((t) => t.source === 'idle');
    expect(idleEdges.map((t) => `${t.event} [${t.guard ?? ''}] → ${t.targets.join()}`)).toEqual([
      'link.connect [isInProcess] → attempt.ready',
      'link.connect [resolvesTarget] → attempt.resolving',
      'link.connect [] → attempt.connecting',
      'link.close [] → closed',
      'always [autoConnect && isInProcess] → attempt.ready',
      'always [autoConnect && resolvesTarget] → attempt.resolving',
      'always [autoConnect] → attempt.connecting',
    ]);
    const fresh: string[] = [];
    const registry = createChartRegistry((key) => fresh.push(key));
    // An autoConnect:false link (the chart itself) beside started ones: one chart.
    expect(registry.keyOf(derived)).toBe('connection');
    expect(registry.keyOf(connectionMachine)).toBe('connection');
    expect(registry.keyOf(startedChart(connectionMachine, 'ready'))).toBe('connection');
    expect(fresh).toEqual(['connection']);
    expect(registry.list()[0]?.model.root.initial).toBe('idle');
  });

  it("coverage credits the always branch a started link skips, as the chart's start does; the others stay missing", () => {
    const run = (machine: AnyStateMachine, input: Partial<ConnectionInput>) => {
      const coverage = new ConnectionCoverage();
      createActor(machine, {
        input: { linkId: 'link:a', label: 'ws://a', ...input },
        clock: new TestClock(),
        inspect: coverage.observer,
      })
        .start()
        .stop();
      return coverage.missing().transitions.filter((t) => t.startsWith('connection.idle —always'));
    };
    const all = run(connectionMachine, { autoConnect: false });
    expect(all).toHaveLength(3);
    for (const [i, input] of [{ inProcess: true }, { perAttempt: true }, {}].entries()) {
      const leaf = startLeafOf(connectionMachine, { ...LINK, ...input }) ?? 'connecting';
      const missing = run(startedChart(connectionMachine, leaf), input);
      expect(missing).toEqual(run(connectionMachine, input));
      expect(missing).toEqual(all.filter((_, j) => j !== i));
    }
  });
});

/** Coverage of the connection chart alone. */
class ConnectionCoverage extends ChartCoverage {
  constructor() {
    super([connectionMachine]);
  }
}
