/**
 * waitFor (wait.ts) gives up at its deadline by the clock, never earlier: timers that fire early
 * (Node's may, by up to a millisecond: ./timer-early.ts) or polls shorter than `intervalMs` must
 * not end the wait after timeoutMs / intervalMs polls. Early timers are exaggerated here (each
 * sleep fires at half its delay) so that a count of polls would end the wait at about half of it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitFor } from './wait.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** setTimeout whose timers fire at half their delay. */
function earlyTimers(): void {
  const real = globalThis.setTimeout;
  vi.stubGlobal('setTimeout', ((fn: () => void, ms = 0) =>
    real(fn, Math.floor(ms / 2))) as typeof setTimeout);
}

describe('waitFor', () => {
  it('times out no earlier than timeoutMs, however early its timers fire', async () => {
    earlyTimers();
    const started = performance.now();
    let polls = 0;
    const error = await waitFor(() => ++polls < 0, {
      timeoutMs: 400,
      intervalMs: 20,
      message: 'never',
    }).catch((e: Error) => e);
    const waitedMs = performance.now() - started;
    vi.unstubAllGlobals();
    expect(String(error)).toContain('waitFor: never not met within 400 ms');
    // A count of timeoutMs / intervalMs + 2 polls (22) ended it at ~220 ms on an idle host.
    expect(waitedMs).toBeGreaterThanOrEqual(400);
    expect(polls).toBeGreaterThan(1);
  });

  it('returns the first truthy value, and names the last error on timeout', async () => {
    let n = 0;
    await expect(waitFor(() => (++n >= 3 ? `poll ${n}` : 0), { intervalMs: 1 })).resolves.toBe('poll 3');
    await expect(
      waitFor(
        () => {
          throw new Error('still down');
        },
        { timeoutMs: 30, message: 'the server' },
      ),
    ).rejects.toThrow('waitFor: the server not met within 30 ms: still down');
  });
});
