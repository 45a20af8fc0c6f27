/**
 * FlushPace (src/inspector/flush-pace.ts) on a Date.now() the test sets: batches at least an
 * interval apart on a running clock, no wait longer than one interval, and no re-arming without end
 * on a clock set back or standing still.
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
    expect(pace.arm()).toBe(2); // the rest is 1 ms: at least 2, so a running clock moves meanwhile
    clock += 2;
    expect(pace.fire()).toBe(1_000_101);
    clock += 500;
    expect(pace.arm()).toBe(0);
  });

  it('a clock set back an hour: one interval at most, then the batch goes', () => {
    useClock(1_000_000_000);
    const pace = new FlushPace(100);
    pace.arm();
    pace.fire();
    clock -= 3_600_000;
    expect(pace.arm()).toBe(100);
    clock += 100;
    expect(pace.fire()).toBe(1_000_000_000 - 3_600_000 + 100);
    clock += 10;
    expect(pace.arm()).toBe(90);
    clock -= 50; // set back while the timer waits, by less than an interval: the batch goes when it fires
    expect(pace.fire()).toBe(1_000_000_000 - 3_600_000 + 60);
  });

  it('a clock set back by less than an interval: one interval from the arming, not more', () => {
    useClock(1_000);
    const pace = new FlushPace(100);
    pace.arm();
    pace.fire();
    clock -= 50;
    expect(pace.arm()).toBe(100);
    clock += 100;
    expect(pace.fire()).toBe(1_050);
  });

  it('a clock standing still: the batch goes when the timer fires (once an interval of the timers)', () => {
    useClock(5_000);
    const pace = new FlushPace(100);
    pace.arm();
    pace.fire();
    for (let i = 0; i < 3; i++) {
      expect(pace.arm()).toBe(100);
      expect(pace.fire()).toBe(5_000);
    }
  });

  it('re-arms end within one interval: each needs the clock to have moved on', () => {
    useClock(0);
    const pace = new FlushPace(100);
    pace.arm();
    pace.fire();
    let rearms = 0;
    let waited = 0;
    for (;;) {
      const wait = pace.arm();
      expect(wait).toBeLessThanOrEqual(100);
      clock += 1; // every timer fires as early as it can: the clock moved by 1 ms only
      waited += 1;
      if (pace.fire() !== null) break;
      rearms++;
    }
    expect(waited).toBe(100);
    expect(rearms).toBe(99);
  });

  it('an interval of 0: every timer fires at once, a clock set back is not waited on', () => {
    useClock(10);
    const pace = new FlushPace(0);
    expect(pace.arm()).toBe(0);
    expect(pace.fire()).toBe(10);
    expect(pace.arm()).toBe(0);
    clock = 5;
    expect(pace.arm()).toBe(0);
    expect(pace.fire()).toBe(5);
  });
});
