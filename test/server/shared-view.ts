/**
 * A durable async view of one `memoryStore()` (as a server sees a store it shares with others,
 * over one Redis), recording the calls made through it, whose `get` a test may hold
 * (test/server/shared-store-close.test.ts, shared-store-overflow.test.ts), or into whose next call
 * it may slip another server's change (`hold.next`: after that call's read, before its write —
 * the race of two servers' calls, whatever order this server makes its calls in).
 */
import type { MemoryStore, SessionRecord, SessionStore } from '../../src/server/index.js';

/** A `get` the test answers (`undefined`: the store answers at once); `next`: run once, inside
 * the next call made (a `get` has read, a write has not written yet). */
export type Hold = { get?: (id: string) => Promise<SessionRecord | undefined>; next?: () => void };

/** A durable async view of `inner` recording its calls; `putOwned` unless `withPutOwned` is false,
 * `replaceOwned` when `withReplaceOwned` is true. */
export function sharedView(
  inner: MemoryStore,
  calls: string[],
  hold: Hold,
  withPutOwned = true,
  withReplaceOwned = false,
): SessionStore {
  const slip = () => {
    const next = hold.next;
    hold.next = undefined;
    next?.();
  };
  return {
    durable: true,
    get: (id) => {
      calls.push('get');
      if (hold.get) return hold.get(id);
      const record = inner.get(id);
      slip();
      return Promise.resolve(record);
    },
    put: async (id, record, ttlMs) => {
      calls.push('put');
      slip();
      inner.put(id, record, ttlMs);
    },
    delete: async (id) => {
      calls.push('delete');
      slip();
      inner.delete(id);
    },
    deleteOwned: async (id, owner) => {
      calls.push('deleteOwned');
      slip();
      inner.deleteOwned(id, owner);
    },
    ...(withPutOwned
      ? {
          putOwned: async (id: string, record: SessionRecord, ttlMs: number, owner: string) => {
            calls.push('putOwned');
            slip();
            return inner.putOwned(id, record, ttlMs, owner);
          },
        }
      : {}),
    ...(withReplaceOwned
      ? {
          replaceOwned: async (id: string, record: SessionRecord, ttlMs: number, owner: string) => {
            calls.push('replaceOwned');
            slip();
            return inner.replaceOwned(id, record, ttlMs, owner);
          },
        }
      : {}),
  } as SessionStore;
}
