/**
 * The connection chart tests the runtime: paths through every node of the model's graph, for nine
 * link configurations (restart intensity off in four, cooling down in four, failing in one;
 * per-attempt credentials, so resolving, in two), each run against a real supervisor on the memory
 * network with a simulated clock; then a gate fails if any state or transition of the chart was
 * not exercised by the runtime.
 *
 * A node of the graph is a state of the chart with the context its guards read and its incoming
 * edge (source state and event): linkModelKey. Shortest paths to every node (`model.paths()`) were
 * 28,907 paths and 312,921 steps over the nine configurations (~180 s of CPU): one path per leaf
 * of the shortest-path tree, each replaying its prefix on a fresh runtime. The paths run here
 * (`model.coveringPaths()`, src/testing/covering-walks.ts) go on through nodes no path has taken
 * yet: the same nodes in 10,959 paths and 146,005 steps (~80 s of CPU); 11,594 paths and 158,454
 * steps since round 20 (pause) put the link's hold on reading (readingPaused) in the key; round 21
 * offers ready.paused's probe (after heartbeatInterval) too (not recounted). A final node ends a path,
 * so there are at least as many paths as final nodes (8,516). A path's expected states are the
 * chart's own transitions along its events. Each configuration asserts the rules the paths are
 * chosen by: every node of the graph is a step of some path, and every state that is not final
 * ends some path (stopping the runtime and the no-timer-left check are tried in every state, as
 * they were at the shortest paths' ends).
 */
import { describe, expect, it } from 'vitest';
import { connectionMachine } from '../../machines/connection.machine.js';
import { ChartCoverage } from '../../src/testing/chart-coverage.js';
import { createLinkTestModel, type LinkModelConfig, linkModelKey } from '../../src/testing/link-model.js';

const coverage = new ChartCoverage([connectionMachine]);

const configs: [string, LinkModelConfig][] = [
  ['ws-like link with handshake and heartbeat', { handshake: true, heartbeat: true, intensity: false }],
  // Its open enters ready's first quiet interval in one step (transport.open [settlesFirst]).
  ['ws-like link with heartbeat, no handshake', { heartbeat: true, intensity: false }],
  ['ws-like link without handshake or heartbeat, started by hand', { heartbeat: false, autoConnect: false }],
  ['ws-like link with resume and heartbeat', { resume: true, heartbeat: true, intensity: false }],
  ['in-process link with heartbeat', { inProcess: true, heartbeat: true, maxMissed: 1 }],
  [
    'in-process link, heartbeat off, started by hand',
    { inProcess: true, heartbeat: false, autoConnect: false },
  ],
  [
    'ws-like link with per-attempt credentials (a rejection refreshes once), heartbeat off',
    { heartbeat: false, perAttempt: true, intensity: false },
  ],
  ['ws-like link whose restart intensity fails it, heartbeat off', { heartbeat: false, intensity: 'fail' }],
  // Started by hand and cooling down: every way into resolving (its per-attempt function settling).
  [
    'ws-like link with per-attempt credentials, started by hand, cooling down, heartbeat off',
    { heartbeat: false, perAttempt: true, autoConnect: false },
  ],
];

describe.sequential('connection chart: generated paths against the runtime', () => {
  for (const [name, config] of configs) {
    it(name, async () => {
      const model = createLinkTestModel(config);
      const paths = model.coveringPaths();
      expect(paths.length).toBeGreaterThan(10);
      // The rules the paths are chosen by: every node of the graph is a step of some path…
      const taken = new Set(
        paths.flatMap((p) =>
          p.steps.map((s, i) => linkModelKey(s.state, i === 0 ? undefined : s.event, p.steps[i - 1]?.state)),
        ),
      );
      expect(model.keys().filter((key) => !taken.has(key))).toEqual([]);
      // …and every state that is not final ends some path.
      const value = (s: (typeof paths)[number]['steps'][number]) => JSON.stringify(s.state.value);
      const live = new Set(paths.flatMap((p) => p.steps.filter((s) => s.state.status !== 'done').map(value)));
      const ends = new Set(paths.map((p) => value(p.steps.at(-1) as (typeof p.steps)[number])));
      expect([...live].filter((v) => !ends.has(v))).toEqual([]);
      for (const path of paths) await path.run({ inspect: coverage.observer });
      // Thousands of paths, each checked step by step: the default 120 s is no bound on a busy
      // machine.
    }, 600_000);
  }

  it('covers every state and transition of the chart', () => {
    console.log('connection chart coverage by the runtime:', coverage.summary());
    expect(coverage.missing()).toEqual({ states: [], transitions: [] });
  });
});
