/**
 * Review of i42replay: TestClock's `maxTimersPerInstant` counted every timer fired at one instant,
 * also those pending before `advance()` began: a finite pile (timers set up front with one delay, or
 * moved to now() by `jump()`, a laptop waking with many links) rejected with LV_ERR_RUNAWAY_TIMERS,
 * "timers arming timers without end?", though nothing armed anything and the docs say advance()
 * fires every timer due in its step, however many. A runaway's timers are armed by the timers it
 * fires: only those (armed during this advance()) count now.
 */
import { expect, it } from 'vitest';
import { TestClock } from '../../src/testing/test-clock.js';

it('timers set before advance(), more than the limit at one instant, all fire', async () => {
  const clock = new TestClock(0, { maxTimersPerInstant: 5 });
  let fired = 0;
  for (let i = 0; i < 12; i++) clock.setTimeout(() => fired++, 10);
  await clock.advance(10);
  expect({ fired, pending: clock.pending, now: clock.now() }).toEqual({ fired: 12, pending: 0, now: 10 });
  // advanceToNext() too: one instant's pending timers, however many.
  for (let i = 0; i < 7; i++) clock.setTimeout(() => fired++, 3);
  expect(await clock.advanceToNext()).toBe(13);
  expect(fired).toBe(19);
});

it('jump() past more timers than the limit, then advance(): every overdue timer fires', async () => {
  const clock = new TestClock(0, { maxTimersPerInstant: 5 });
  let fired = 0;
  for (let i = 1; i <= 12; i++) clock.setTimeout(() => fired++, i * 100);
  clock.jump(5_000);
  expect(clock.nextAt()).toBe(5_000);
  await clock.advance(0);
  expect({ fired, pending: clock.pending, now: clock.now() }).toEqual({ fired: 12, pending: 0, now: 5_000 });
});

it('the default limit lets 100,001 timers set up front at one instant fire', async () => {
  const clock = new TestClock();
  let fired = 0;
  for (let i = 0; i < 100_001; i++) clock.setTimeout(() => fired++, 1_000);
  await clock.advance(1_000);
  expect({ fired, pending: clock.pending }).toEqual({ fired: 100_001, pending: 0 });
});

it('overdue timers that each arm two still end as a runaway, counted from the ones they arm', async () => {
  const clock = new TestClock(0, { maxTimersPerInstant: 5 });
  let fired = 0;
  const arm = () =>
    clock.setTimeout(() => {
      fired++;
      arm();
      arm();
    }, 1);
  for (let i = 0; i < 12; i++) arm();
  clock.jump(50);
  // At 50 the 12 overdue fire (not counted); at 51 their 24: the 6th is refused.
  await expect(clock.advance(10)).rejects.toMatchObject({ code: 'LV_ERR_RUNAWAY_TIMERS' });
  expect({ fired, now: clock.now() }).toEqual({ fired: 12 + 5, now: 51 });
});
