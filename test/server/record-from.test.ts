/**
 * `recordFrom`: the write a store's record says it was resumed from, read from whatever the store
 * answered (a JSON round trip, a nullable column, a record of an older version, a hostile getter):
 * a write, or undefined (then the server that ends its copy `moved` counts its last write that
 * succeeded, as before `from`).
 */
import { describe, expect, it } from 'vitest';
import { recordFrom } from '../../src/server/record-from.js';

describe('recordFrom', () => {
  it('names a write: an owner (or none) and a version that is a count', () => {
    expect(recordFrom({ from: { owner: 'a', version: 3 } })).toEqual({ owner: 'a', version: 3 });
    expect(recordFrom({ from: { version: 0 } })).toEqual({ owner: undefined, version: 0 });
  });

  it('anything else is none: no from (an older version), null, no count, an owner of another kind', () => {
    for (const record of [
      undefined,
      null,
      {},
      { from: null },
      { from: 'a:3' },
      { from: { owner: 'a' } },
      { from: { owner: 'a', version: -1 } },
      { from: { owner: 'a', version: 1.5 } },
      { from: { owner: 'a', version: '3' } },
      { from: { owner: 7, version: 3 } },
    ])
      expect(recordFrom(record)).toBeUndefined();
  });

  it('a getter that throws is none, never thrown', () => {
    const hostile = {
      get from(): unknown {
        throw new Error('boom');
      },
    };
    expect(recordFrom(hostile)).toBeUndefined();
  });
});
