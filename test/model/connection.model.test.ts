/**
 * The connection chart tests the runtime: shortest paths to every (state, incoming transition) of
 * the chart, for nine link configurations (restart intensity off in four, cooling down in four, failing in one; per-attempt credentials, so resolving, in two), each run against a real supervisor on the memory
 * network with a simulated clock; then a gate fails if any state or transition of the chart was
 * not exercised by the runtime.
 */
import { describe, expect, it } from 'vitest';
import { connectionMachine } from '../../machines/connection.machine.js';
import { ChartCoverage } from '../../src/testing/chart-coverage.js';
import { createLinkTestModel, type LinkModelConfig } from '../../src/testing/link-model.js';

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
      const paths = createLinkTestModel(config).paths();
      expect(paths.length).toBeGreaterThan(10);
      for (const path of paths) await path.run({ inspect: coverage.observer });
      // Hundreds of paths, each checked step by step: ~100 s alone for the resume link on a quiet
      // machine, so the default 120 s is no bound on a busy one.
    }, 600_000);
  }

  it('covers every state and transition of the chart', () => {
    console.log('connection chart coverage by the runtime:', coverage.summary());
    expect(coverage.missing()).toEqual({ states: [], transitions: [] });
  });
});
