/**
 * The page's trace cursor (src/inspector/page/trace-cursor.ts) against `traceStepAt`: on a session
 * of several hundred steps (three links bouncing on the memory network), visited forward, backward
 * and by long jumps across its checkpoints, every step's rows (each actor's state) and the
 * populations they add up to are those of `traceStepAt`; the selected actor's timeline stops at the
 * step; the supervisor's figures count the ready links.
 */
import { describe, expect, it } from 'vitest';
import { pathsOf } from '../../src/inspector/page/store.js';
import { CHECKPOINT_STEPS, TraceCursor } from '../../src/inspector/page/trace-cursor.js';
import { statePaths, traceStepAt } from '../../src/trace/trace-steps.js';
import { FEED_URL, startMemorySession } from '../trace/memory-session.js';

async function bouncingTrace() {
  const { clock, server, supervisor, finish } = startMemorySession({ seed: 5 });
  for (const id of ['a', 'b', 'c']) {
    supervisor.connect(FEED_URL, {
      id,
      heartbeat: false,
      backoff: { initialDelayMs: 100, maxDelayMs: 400, stableAfterMs: 60_000 },
      // Bounced every 1.5 s on purpose: restart intensity would cool them down.
      intensity: false,
    });
  }
  for (let i = 0; i < 40; i++) {
    await clock.advance(1_500);
    server.dropAll(1012);
  }
  await clock.advance(1_500);
  return finish();
}

describe('TraceCursor: the page at step n equals traceStepAt(trace, n)', () => {
  it('forward, backward and across checkpoints', async () => {
    const trace = await bouncingTrace();
    const last = trace.records.length - 1;
    expect(last).toBeGreaterThan(2 * CHECKPOINT_STEPS);
    const cursor = new TraceCursor(trace);
    const visits = [
      0,
      1,
      2,
      1,
      0,
      CHECKPOINT_STEPS - 1,
      CHECKPOINT_STEPS,
      CHECKPOINT_STEPS + 1,
      last,
      last - 1,
    ];
    visits.push(CHECKPOINT_STEPS * 2 + 7, 3, Math.floor(last / 2), Math.floor(last / 2) - 1, last, 0);
    for (const n of visits) {
      const expected = traceStepAt(trace, n);
      if (!expected) throw new Error(`no step ${n}`);
      const hello = cursor.helloAt(n, 'link:a', []);
      expect(hello.actors.map((row) => row.id).sort()).toEqual(Object.keys(expected.actors).sort());
      const populations: Record<string, Record<string, number>> = {};
      for (const row of hello.actors) {
        const state = expected.actors[row.id];
        if (!state) throw new Error(`${row.id} at ${n}`);
        expect(row.leaf, `${row.id} at step ${n}`).toBe(statePaths(state.value).at(-1));
        expect(row.status).toBe(state.status);
        const counts = populations[row.chart] ?? {};
        populations[row.chart] = counts;
        for (const path of pathsOf(row.leaf)) counts[path] = (counts[path] ?? 0) + 1;
      }
      expect(populations, `populations at step ${n}`).toEqual(expected.populations);
      const link = hello.details.find((detail) => detail.actor.id === 'link:a');
      if (expected.actors['link:a']) {
        expect(link?.records.at(-1)?.seq).toBeLessThanOrEqual(n + 1);
        expect(link?.actor.leaf).toBe(statePaths(expected.actors['link:a'].value).at(-1));
      }
      const socket = hello.details.find((detail) => detail.actor.group === 'supervisor');
      const ready = Object.values(expected.actors).filter(
        (a) => a.machine === 'connection' && statePaths(a.value).includes('attempt.ready'),
      ).length;
      expect(socket?.actor.figures.ready, `ready links at step ${n}`).toBe(ready);
      expect(hello.samples.at(-1)?.ready).toBe(ready);
    }
  });
});
