/**
 * A trace is a regression test of the chart: replayed against a changed connection chart (a
 * different delay, a different guard), replay reports the first step where the actors diverge.
 * The chart module is replaced for this file only; `change` switches the edit on after recording.
 */
import { describe, expect, it, vi } from 'vitest';
import { replayTrace } from '../../src/testing/index.js';
import type { Trace } from '../../src/trace/trace-format.js';
import { recordFeedStall } from './memory-session.js';

const change = vi.hoisted(() => ({ to: 'none' as 'none' | 'delay' | 'guard' }));

vi.mock('../../machines/connection.machine.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../machines/connection.machine.js')>();
  const connectionMachine = original.connectionMachine.provide({
    delays: {
      heartbeatInterval: ({ context }) =>
        context.policy.heartbeat.intervalMs * (change.to === 'delay' ? 2 : 1),
    },
    guards: {
      tooManyMissed: ({ context }) =>
        change.to === 'guard' || context.missedPongs + 1 >= context.policy.heartbeat.maxMissed,
    },
  });
  return { ...original, connectionMachine };
});

function recordStall(): Promise<Trace> {
  change.to = 'none';
  return recordFeedStall();
}

describe('replay against a changed chart', () => {
  it('replays identically against the chart it was recorded with', async () => {
    const trace = await recordStall();
    expect((await replayTrace(trace)).ok).toBe(true);
  });

  it('a changed delay: the first timer that fires with another value is the divergence', async () => {
    const trace = await recordStall();
    change.to = 'delay';
    const result = await replayTrace(trace);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const first = trace.records.find((r) => r.kind === 'event' && r.source.kind === 'timer');
    expect(result.divergence).toMatchObject({ step: first?.step, actor: 'link:feed' });
    expect(result.divergence.expected).toMatch(/^xstate\.after\.heartbeatInterval\.\S+ after 1000 ms: /);
    expect(result.divergence.actual).toMatch(/^xstate\.after\.heartbeatInterval\.\S+ after 2000 ms: /);
    expect(result.message).toMatch(/^replay diverged at step \d+ \(link:feed\): expected .*; actual: /);
  });

  it('a changed guard: the first missed pong now loses the link', async () => {
    const trace = await recordStall();
    change.to = 'guard';
    const result = await replayTrace(trace);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const missed = trace.records.find(
      // The pong timeout's I/O turn ends without a pong: the miss.
      (r) => r.kind === 'event' && r.source.kind === 'timer' && r.source.delay === 'ioTurn',
    );
    expect(result.divergence.step).toBe(missed?.step);
    expect(result.divergence.expected).toMatch(/graceTurn → attempt\.ready\.beating$/);
    expect(result.divergence.actual).toMatch(/graceTurn → reconnecting$/);
  });
});
