/**
 * createSupervisor's own options given hostile values: each refused at once with
 * LV_ERR_INVALID_OPTION (or LV_ERR_UNKNOWN_OPTION) naming it, or taken when it means something
 * (-0, a frozen options object, a symbol key, which names no option). Before, an `inspect` that is
 * no observer (5, a string, null, `{ next: 5 }`) was taken: a number observed nothing and said
 * nothing, and null or `{ next: 5 }` reported an LV_ERR_LISTENER for every XState event of every
 * actor (68 for one link's life) instead of one clear error at once.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor } from '../../src/index.js';

const refused = (option: string, code = 'LV_ERR_INVALID_OPTION') =>
  expect.objectContaining({ name: 'LinkvisorError', code, option });

describe('createSupervisor: hostile values of its own options', () => {
  const bad: [string, Record<string, unknown>, string, string?][] = [
    ['inspect: 5', { inspect: 5 }, 'inspect'],
    ["inspect: 'log'", { inspect: 'log' }, 'inspect'],
    ['inspect: null', { inspect: null }, 'inspect'],
    ['inspect: { next: 5 }', { inspect: { next: 5 } }, 'inspect.next'],
    [
      'inspect whose next getter throws',
      {
        inspect: {
          get next() {
            throw new Error('no');
          },
        },
      },
      'inspect.next',
    ],
    ['lingerMs: NaN', { lingerMs: Number.NaN }, 'lingerMs'],
    ['lingerMs: Infinity', { lingerMs: Number.POSITIVE_INFINITY }, 'lingerMs'],
    ['lingerMs: -1', { lingerMs: -1 }, 'lingerMs'],
    ["lingerMs: '5'", { lingerMs: '5' }, 'lingerMs'],
    ['lingerMs: 2 ** 40 (beyond a timer)', { lingerMs: 2 ** 40 }, 'lingerMs'],
    ['degradedShare: 1', { degradedShare: 1 }, 'degradedShare'],
    ['degradedShare: NaN', { degradedShare: Number.NaN }, 'degradedShare'],
    ['seed: 1.5', { seed: 1.5 }, 'seed'],
    ['seed: NaN', { seed: Number.NaN }, 'seed'],
    ["networkSignals: 'yes'", { networkSignals: 'yes' }, 'networkSignals'],
    ['clock without setTimeout', { clock: { now: () => 0, clearTimeout() {} } }, 'clock'],
    ['a misspelt option', { lingerMS: 5 }, 'lingerMS', 'LV_ERR_UNKNOWN_OPTION'],
  ];
  for (const [label, options, option, code] of bad) {
    it(`${label}: refused naming ${option}`, () => {
      expect(() => createSupervisor(options as never)).toThrow(refused(option, code));
    });
  }

  it('taken: -0, an observer function or object, a frozen options object, a symbol key', async () => {
    const frozen = Object.freeze({ lingerMs: -0, degradedShare: -0, seed: -0, inspect: Object.freeze({}) });
    const withSymbol = { [Symbol('private')]: 1, inspect: { next: () => {} } };
    for (const options of [frozen, withSymbol, { inspect: () => {} }]) {
      const supervisor = createSupervisor(options as never);
      await supervisor.close();
    }
  });
});
