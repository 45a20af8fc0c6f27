/**
 * TestClock against the real clock at the edges (i27follow). Node's setTimeout fires a delay above
 * 2^31 − 1 ms (~24.8 days; Infinity too) after 1 ms, with a TimeoutOverflowWarning; the simulated
 * clock set such a timer weeks ahead, so a test on it never saw the hot loop production would
 * run. Now it is set for 1 ms, as Node's. `fire(delayMs)` refused 2^60 but took 2^40, which no
 * timer can have either: it now refuses every delay above 2^31 − 1, as it refuses −1.
 * `advance()` / `jump()` took steps that pushed `now()` past 2^53 (two timers a millisecond apart
 * then fire as one): refused naming `ms`. Every `…Ms` option of a link is refused above 2^31 − 1
 * at the option check, so none of the library's own timers reaches the clamp. And
 * `advanceToNext()` after a `fire()` out of order rejected "ms: must be between 0 and …, got -400"
 * (an option the caller never passed): the timer left behind fires late, as `advance()` fires it.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';

const OVER = 2 ** 31; // one above setTimeout's ceiling

const refused = (option: string) => expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option });

describe('TestClock agrees with the real clock on timers past setTimeout’s ceiling', () => {
  it("Node's setTimeout fires a delay of 2^31 ms (and Infinity) after about 1 ms", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const fired: string[] = [];
      await new Promise<void>((resolve) => {
        const guard = setTimeout(resolve, 2_000);
        let left = 2;
        const one = (name: string) => () => {
          fired.push(name);
          if (--left === 0) {
            clearTimeout(guard);
            resolve();
          }
        };
        setTimeout(one('2^31'), OVER);
        setTimeout(one('Infinity'), Number.POSITIVE_INFINITY);
      });
      expect(fired.sort()).toEqual(['2^31', 'Infinity']);
    } finally {
      await new Promise((resolve) => setImmediate(resolve));
      process.off('warning', onWarning);
    }
    expect(warnings).toContain('TimeoutOverflowWarning');
  });

  it.each([
    ['2^31', OVER],
    ['2^60', 2 ** 60],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('TestClock.setTimeout(fn, %s) fires after 1 ms, as Node’s', async (_, ms) => {
    const clock = new TestClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), ms);
    expect(clock.pendingDelays()).toEqual([1]);
    expect(clock.nextAt()).toBe(1);
    await clock.advance(1);
    expect(fired).toEqual([1]);
    expect(clock.pending).toBe(0);
  });

  it('the ceiling itself (2^31 − 1) is a real delay, fired only when due', async () => {
    const clock = new TestClock(0);
    let fired = false;
    clock.setTimeout(() => {
      fired = true;
    }, OVER - 1);
    await clock.advance(OVER - 2);
    expect(fired).toBe(false);
    expect(await clock.fire(OVER - 1)).toBe(true);
    expect(fired).toBe(true);
  });

  it('fire(delayMs) refuses every delay no timer can have (above 2^31 − 1), as it refuses −1', async () => {
    const clock = new TestClock(0);
    clock.setTimeout(() => {}, OVER);
    for (const delayMs of [OVER, 2 ** 40, 2 ** 60, -1])
      await expect(clock.fire(delayMs)).rejects.toThrow(refused('delayMs'));
    expect(await clock.fire(1)).toBe(true);
  });

  it('advance() and jump() refuse a step that takes now() past 2^53 − 1 ms', async () => {
    const clock = new TestClock(0);
    await clock.advance(Number.MAX_SAFE_INTEGER - 10);
    await expect(clock.advance(11)).rejects.toThrow(refused('ms'));
    expect(() => clock.jump(11)).toThrow(refused('ms'));
    clock.jump(10);
    expect(clock.now()).toBe(Number.MAX_SAFE_INTEGER);
    await clock.advance(0);
    await expect(clock.advance(2 ** 60)).rejects.toThrow(refused('ms'));
  });

  it("a link's …Ms option above 2^31 − 1 is refused at the check (the clamp is never reached by the library's timers)", async () => {
    const clock = new TestClock(0);
    const network = createMemoryNetwork({ clock });
    network.listen('mem://edge');
    const supervisor = createSupervisor({ transport: network.transport, clock, autoConnect: false });
    for (const [option, value] of [
      ['connectTimeoutMs', { connectTimeoutMs: OVER }],
      ['heartbeat.intervalMs', { heartbeat: { intervalMs: OVER } }],
      ['backoff.maxDelayMs', { backoff: { maxDelayMs: OVER } }],
    ] as const)
      expect(() => supervisor.connect('mem://edge', value)).toThrow(refused(option));
    expect(() => createSupervisor({ transport: network.transport, clock, lingerMs: OVER })).toThrow(
      refused('lingerMs'),
    );
    const closed = supervisor.close();
    await clock.advance(10_000);
    await closed;
  });

  it('advanceToNext() after a fire() out of order: the timer left behind fires late, at now() (it rejected naming ms)', async () => {
    const clock = new TestClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`a at ${clock.now()}`), 100);
    clock.setTimeout(() => fired.push(`b at ${clock.now()}`), 500);
    expect(await clock.fire(500)).toBe(true);
    expect(clock.nextAt()).toBe(100);
    expect(await clock.advanceToNext()).toBe(100);
    expect(fired).toEqual(['b at 500', 'a at 500']);
    expect(clock.now()).toBe(500);
    expect(await clock.advanceToNext()).toBeNull();
  });
});
