/**
 * A durable async view of one `memoryStore()` (as a server sees a store it shares with others,
 * over one Redis), recording the calls made through it, whose `get` a test may hold
 * (test/server/shared-store-close.test.ts, shared-store-overflow.test.ts), or into whose next call
 * it may slip another server's change (`hold.next`: after that call's read, before its write —
 * the race of two servers' calls, whatever order this server makes its calls in).
 */
import type { MemoryStore, RecordVersion, SessionRecord, SessionStore } from '../../src/server/index.js';

/** A `get` the test answers (`undefined`: the store answers at once); `next`: run once, inside
 * the next call made (a `get` has read, a write has not written yet); `wait`: what the next write
 * waits for (set by `next`, say), before it writes. */
export type Hold = {
  get?: (id: string) => Promise<SessionRecord | undefined>;
  next?: () => void;
  wait?: Promise<void>;
};

/** A durable async view of `inner` recording its calls; `putOwned` unless `withPutOwned` is false,
 * `replaceOwned` when `withReplaceOwned` is true, `claimOwned` when `withClaimOwned` is true. */
export function sharedView(
  inner: MemoryStore,
  calls: string[],
  hold: Hold,
  withPutOwned = true,
  withReplaceOwned = false,
  withClaimOwned = false,
): SessionStore {
  const slip = () => {
    const next = hold.next;
    hold.next = undefined;
    next?.();
  };
  /** A write's turn: `slip`, then what the test holds it for. */
  const turn = async () => {
    slip();
    const wait = hold.wait;
    hold.wait = undefined;
    await wait;
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
      await turn();
      inner.put(id, record, ttlMs);
    },
    delete: async (id) => {
      calls.push('delete');
      await turn();
      inner.delete(id);
    },
    deleteOwned: async (id, owner) => {
      calls.push('deleteOwned');
      await turn();
      inner.deleteOwned(id, owner);
    },
    ...(withPutOwned
      ? {
          putOwned: async (id: string, record: SessionRecord, ttlMs: number, owner: string) => {
            calls.push('putOwned');
            await turn();
            return inner.putOwned(id, record, ttlMs, owner);
          },
        }
      : {}),
    ...(withReplaceOwned
      ? {
          replaceOwned: async (id: string, record: SessionRecord, ttlMs: number, owner: string) => {
            calls.push('replaceOwned');
            await turn();
            return inner.replaceOwned(id, record, ttlMs, owner);
          },
        }
      : {}),
    ...(withClaimOwned
      ? {
          claimOwned: async (
            id: string,
            record: SessionRecord,
            ttlMs: number,
            owner: string,
            expected: RecordVersion | null,
          ) => {
            calls.push('claimOwned');
            await turn();
            return inner.claimOwned(id, record, ttlMs, owner, expected);
          },
        }
      : {}),
  } as SessionStore;
}
