/**
 * A store whose `claimOwned` was written to the contract before `expected: null` (it reads
 * `expected.owner` and `expected.version`): the first write of a new session (its client leaving)
 * passes `null` ("must be absent"). Before: a bare TypeError ("Cannot read properties of null")
 * reported as a failed put, with nothing naming `claimOwned` or the null contract. Now: one
 * LV_ERR_LISTENER naming `claimOwned` and `expected: null` (docs/resume.md), never the session id in any encoding (even when the TypeError names it).
 * Real `ws` server on 127.0.0.1 port 0.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  memoryStore,
  type RecordVersion,
  type SessionRecord,
  type SessionStore,
} from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { idForms } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';
import { oneSessionOnA } from './one-session-on-a.js';

/** A shared store whose claimOwned dereferences `expected` as the old contract allowed. */
function oldContractStore(async: boolean): SessionStore {
  const inner = memoryStore();
  return {
    durable: true,
    get: (id) => inner.get(id),
    put: (id, record, ttlMs) => inner.put(id, record, ttlMs),
    delete: (id) => inner.delete(id),
    deleteOwned: (id, owner) => inner.deleteOwned(id, owner),
    claimOwned(
      id: string,
      record: SessionRecord,
      ttlMs: number,
      owner: string,
      expected: RecordVersion | null,
    ) {
      if (async) return Promise.resolve().then(() => claimSync(id, record, ttlMs, owner, expected));
      return claimSync(id, record, ttlMs, owner, expected);
    },
  };
  function claimSync(
    id: string,
    record: SessionRecord,
    ttlMs: number,
    _owner: string,
    expected: RecordVersion | null,
  ) {
    // Written before null was passed (its TypeError naming the id, as a careless store's may).
    if (expected === null) throw new TypeError(`cannot read owner of null for ${id}`);
    const old = expected;
    const held = inner.get(id);
    if (!held || held.owner !== old.owner || (held.version ?? 0) !== old.version) return false;
    inner.put(id, record, ttlMs);
    return true;
  }
}

describe('a claimOwned written before expected: null', () => {
  const h = useHarness();

  it.each([
    ['thrown', false],
    ['rejected', true],
  ])(
    'its TypeError on null (%s) is reported as LV_ERR_LISTENER naming claimOwned and expected: null',
    async (_, async) => {
      const { errors, client, id } = await oneSessionOnA(h, {
        store: oldContractStore(async),
        sessionTtlMs: 60_000,
      });
      client.drop();
      await waitFor(() => errors.length > 0, { message: "the away write's error" });
      expect(errors).toHaveLength(1);
      const [error] = errors;
      expect(error?.code).toBe('LV_ERR_LISTENER');
      const text = `${error?.message} ${inspect(error, { depth: 8 })}`;
      expect(text).toMatch(/claimOwned threw a TypeError for expected: null/);
      expect(idForms(id).filter((form) => text.includes(form))).toEqual([]);
    },
  );
});
