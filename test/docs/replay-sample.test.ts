/**
 * docs/replay.md's sample of `linkvisor replay` diverging is what a replay prints: a trace of a
 * link whose pong timed out once, replayed against a chart where the first missed pong loses the
 * link (the `tooManyMissed` guard changed, as test/trace/replay-changed-chart.test.ts does). The
 * `→` shows the state the step settled in: `graceTurn` passes through the eventless `resting` (and
 * the lost link through `disconnected`) within the same step, which a trace does not record. The
 * step number of the sample is the reader's trace's, not checked.
 */
import { describe, expect, it, vi } from 'vitest';
import { replayTrace } from '../../src/testing/index.js';
import { recordFeedStall } from '../trace/memory-session.js';
import { readDoc } from './markdown.js';

const change = vi.hoisted(() => ({ guard: false }));

vi.mock('../../machines/connection.machine.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../machines/connection.machine.js')>();
  const connectionMachine = original.connectionMachine.provide({
    guards: {
      tooManyMissed: ({ context }) =>
        change.guard || context.missedPongs + 1 >= context.policy.heartbeat.maxMissed,
    },
  });
  return { ...original, connectionMachine };
});

describe("docs/replay.md's sample divergence", () => {
  it('is what a replay against the changed chart reports', async () => {
    change.guard = false;
    const trace = await recordFeedStall();
    change.guard = true;
    const result = await replayTrace(trace);
    change.guard = false;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const { actor, expected, actual } = result.divergence;
    const page = readDoc('docs/replay.md');
    const sample =
      /^linkvisor: replay diverged at step \d+ \((.+)\)\n {2}expected: (.+)\n {2}actual: {3}(.+)$/m.exec(
        page,
      );
    expect(sample, 'no replay sample in docs/replay.md').not.toBeNull();
    expect(sample?.slice(1)).toEqual([actor, expected, actual]);
  });
});
