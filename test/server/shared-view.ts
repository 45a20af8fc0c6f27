/**
 * A durable async view of one `memoryStore()` (as a server sees a store it shares with others,
 * over one Redis), recording the calls made through it, whose `get` a test may hold
 * (test/server/shared-store-close.test.ts, shared-store-overflow.test.ts).
 */
import type { MemoryStore, SessionRecord, SessionStore } from '../../src/server/index.js';

/** A `get` the test answers: `undefined` to let the store answer at once. */
export type Hold = { get?: (id: string) => Promise<SessionRecord | undefined> };

/** A durable async view of `inner` recording its calls; `putOwned` unless `withPutOwned` is false. */
export function sharedView(
  inner: MemoryStore,
  calls: string[],
  hold: Hold,
  withPutOwned = true,
): SessionStore {
  return {
    durable: true,
    get: (id) => {
      calls.push('get');
      return hold.get ? hold.get(id) : Promise.resolve(inner.get(id));
    },
    put: async (id, record, ttlMs) => {
      calls.push('put');
      inner.put(id, record, ttlMs);
    },
    delete: async (id) => {
      calls.push('delete');
      inner.delete(id);
    },
    deleteOwned: async (id, owner) => {
      calls.push('deleteOwned');
      inner.deleteOwned(id, owner);
    },
    ...(withPutOwned
      ? {
          putOwned: async (id: string, record: SessionRecord, ttlMs: number, owner: string) => {
            calls.push('putOwned');
            return inner.putOwned(id, record, ttlMs, owner);
          },
        }
      : {}),
  };
}
