/**
 * TestClock's delays below 1 ms, as Node's setTimeout takes them: 0, 0.5, a negative delay, NaN
 * (`undefined`) are 1 ms, and a fraction is cut (1.5 and 1.99 are 1), so a `setTimeout(fn, 0)`
 * fires with the 1 ms timers set before it, in the order they were set, not ahead of them. Before:
 * they were 0 (fired at once by `advance(0)`, ahead of every 1 ms timer) and a fraction was kept
 * (1.5 after 1): a simulated run ordered timers as production never does. Checked against Node's
 * own timers (set in one callback, so one loop time: the order is deterministic). `fire(0)` still
 * finds a timer set with 0 (the model tests' named 0 ms delays).
 */
import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/testing/test-clock.js';

/** Delays set in this order; Node runs them all in its 1 ms list, in this order, then the 2 ms. */
const DELAYS: unknown[] = [1, 0, 1.5, 0.5, Number.NaN, -1, 1.99, undefined, null, 2];

/** The order Node's own setTimeout fires DELAYS in (set within one timer callback). */
function nodeOrder(): Promise<string[]> {
  return new Promise((resolve) => {
    setTimeout(() => {
      const fired: string[] = [];
      for (const ms of DELAYS) setTimeout(() => fired.push(String(ms)), ms as number);
      setTimeout(() => resolve(fired), 40);
    }, 0);
  });
}

describe('TestClock: delays below 1 ms are 1, as Node schedules them', () => {
  it('fires DELAYS in the order Node does, each at the time Node does', async () => {
    const clock = new TestClock();
    const fired: string[] = [];
    for (const ms of DELAYS) clock.setTimeout(() => fired.push(`${String(ms)}@${clock.now()}`), ms as number);
    await clock.advance(0);
    expect(fired).toEqual([]);
    await clock.advance(5);
    const expected = await nodeOrder();
    expect(fired.map((entry) => entry.split('@')[0])).toEqual(expected);
    expect(expected).toEqual(['1', '0', '1.5', '0.5', 'NaN', '-1', '1.99', 'undefined', 'null', '2']);
    expect(fired.map((entry) => Number(entry.split('@')[1]))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
  });

  it('a 0 ms timer set after a 1 ms one fires after it; fire(0) finds it, due 1 ms on', async () => {
    const clock = new TestClock(100);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('one'), 1);
    clock.setTimeout(() => fired.push('zero'), 0);
    expect(clock.nextAt()).toBe(101);
    expect(clock.pendingDelays()).toEqual([1, 0]);
    await clock.advance(1);
    expect(fired).toEqual(['one', 'zero']);
    clock.setTimeout(() => fired.push('named zero'), 0);
    expect(await clock.fire(0)).toBe(true);
    expect(fired.at(-1)).toBe('named zero');
    expect(clock.now()).toBe(102);
    expect(clock.pending).toBe(0);
  });
});
