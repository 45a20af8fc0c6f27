/**
 * TestClock.advance() with timers that each arm two (a runaway: they double at every ms) never
 * returned, and a test runner's timeout could not end it (advance() awaits only microtasks). It
 * now rejects with LV_ERR_RUNAWAY_TIMERS naming `maxTimersPerInstant` once that many timers fired
 * at one instant, no time passing between them; the clock is left consistent (now() at that
 * instant, the rest pending). A long advance is not capped: test-clock-many-timers.test.ts fires a
 * chain of 1,000,003 timers, one per instant, in one advance().
 */
import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/testing/test-clock.js';

/** A timer that arms two more, 1 ms on, each time it fires; counts its fires. */
function doubling(clock: TestClock) {
  const state = { fired: 0, stop: false };
  const arm = () =>
    clock.setTimeout(() => {
      state.fired++;
      if (state.stop) return;
      arm();
      arm();
    }, 1);
  arm();
  return state;
}

describe('TestClock maxTimersPerInstant', () => {
  it('advance() over timers that each arm two rejects with LV_ERR_RUNAWAY_TIMERS, clock consistent', async () => {
    const clock = new TestClock(0, { maxTimersPerInstant: 1000 });
    const state = doubling(clock);
    // Instants 1..10 fire 1, 2, …, 512 timers (1,023 in all); at 11 ms, 1,024 are due: 1,000 fire.
    const error = await clock.advance(60_000).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      name: 'LinkvisorError',
      code: 'LV_ERR_RUNAWAY_TIMERS',
      option: 'maxTimersPerInstant',
    });
    expect((error as Error).message).toMatch(
      /^maxTimersPerInstant: 1000 timers fired at 11 ms and more are due then .*; 2024 pending$/,
    );
    expect(state.fired).toBe(1023 + 1000);
    // now() is the runaway's instant; the 24 timers left there and the 2,000 armed for 12 ms wait.
    expect({ now: clock.now(), pending: clock.pending, next: clock.nextAt() }).toEqual({
      now: 11,
      pending: 24 + 2000,
      next: 11,
    });
    // Consistent, and the next advance() counts afresh: the timers left (armed before it) fire
    // uncounted, the ones they arm are counted again, and the runaway is refused again at 13 ms.
    await expect(clock.advance(5)).rejects.toMatchObject({ code: 'LV_ERR_RUNAWAY_TIMERS' });
    expect({ fired: state.fired, now: clock.now() }).toEqual({
      fired: 1023 + 1024 + 2000 + 48 + 1000,
      now: 13,
    });
    // With the arming stopped, every timer left fires: none was armed in that advance().
    state.stop = true;
    const left = clock.pending;
    await clock.advance(5);
    expect({ fired: state.fired, pending: clock.pending, now: clock.now() }).toEqual({
      fired: 1023 + 1024 + 2000 + 48 + 1000 + left,
      pending: 0,
      now: 18,
    });
  });

  it('the default limit (100,000 at one instant) ends a runaway too', async () => {
    const clock = new TestClock();
    const state = doubling(clock);
    await expect(clock.advance(1000)).rejects.toMatchObject({
      code: 'LV_ERR_RUNAWAY_TIMERS',
      option: 'maxTimersPerInstant',
    });
    // 2^17 = 131,072 due at 18 ms: 100,000 of them fire (the clock is left with the rest pending).
    expect({ now: clock.now(), fired: state.fired }).toEqual({ now: 18, fired: 2 ** 17 - 1 + 100_000 });
  });

  it('exactly maxTimersPerInstant timers at one instant fire, with no error', async () => {
    const clock = new TestClock(0, { maxTimersPerInstant: 3 });
    let fired = 0;
    for (let i = 0; i < 3; i++) clock.setTimeout(() => fired++, 5);
    await clock.advance(10);
    // A chain far longer than the limit, one timer per instant, is no runaway either.
    const chain = () =>
      clock.setTimeout(() => {
        if (++fired < 3 + 50) chain();
      }, 1);
    chain();
    await clock.advance(100);
    expect({ fired, pending: clock.pending, now: clock.now() }).toEqual({ fired: 53, pending: 0, now: 110 });
  });

  it('advanceToNext() fires one instant, whose timers were armed before it: never a runaway', async () => {
    const clock = new TestClock(0, { maxTimersPerInstant: 2 });
    let fired = 0;
    for (let i = 0; i < 3; i++) clock.setTimeout(() => fired++, 4);
    expect(await clock.advanceToNext()).toBe(4);
    expect({ fired, now: clock.now(), pending: clock.pending }).toEqual({ fired: 3, now: 4, pending: 0 });
  });

  it('a bad maxTimersPerInstant or an unknown option is refused naming it', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10', null]) {
      expect(() => new TestClock(0, { maxTimersPerInstant: bad as never })).toThrow(
        expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'maxTimersPerInstant' }),
      );
    }
    expect(() => new TestClock(0, { maxTimersPerInstnt: 5 } as never)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_UNKNOWN_OPTION', option: 'maxTimersPerInstnt' }),
    );
    for (const bad of [null, 5, 'x']) {
      expect(() => new TestClock(0, bad as never)).toThrow(
        expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'options' }),
      );
    }
  });
});
