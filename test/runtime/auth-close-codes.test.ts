/**
 * `authCloseCodes` lists close codes a peer can send and a client receives: 1000–1003, 1007–1014
 * and 3000–4999. 1004 and 1016–2999 are reserved (RFC 6455 §7.4.2): `ws` refuses them on receipt
 * (the connection fails with 1002) and a browser never delivers them, so such a code would never
 * match; 1005, 1006 and 1015 no peer sends (§7.4.1). Each is refused with LV_ERR_INVALID_OPTION
 * naming the option and the value. Pure option checks (checkLinkOptions, as connect() runs it).
 */
import { describe, expect, it } from 'vitest';
import { checkLinkOptions } from '../../src/runtime/options.js';

describe('authCloseCodes: only codes a peer can send', () => {
  it.each([1004, 1005, 1006, 1015, 1016, 2000, 2999, 999, 5000])(
    '%i is refused, naming the value',
    (code) => {
      expect(() => checkLinkOptions({ authCloseCodes: [4401, code] })).toThrow(
        expect.objectContaining({
          code: 'LV_ERR_INVALID_OPTION',
          option: 'authCloseCodes',
          message: expect.stringContaining(`got ${code}`),
        }),
      );
    },
  );

  it('1000–1003, 1007–1014 and 3000–4999 are taken', () => {
    const codes = [1000, 1003, 1007, 1008, 1014, 3000, 4401, 4999];
    expect(checkLinkOptions({ authCloseCodes: codes }).authCloseCodes).toEqual(codes);
  });

  it('not an array, or a code that is no whole number: refused, naming the value', () => {
    for (const [bad, shown] of [
      [4401, 'got 4401'],
      [['4401'], 'got a string'],
      [[4401.5], 'got 4401.5'],
      [[4401, undefined], 'got undefined'],
      [[null], 'got null'],
      // biome-ignore lint/suspicious/noSparseArray: a hole is a missing code too
      [[4401, , 4402], 'got undefined'],
    ] as const) {
      expect(() => checkLinkOptions({ authCloseCodes: bad as never })).toThrow(
        expect.objectContaining({ option: 'authCloseCodes', message: expect.stringContaining(shown) }),
      );
    }
  });
});
