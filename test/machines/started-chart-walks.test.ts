/**
 * A started chart (machines/started-chart.ts) differs from its source in where the root and
 * `attempt` start, nothing else: whatever a link does later is what the chart does. Nothing in the
 * chart targets `idle`, the root or `attempt` itself (whose initial child the started chart
 * changed), and seeded walks over the model's events (src/testing/link-model-events.ts: reconnect,
 * group restart, losses, retries, close, …) see the same snapshot, context and announcements on
 * both after every step, for each kind of link the start tells apart.
 */
import { describe, expect, it } from 'vitest';
import { type AnyStateMachine, createActor } from 'xstate';
import { describeChart } from '../../machines/chart-model.js';
import { connectionMachine } from '../../machines/connection.machine.js';
import { startedChart, startLeafOf } from '../../machines/started-chart.js';
import { TestClock } from '../../src/testing/index.js';
import { linkModelEvents } from '../../src/testing/link-model-events.js';
import type { LinkModelConfig } from '../../src/testing/link-model-options.js';
import { linkModelInput } from '../../src/testing/link-model-options.js';

/** The kinds of link whose start differs (and what they run later). */
const CONFIGS: LinkModelConfig[] = [
  {},
  { inProcess: true },
  { perAttempt: true },
  { handshake: true, resume: true },
  { intensity: 'fail', perAttempt: true },
];

/** A small seeded generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A link actor of `machine` and what it shows: its snapshot and its announcements so far. */
function linkOn(machine: AnyStateMachine, input: unknown) {
  const emitted: string[] = [];
  const actor = createActor(machine, { input, clock: new TestClock() });
  actor.on('*', (event) => emitted.push(JSON.stringify(event)));
  actor.start();
  const view = () => {
    const snapshot = actor.getSnapshot();
    return {
      value: snapshot.value,
      status: snapshot.status,
      tags: [...snapshot.tags].sort(),
      context: JSON.stringify({ ...snapshot.context, parent: undefined }),
      emitted: [...emitted],
    };
  };
  return { actor, view };
}

describe('a started chart behaves as its source after the start', () => {
  it('no transition targets idle, the root or attempt itself (the states whose start it changed)', () => {
    const model = describeChart(connectionMachine);
    const targets = new Set(model.transitions.flatMap((t) => t.targets));
    expect(targets.size).toBeGreaterThan(10);
    for (const changed of ['idle', 'attempt', model.root.path])
      expect(targets.has(changed), changed).toBe(false);
  });

  it('seeded walks over the model events: same snapshot, context and announcements after every step', () => {
    let steps = 0;
    const visited = new Set<string>();
    for (const config of CONFIGS) {
      const input = linkModelInput(config);
      const leaf = startLeafOf(connectionMachine, input);
      expect(leaf, JSON.stringify(config)).not.toBeNull();
      const started = startedChart(connectionMachine, leaf ?? 'connecting');
      const eventsOf = linkModelEvents(config);
      for (let seed = 1; seed <= 12; seed++) {
        const next = random(seed);
        const chart = linkOn(connectionMachine, input);
        const derived = linkOn(started, input);
        expect(derived.view()).toEqual(chart.view());
        for (let step = 0; step < 40; step++) {
          const offered = eventsOf(chart.actor.getSnapshot());
          if (offered.length === 0) break;
          const event = offered[Math.floor(next() * offered.length)];
          chart.actor.send(event as never);
          derived.actor.send(event as never);
          const view = chart.view();
          expect(
            derived.view(),
            `${JSON.stringify(config)} seed ${seed} step ${step} ${event?.type}`,
          ).toEqual(view);
          visited.add(`${event?.type} → ${JSON.stringify(view.value)}`);
          steps++;
        }
        chart.actor.stop();
        derived.actor.stop();
      }
    }
    expect(steps).toBeGreaterThan(200);
    // The walks went through what could send a link back to its start.
    const seen = [...visited].join('\n');
    for (const type of ['link.reconnect', 'link.restart', 'xstate.after.reconnectDelay', 'link.close'])
      expect(seen).toContain(type);
    expect(seen).not.toContain('"idle"');
  });
});
