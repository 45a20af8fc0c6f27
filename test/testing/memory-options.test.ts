/**
 * createMemoryNetwork's options are checked at once, as every other entry's: a misspelt `clock`
 * used to be ignored (the network's latency then ran on real time while the links ran on the
 * test's clock), and a clock without timers failed at the first latency timer.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';

describe('createMemoryNetwork(options)', () => {
  it('refuses an unknown option, a clock without timers and a non-boolean inProcess, naming them', () => {
    expect(() => createMemoryNetwork({ clok: new TestClock() } as never)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_UNKNOWN_OPTION', option: 'clok' }),
    );
    for (const clock of [5, {}, { now: () => 0 }]) {
      expect(() => createMemoryNetwork({ clock: clock as never })).toThrow(
        expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'clock' }),
      );
    }
    expect(() => createMemoryNetwork({ inProcess: 'no' as never })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'inProcess' }),
    );
    expect(() => createMemoryNetwork(null as never)).toThrow(expect.objectContaining({ option: 'options' }));
  });

  it('takes a TestClock and the defaults', () => {
    expect(createMemoryNetwork({ clock: new TestClock(), inProcess: false }).transport.inProcess).toBe(false);
    expect(createMemoryNetwork().transport.inProcess).toBe(true);
  });
});
