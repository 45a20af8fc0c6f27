/**
 * Health watchers under a simulated clock (TestClock): option errors (LV_ERR_INVALID_OPTION,
 * LV_ERR_UNKNOWN_OPTION, LV_ERR_DUPLICATE_ID naming the option).
 * No real time passes: every probe time is read from the test clock (watcher-env.ts, watcher-fixtures.ts).
 */
import { describe, expect, it } from 'vitest';
import { LinkvisorError, type WatcherOptions } from '../../src/index.js';
import { useWatcherEnv } from './watcher-env.js';

const setup = useWatcherEnv();

describe('watcher: options', () => {
  const probe = async () => {};

  function errorOf(fn: () => unknown): LinkvisorError {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(LinkvisorError);
      return error as LinkvisorError;
    }
    throw new Error('expected a LinkvisorError');
  }

  it('missing or empty name, missing probe: LV_ERR_INVALID_OPTION naming the option', () => {
    const { supervisor } = setup();
    const noName = errorOf(() => supervisor.watch({ probe } as unknown as WatcherOptions));
    expect(noName).toMatchObject({ code: 'LV_ERR_INVALID_OPTION', option: 'name' });
    expect(noName.message).toMatch(/^name: .*, got undefined$/);
    expect(errorOf(() => supervisor.watch({ name: '  ', probe }))).toMatchObject({
      code: 'LV_ERR_INVALID_OPTION',
      option: 'name',
      message: expect.stringMatching(/, got a blank string$/),
    });
    // The value it got, named (a number here; a string only by its kind).
    expect(errorOf(() => supervisor.watch({ name: 5, probe } as unknown as WatcherOptions)).message).toMatch(
      /, got 5$/,
    );
    const noProbe = errorOf(() => supervisor.watch({ name: 'x' } as unknown as WatcherOptions));
    expect(noProbe).toMatchObject({ code: 'LV_ERR_INVALID_OPTION', option: 'probe' });
    expect(noProbe.message).toMatch(/^probe:/);
    expect(errorOf(() => supervisor.watch(undefined as unknown as WatcherOptions))).toMatchObject({
      code: 'LV_ERR_INVALID_OPTION',
    });
  });

  it('wrong types and unknown keys name the option', () => {
    const { supervisor } = setup();
    expect(errorOf(() => supervisor.watch({ name: 'x', probe, pollIntervalMs: 0 }))).toMatchObject({
      code: 'LV_ERR_INVALID_OPTION',
      option: 'pollIntervalMs',
    });
    expect(errorOf(() => supervisor.watch({ name: 'x', probe, probeTimeoutMs: -1 }))).toMatchObject({
      code: 'LV_ERR_INVALID_OPTION',
      option: 'probeTimeoutMs',
    });
    expect(
      errorOf(() => supervisor.watch({ name: 'x', probe, onReady: 'yes' } as unknown as WatcherOptions)),
    ).toMatchObject({ code: 'LV_ERR_INVALID_OPTION', option: 'onReady' });
    expect(
      errorOf(() => supervisor.watch({ name: 'x', probe, pollInterval: 5 } as unknown as WatcherOptions)),
    ).toMatchObject({ code: 'LV_ERR_UNKNOWN_OPTION', option: 'pollInterval' });
    expect(supervisor.status().watchers).toEqual([]);
  });

  it('a duplicate name: LV_ERR_DUPLICATE_ID naming `name`; the name is free again once stopped', async () => {
    const { supervisor } = setup();
    const first = supervisor.watch({ name: 'pg', probe });
    const duplicate = errorOf(() => supervisor.watch({ name: 'pg', probe }));
    expect(duplicate).toMatchObject({ code: 'LV_ERR_DUPLICATE_ID', option: 'name' });
    expect(duplicate.message).toBe('watch(): a watcher with this name exists');
    expect(supervisor.watcher('pg')).toBe(first);
    await first.stop();
    const second = supervisor.watch({ name: 'pg', probe });
    expect(supervisor.watcher('pg')).toBe(second);
  });
});
