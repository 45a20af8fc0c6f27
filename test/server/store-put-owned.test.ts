/**
 * `SessionStore.putOwned(id, record, ttlMs, owner)`: the write `close()` makes with a store
 * servers share, which writes only while the record is absent, unmarked or `owner`'s, and answers
 * whether it wrote (test/server/shared-store-close.test.ts). `memoryStore()` implements it; a
 * `putOwned` that is not a function, or one given without `deleteOwned` (it would never be
 * called), is LV_ERR_INVALID_OPTION naming `store.putOwned`; an answer that is not a boolean
 * (sync or async, even one quoting the session id) is reported as a failed write (LV_ERR_LISTENER,
 * its content never shown): the session ends as when its write fails. Real `ws` server on
 * 127.0.0.1 port 0.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { memoryStore, type SessionStore } from '../../src/server/index.js';
import type { LinkvisorError } from '../../src/util/errors.js';
import { useHarness } from '../helpers/harness.js';
import { idForms } from '../helpers/secret-forms.js';
import { oneSessionOnA } from './one-session-on-a.js';
import { ownedMethodChecks } from './owned-method-checks.js';

describe('SessionStore.putOwned', () => {
  const h = useHarness();

  ownedMethodChecks(h, 'putOwned');

  it("memoryStore(): writes while the record is absent, unmarked or the owner's; says whether", () => {
    let nowMs = 0;
    const store = memoryStore({ clock: { now: () => nowMs } as never });
    expect(store.putOwned('s', { kind: 'overflowed', owner: 'a' }, 100, 'a')).toBe(true);
    expect(store.putOwned('s', { kind: 'overflowed', owner: 'b' }, 100, 'b')).toBe(false);
    expect(store.get('s')).toEqual({ kind: 'overflowed', owner: 'a' });
    expect(store.putOwned('s', { kind: 'overflowed', owner: 'a', n: 2 } as never, 100, 'a')).toBe(true);
    expect(store.get('s')).toEqual({ kind: 'overflowed', owner: 'a', n: 2 });
    store.put('t', { kind: 'overflowed' }, 100);
    expect(store.putOwned('t', { kind: 'overflowed', owner: 'b' }, 100, 'b')).toBe(true);
    expect(store.get('t')).toEqual({ kind: 'overflowed', owner: 'b' });
    // Another's record past its deadline is none: written.
    nowMs = 100;
    expect(store.putOwned('s', { kind: 'overflowed', owner: 'b' }, 100, 'b')).toBe(true);
    expect(store.get('s')).toEqual({ kind: 'overflowed', owner: 'b' });
    expect(store.size).toBe(1);
  });

  it.each([
    ['sync', false],
    ['async', true],
  ])(
    'an answer that is not a boolean (%s): a failed write, reported without its content',
    async (_, async) => {
      const inner = memoryStore();
      const calls: string[] = [];
      const answer = (value: unknown) => (async ? Promise.resolve(value) : value);
      const store: SessionStore = {
        durable: true,
        get: (id) => answer(inner.get(id)) as never,
        put: (id, record, ttlMs) => {
          calls.push('put');
          inner.put(id, record, ttlMs);
        },
        delete: (id) => inner.delete(id),
        deleteOwned: (id, owner) => {
          calls.push('deleteOwned');
          inner.deleteOwned(id, owner);
        },
        // Writes, then answers with the key it wrote: neither true nor false.
        putOwned: (id, record, ttlMs, owner) => {
          calls.push('putOwned');
          inner.putOwned(id, record, ttlMs, owner);
          return answer(`OK sess:${idForms(id).join(' ')}`) as never;
        },
      };
      const { a, errors, events, onA: session } = await oneSessionOnA(h, { store });
      await a.close();
      // Counted as not written: its end deletes the record (its own), m0 reported.
      expect(calls).toEqual(['putOwned', 'deleteOwned']);
      expect(inner.get(session.id)).toBeUndefined();
      expect(events).toEqual(['dropped m0 server-closed', 'close server-closed']);
      expect(errors.map((e) => [e.code, e.message])).toEqual([
        ['LV_ERR_LISTENER', 'the session store failed to put'],
      ]);
      const cause = (errors[0] as LinkvisorError).cause as Error & { code?: string };
      expect(cause.message).toContain('putOwned must answer a boolean');
      expect(cause.code).toBe('LV_ERR_LISTENER');
      const shown = inspect(errors, { depth: 10 }) + JSON.stringify(errors.map((e) => [e.message, e.cause]));
      for (const form of idForms(session.id)) expect(shown).not.toContain(form);
      expect(shown).not.toContain('OK sess');
    },
  );
});
