/**
 * A stepped socket chart (src/stepper/stepped-machine.ts, as src/runtime/supervisor-socket.ts
 * steps the supervisor's socket actor since round 44) is, end to end, the chart XState steps. Two
 * actors — the socket chart as XState steps it, and the same chart stepped — are fed the same
 * seeded random walks over the chart's whole event alphabet (peers joining and leaving, every
 * link report for three peers, two of them in a group of each strategy, the reconnect switch,
 * network signals, groups added and removed, close, terminate, and the linger timer firing), and
 * after every event the test asserts, as test/stepper/stepped-actor.test.ts does for the
 * connection chart: equal snapshots (every field, key order, `_nodes`, tags, the shared
 * functions), the same inspection events in the same order (microsteps with their `_transitions`,
 * actions with type and params), the same emitted events, and the same timers pending in the
 * actor's system scheduler. The walks must take every state and transition of the socket chart
 * (ChartCoverage on the stepped actor), and no step but each actor's stop may be handed to XState.
 */
import { describe, expect, it } from 'vitest';
import { socketMachine } from '../../machines/socket.machine.js';
import { stepMachine, stepperStats } from '../../src/stepper/stepped-machine.js';
import { ChartCoverage } from '../../src/testing/chart-coverage.js';
import { actorOf, LINGER_MS, nextEvent, prng } from './stepped-harness.js';

const stepped = stepMachine(socketMachine.provide({}));

describe('a stepped socket chart: the same actor as XState steps, end to end', () => {
  const coverage = new ChartCoverage([socketMachine]);
  let events = 0;
  const WALKS = 1_500;
  const LENGTH = 40;
  it(`${WALKS} seeded random walks of ${LENGTH} events over the whole alphabet`, async () => {
    for (let walk = 0; walk < WALKS; walk++) {
      const random = prng(walk + 1);
      const input = {
        lingerMs: LINGER_MS,
        ...(random() < 0.2 ? { reconnectEnabled: false } : {}),
        ...(random() < 0.5 ? { degradedShare: random() < 0.5 ? 0 : 0.5 } : {}),
      };
      const plain = actorOf(socketMachine, input);
      const mine = actorOf(stepped, input, coverage.observer);
      expect(mine.take()).toEqual(plain.take());
      for (let i = 0; i < LENGTH && plain.actor.getSnapshot().status === 'active'; i++) {
        const event = nextEvent(random);
        if (event === 'linger') {
          await plain.clock.advance(LINGER_MS);
          await mine.clock.advance(LINGER_MS);
        } else {
          plain.actor.send(event);
          mine.actor.send(event);
        }
        const where = `walk ${walk}, event ${i}: ${event === 'linger' ? event : event.type}`;
        expect({ where, ...mine.take() }).toEqual({ where, ...plain.take() });
        events++;
      }
      plain.actor.stop();
      mine.actor.stop();
      expect({ end: walk, ...mine.take() }).toEqual({ end: walk, ...plain.take() });
    }
  }, 600_000);
  it('took every state and transition of the chart, and every step itself (no fallback to XState)', () => {
    const stats = stepperStats(stepped);
    console.log(
      `stepped-socket: ${events} events, ${stats?.steps} steps stepped, ${stats?.fallbacks} fallbacks`,
      coverage.summary(),
    );
    expect(events).toBeGreaterThan(10_000);
    expect(coverage.missing()).toEqual({ states: [], transitions: [] });
    // Only the stop of each walk's actor (`xstate.stop`) is XState's.
    expect([...(stats?.reasons.keys() ?? [])]).toEqual(['xstate.stop']);
  });
});
