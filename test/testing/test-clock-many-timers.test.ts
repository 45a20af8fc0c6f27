/**
 * TestClock.advance() fires every timer due on the way, however many: it stopped after 1,000,000
 * timers in one call and moved now() past the rest, which stayed pending, due in the past, and
 * fired late on a later advance (or never). A soak test reaches that count: 1,000 links with a
 * heartbeat, advanced by a simulated day, fire millions of timers in one advance().
 */
import { expect, it } from 'vitest';
import { TestClock } from '../../src/testing/test-clock.js';

it('advance() fires all of more than 1,000,000 timers due in its step, none left behind', async () => {
  const clock = new TestClock();
  const count = 1_000_003;
  let fired = 0;
  let late = 0;
  for (let i = 0; i < count; i++)
    clock.setTimeout(() => {
      fired++;
      if (clock.now() !== 5) late++;
    }, 5);
  await clock.advance(10);
  expect({ fired, late, pending: clock.pending, now: clock.now() }).toEqual({
    fired: count,
    late: 0,
    pending: 0,
    now: 10,
  });
});
