/**
 * `SessionStore.replaceOwned(id, record, ttlMs, owner)`: the write `close()` makes, with a store
 * servers share, of a session whose record this server wrote within its TTL, which writes only
 * while a record is there, unmarked or `owner`'s, and answers whether it wrote
 * (test/server/shared-store-races.test.ts). `memoryStore()` implements it; a `replaceOwned` that
 * is not a function, or one given without `deleteOwned`, is LV_ERR_INVALID_OPTION naming
 * `store.replaceOwned`; an answer that is not a boolean (sync or async, even one quoting the
 * session id) is reported as a failed write (LV_ERR_LISTENER, its content never shown): the
 * session ends as when its write fails. Real `ws` server on 127.0.0.1 port 0.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { memoryStore, type SessionStore } from '../../src/server/index.js';
import type { LinkvisorError } from '../../src/util/errors.js';
import { useHarness } from '../helpers/harness.js';
import { idForms } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';
import { oneSessionOnA } from './one-session-on-a.js';
import { ownedMethodChecks } from './owned-method-checks.js';

describe('SessionStore.replaceOwned', () => {
  const h = useHarness();

  ownedMethodChecks(h, 'replaceOwned');

  it("memoryStore(): writes only while a record is there, unmarked or the owner's; says whether", () => {
    let nowMs = 0;
    const store = memoryStore({ clock: { now: () => nowMs } as never });
    // None there: not written (putOwned would).
    expect(store.replaceOwned('s', { kind: 'overflowed', owner: 'a' }, 100, 'a')).toBe(false);
    expect(store.get('s')).toBeUndefined();
    store.put('s', { kind: 'overflowed', owner: 'a' }, 100);
    expect(store.replaceOwned('s', { kind: 'overflowed', owner: 'b' }, 100, 'b')).toBe(false);
    expect(store.replaceOwned('s', { kind: 'overflowed', owner: 'a', n: 2 } as never, 100, 'a')).toBe(true);
    expect(store.get('s')).toEqual({ kind: 'overflowed', owner: 'a', n: 2 });
    store.put('t', { kind: 'overflowed' }, 100);
    expect(store.replaceOwned('t', { kind: 'overflowed', owner: 'b' }, 100, 'b')).toBe(true);
    expect(store.get('t')).toEqual({ kind: 'overflowed', owner: 'b' });
    // Its own record past its deadline is none: not written.
    nowMs = 100;
    expect(store.replaceOwned('s', { kind: 'overflowed', owner: 'a' }, 100, 'a')).toBe(false);
    expect(store.size).toBe(0);
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
        put: (id, record, ttlMs) => inner.put(id, record, ttlMs),
        delete: (id) => inner.delete(id),
        deleteOwned: (id, owner) => {
          calls.push('deleteOwned');
          inner.deleteOwned(id, owner);
        },
        putOwned: (id, record, ttlMs, owner) => {
          calls.push('putOwned');
          return answer(inner.putOwned(id, record, ttlMs, owner)) as never;
        },
        // Writes, then answers with the key it wrote: neither true nor false.
        replaceOwned: (id, record, ttlMs, owner) => {
          calls.push('replaceOwned');
          inner.replaceOwned(id, record, ttlMs, owner);
          return answer(`OK sess:${idForms(id).join(' ')}`) as never;
        },
      };
      const { a, errors, events, client, onA: session } = await oneSessionOnA(h, { store });
      client.drop();
      await waitFor(() => inner.get(session.id) !== undefined, { message: 'the away write' });
      calls.length = 0;
      await a.close();
      // Counted as not written: its end deletes the record (its own), m0 reported.
      expect(calls).toEqual(['replaceOwned', 'deleteOwned']);
      expect(inner.get(session.id)).toBeUndefined();
      expect(events).toEqual(['dropped m0 server-closed', 'close server-closed']);
      expect(errors.map((e) => [e.code, e.message])).toEqual([
        ['LV_ERR_LISTENER', 'the session store failed to put'],
      ]);
      const cause = (errors[0] as LinkvisorError).cause as Error & { code?: string };
      expect(cause.message).toContain('replaceOwned must answer a boolean');
      expect(cause.code).toBe('LV_ERR_LISTENER');
      const shown = inspect(errors, { depth: 10 }) + JSON.stringify(errors.map((e) => [e.message, e.cause]));
      for (const form of idForms(session.id)) expect(shown).not.toContain(form);
      expect(shown).not.toContain('OK sess');
    },
  );
});
