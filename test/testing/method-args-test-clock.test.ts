/**
 * TestClock's methods given hostile arguments: refused at the call (LV_ERR_INVALID_OPTION naming
 * the argument) or taken as the platform's timers take them, and the clock keeps working. Before
 * (round 26): `fire(delayMs)` with undefined, a string, NaN or -1 resolved `false` (as if no timer
 * of that delay were pending, a test's typo passing silently), and `setTimeout(fn, ms)` with a
 * `fn` that is no function was taken, then threw a raw TypeError ("timer.fn is not a function")
 * out of a later `advance()`, far from the call. `advance`, `jump`, the constructor and `settle`
 * already refused (pinned here).
 */
import { describe, expect, it } from 'vitest';
import { settle, TestClock } from '../../src/testing/index.js';

const refused = (option: string) =>
  expect.objectContaining({ name: 'LinkvisorError', code: 'LV_ERR_INVALID_OPTION', option });

const throwingProxy = new Proxy(
  {},
  {
    get() {
      throw new Error('proxy');
    },
  },
);
const NOT_NUMBERS: unknown[] = [
  undefined,
  null,
  '100',
  true,
  Number.NaN,
  -1,
  Number.POSITIVE_INFINITY,
  Symbol('ms'),
  throwingProxy,
  Object.freeze({}),
  [100],
];
const NOT_FUNCTIONS: unknown[] = [undefined, null, 5, 'tick', Symbol('fn'), throwingProxy, { call() {} }];

describe('TestClock: hostile method arguments', () => {
  it('fire(delayMs): a value that is no finite number ≥ 0 rejects naming delayMs', async () => {
    const clock = new TestClock();
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(100), 100);
    for (const bad of NOT_NUMBERS) await expect(clock.fire(bad as never)).rejects.toThrow(refused('delayMs'));
    // The clock still works: a real delay fires, an absent one is false.
    expect(await clock.fire(50)).toBe(false);
    expect(await clock.fire(100)).toBe(true);
    expect(fired).toEqual([100]);
    expect(clock.pending).toBe(0);
  });

  it('setTimeout(fn): a fn that is no function is refused at the call, and advance() still runs', async () => {
    const clock = new TestClock();
    for (const bad of NOT_FUNCTIONS) expect(() => clock.setTimeout(bad as never, 10)).toThrow(refused('fn'));
    expect(clock.pending).toBe(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('ok'), 10);
    await clock.advance(20);
    expect(fired).toEqual(['ok']);
  });

  it("setTimeout(fn, ms): ms converted as the platform's setTimeout converts it, an odd one is 1", async () => {
    const clock = new TestClock();
    const fired: unknown[] = [];
    for (const ms of [undefined, null, '5', Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      clock.setTimeout(() => fired.push(ms), ms as never);
    }
    // '5' is 5 ms, as Node's and a browser's setTimeout take it (i27follow: it was 0); Infinity
    // overflows setTimeout's ceiling: 1 ms, as Node's (./test-clock-overflow.test.ts); undefined,
    // NaN and -1 are 1 ms as in Node (they were 0: ./test-clock-min-delay.test.ts); null is 0 as
    // set, due 1 ms later.
    expect(clock.pendingDelays()).toEqual([1, 0, 1, 1, 1, 5]);
    await clock.advance(5);
    expect(fired).toHaveLength(6);
    // What setTimeout throws a TypeError for is refused naming ms, and sets no timer.
    for (const ms of [Symbol('ms'), 5n])
      expect(() => clock.setTimeout(() => {}, ms as never)).toThrow(refused('ms'));
    expect(clock.pending).toBe(0);
    // clearTimeout of anything that is no pending id does nothing (as the platform's).
    for (const id of [...NOT_NUMBERS, 99]) clock.clearTimeout(id);
  });

  it('advance, jump, the constructor and settle refuse what is no number ≥ 0 (pinned)', async () => {
    const clock = new TestClock();
    for (const bad of NOT_NUMBERS) {
      await expect(clock.advance(bad as never)).rejects.toThrow(refused('ms'));
      expect(() => clock.jump(bad as never)).toThrow(refused('ms'));
      if (bad !== undefined && bad !== -1)
        expect(() => new TestClock(bad as never)).toThrow(refused('startMs'));
      if (bad !== undefined) await expect(settle(bad as never)).rejects.toThrow(refused('rounds'));
    }
    expect(clock.now()).toBe(0);
  });
});
