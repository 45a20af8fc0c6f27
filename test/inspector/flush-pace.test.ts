/**
 * FlushPace (src/inspector/flush-pace.ts) on a Date.now() the test sets: batches at least an
 * interval apart on a running clock, and on a clock set back or standing still a batch held back
 * by two intervals of the timers at most (a wall clock is not waited on for the jump).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlushPace } from '../../src/inspector/flush-pace.js';

let clock = 0;
afterEach(() => {
  vi.restoreAllMocks();
});
function useClock(start: number): void {
  clock = start;
  vi.spyOn(Date, 'now').mockImplementation(() => clock);
}

/** Arms and fires until the batch goes, the clock moving by `step(delay)` a timer: the time waited. */
function waitForBatch(pace: FlushPace, step: (delay: number) => number): { now: number; waited: number } {
  let waited = 0;
  for (let timers = 0; timers < 1_000; timers++) {
    const delay = pace.arm();
    waited += Math.max(1, delay);
    clock += step(delay);
    const now = pace.fire();
    if (now !== null) return { now, waited };
  }
  throw new Error('no batch after 1,000 timers');
}

describe('FlushPace', () => {
  it('the first batch goes at once; the next waits for the rest of the interval', () => {
    useClock(1_000_000);
    const pace = new FlushPace(100);
    expect(pace.arm()).toBe(0);
    expect(pace.fire()).toBe(1_000_000);
    clock += 30;
    expect(pace.arm()).toBe(70);
    clock += 69; // a timer that fired a millisecond early: armed again for the rest
    expect(pace.fire()).toBeNull();
    expect(pace.arm()).toBe(1);
    clock += 1;
    expect(pace.fire()).toBe(1_000_100);
    clock += 500;
    expect(pace.arm()).toBe(0);
    expect(pace.fire()).toBe(1_000_600);
  });

  it('timers that fire a millisecond early: re-armed until the interval is over by Date.now()', () => {
    useClock(0);
    const pace = new FlushPace(100);
    pace.arm();
    pace.fire();
    // Date.now() 1 ms short when a timer of 2 ms or more fires (libuv's whole ms), on time after 1 ms.
    expect(waitForBatch(pace, (delay) => (delay > 1 ? delay - 1 : delay))).toEqual({ now: 100, waited: 101 });
  });

  it('a clock set back an hour before the timer is armed: one interval, not the hour', () => {
    useClock(1_000_000_000);
    const pace = new FlushPace(100);
    pace.arm();
    pace.fire();
    clock -= 3_600_000;
    expect(pace.arm()).toBe(100);
    clock += 100;
    expect(pace.fire()).toBe(1_000_000_000 - 3_600_000 + 100);
  });

  it('a clock set back while the timer waits: before the last batch, it goes when the timer fires', () => {
    useClock(1_000);
    const pace = new FlushPace(100);
    pace.arm();
    pace.fire();
    clock += 10;
    expect(pace.arm()).toBe(90);
    clock += 90 - 3_600_000;
    expect(pace.fire()).toBe(1_100 - 3_600_000);
  });

  it('a clock set back while the timer waits, by less: two intervals of the timers at most', () => {
    useClock(1_000);
    const pace = new FlushPace(100);
    pace.arm();
    pace.fire();
    expect(pace.arm()).toBe(100);
    clock += 100 - 90; // 90 ms back while it waited
    expect(pace.fire()).toBeNull();
    expect(pace.arm()).toBe(90);
    clock += 90;
    expect(pace.fire()).toBe(1_100);
  });

  it('a clock standing still: a batch every two intervals of the timers, never none', () => {
    useClock(5_000);
    const pace = new FlushPace(100);
    pace.arm();
    pace.fire();
    for (let i = 0; i < 3; i++) expect(waitForBatch(pace, () => 0)).toEqual({ now: 5_000, waited: 200 });
  });

  it('an interval of 0: every timer fires at once, a clock set back is not waited on', () => {
    useClock(10);
    const pace = new FlushPace(0);
    expect(pace.arm()).toBe(0);
    expect(pace.fire()).toBe(10);
    clock = 5;
    expect(pace.arm()).toBe(0);
    expect(pace.fire()).toBe(5);
  });
});
