/**
 * The grace states of the charts: a state marked `meta: { graceFor: '<sibling>' }` waits a little
 * longer for what its sibling waited for (connectGrace for connecting, ready.graceTurn for
 * awaitingPong), so it repeats some of the sibling's transitions and has a timer of its own. The
 * drawings (the inspector, Mermaid) draw only its own edges and note the copies on it, so the
 * marker must be right: it names a sibling, the grace state repeats at least one of the sibling's
 * transitions exactly, and its own timer is drawn. The marker is data for the drawings: the
 * chart without it runs the same transitions (XState reads `meta` only for `getMeta()`).
 * Generic over every chart and every grace state in it.
 */
import { describe, expect, it } from 'vitest';
import { type AnyStateMachine, createMachine, initialTransition, transition } from 'xstate';
import { chartStates, describeChart } from '../../machines/chart-model.js';
import { connectionChart, connectionMachine, connectionSetup } from '../../machines/connection.machine.js';
import { connectionCoreSetup } from '../../machines/connection-setup.js';
import { sessionMachine } from '../../machines/session.machine.js';
import { shardMachine } from '../../machines/shard.machine.js';
import { socketMachine } from '../../machines/socket.machine.js';
import { watcherMachine } from '../../machines/watcher.machine.js';

const CHARTS: AnyStateMachine[] = [
  connectionMachine,
  // The drop-in's: the same chart without its feature states (machines/connection-feature-states.ts).
  connectionChart,
  socketMachine,
  watcherMachine,
  shardMachine,
  sessionMachine,
];

/** Every `meta.graceFor` in a chart's config, by the state's dot path. */
function markers(machine: AnyStateMachine): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const visit = (
    config: { meta?: { graceFor?: unknown }; states?: Record<string, unknown> },
    path: string,
  ) => {
    if (config.meta && 'graceFor' in config.meta) out.set(path, config.meta.graceFor);
    for (const [key, child] of Object.entries(config.states ?? {})) {
      visit(child as typeof config, path ? `${path}.${key}` : key);
    }
  };
  visit(machine.config as Parameters<typeof visit>[0], '');
  return out;
}

/** The config without any `meta`, at any depth (functions, such as guards, as they are). */
function withoutMeta(config: unknown): unknown {
  if (Array.isArray(config)) return config.map(withoutMeta);
  if (!config || typeof config !== 'object') return config;
  return Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key !== 'meta')
      .map(([key, value]) => [key, withoutMeta(value)]),
  );
}

describe('grace states', () => {
  it('the connection chart marks its two: connectGrace for connecting, graceTurn for awaitingPong', () => {
    expect(Object.fromEntries(markers(connectionMachine))).toMatchObject({
      'attempt.connectGrace': 'connecting',
      'attempt.ready.graceTurn': 'awaitingPong',
    });
    const model = describeChart(connectionMachine);
    const grace = chartStates(model).filter((s) => s.graceFor);
    expect(Object.fromEntries(grace.map((s) => [s.path, s.graceFor]))).toMatchObject({
      'attempt.connectGrace': 'attempt.connecting',
      'attempt.ready.graceTurn': 'attempt.ready.awaitingPong',
    });
    const copied = (source: string) =>
      model.transitions.filter((t) => t.source === source && t.repeats).map((t) => t.eventType);
    expect(copied('attempt.connectGrace')).toEqual([
      'transport.open',
      'transport.open',
      'transport.open',
      'transport.open',
      'transport.open',
      'link.close',
    ]);
    expect(copied('attempt.ready.graceTurn')).toEqual(['heartbeat.pong', 'heartbeat.pong']);
  });

  for (const machine of CHARTS) {
    it(`${machine.id}: each marker names a sibling it repeats, and the grace state has its own timer`, () => {
      const model = describeChart(machine);
      const byPath = new Map(chartStates(model).map((s) => [s.path, s]));
      for (const [path, graceFor] of markers(machine)) {
        const state = byPath.get(path);
        const parent = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
        expect(state?.graceFor, `${path}: meta.graceFor ${String(graceFor)} is a sibling`).toBe(
          parent ? `${parent}.${String(graceFor)}` : String(graceFor),
        );
        const own = model.transitions.filter((t) => t.source === path && !t.repeats);
        const copies = model.transitions.filter((t) => t.source === path && t.repeats);
        expect(copies.length, `${path} repeats some of ${String(graceFor)}'s transitions`).toBeGreaterThan(0);
        expect(
          own.some((t) => t.kind === 'after' && t.targets.length > 0),
          `${path} has a timer of its own`,
        ).toBe(true);
      }
    });
  }

  it('the marker changes no transition: the chart without meta describes the same', () => {
    for (const machine of CHARTS) {
      const bare = createMachine(withoutMeta(machine.config) as Parameters<typeof createMachine>[0]);
      expect(markers(bare).size).toBe(0);
      const strip = <T extends object>(list: T[]) =>
        list.map((t) => Object.fromEntries(Object.entries(t).filter(([key]) => key !== 'repeats')));
      expect(strip(describeChart(bare).transitions), machine.id).toEqual(
        strip(describeChart(machine).transitions),
      );
    }
  });

  it.each([
    ['connectionMachine', connectionMachine, connectionSetup.createMachine],
    ['connectionChart (drop-in)', connectionChart, connectionCoreSetup.createMachine],
  ] as const)(
    'the marker changes no step: through both grace states, %s runs as it does without it',
    (_name, chart, create) => {
      const bare = (create as (config: unknown) => typeof connectionMachine)(withoutMeta(chart.config));
      const input = {
        linkId: 'link:test',
        label: 'mem://svc',
        seed: 1,
        timeouts: { connectTimeoutMs: 1_000, handshakeTimeoutMs: 1_000, closeTimeoutMs: 1_000 },
        heartbeat: { intervalMs: 1_000, timeoutMs: 1_000 },
        backoff: { stableAfterMs: 60_000 },
      };
      const timer = (delay: string, state: string) => ({ type: `xstate.after.${delay}.connection.${state}` });
      const events = [
        timer('connectTimeout', 'attempt.connecting'),
        { type: 'transport.open' },
        timer('heartbeatInterval', 'attempt.ready.beating'),
        timer('heartbeatTimeout', 'attempt.ready.awaitingPong'),
        { type: 'heartbeat.pong', roundTripMs: 5 },
        timer('heartbeatInterval', 'attempt.ready.beating'),
        timer('heartbeatTimeout', 'attempt.ready.awaitingPong'),
        timer('ioTurn', 'attempt.ready.graceTurn'),
        { type: 'transport.closed', reason: { kind: 'close', code: 1006, message: 'reset' } },
      ] as const;
      const run = (machine: typeof connectionMachine) => {
        let [snapshot, actions] = initialTransition(machine, input);
        const steps = [{ value: snapshot.value, actions: actions.map((a) => a.type) }];
        for (const event of events) {
          [snapshot, actions] = transition(machine, snapshot, event as never);
          steps.push({ value: snapshot.value, actions: actions.map((a) => a.type) });
        }
        return { steps, context: snapshot.context };
      };
      const marked = run(chart as typeof connectionMachine);
      // The walk went through both grace states and took a copy from each.
      expect(marked.steps.map((s) => JSON.stringify(s.value))).toEqual(
        expect.arrayContaining([
          '{"attempt":"connectGrace"}',
          '{"attempt":{"ready":"graceTurn"}}',
          '{"attempt":{"ready":"beating"}}',
          '"reconnecting"',
        ]),
      );
      expect(run(bare)).toEqual(marked);
    },
  );
});
