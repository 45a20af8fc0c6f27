/**
 * `SessionStore.deleteOwned(id, owner)`: the delete a server makes as a session it held ends,
 * which a store shared by several servers (processes) runs only while the record is the one that
 * server wrote (docs/resume.md, sharing a store; test/server/shared-store-expiry.test.ts). Every
 * record a server writes carries its mark (`owner`); `memoryStore()` implements it; a store without
 * it gets `delete` (as before); anything but a function is LV_ERR_INVALID_OPTION naming
 * `store.deleteOwned`; its failure is reported as a delete's, every form of the id redacted.
 * Real `ws` servers on 127.0.0.1 port 0.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { memoryStore, resumable, type SessionRecord, type SessionStore } from '../../src/server/index.js';
import type { LinkvisorError } from '../../src/util/errors.js';
import { useHarness } from '../helpers/harness.js';
import { idForms } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

describe('SessionStore.deleteOwned', () => {
  const h = useHarness();

  it.each(['yes', 1, null, {}])(
    'deleteOwned %j: LV_ERR_INVALID_OPTION naming store.deleteOwned',
    async (bad) => {
      const server = await h.wsServer();
      const store = { get: () => undefined, put: () => {}, delete: () => {}, deleteOwned: bad };
      expect(() => resumable(server.wss, { store: store as never })).toThrow(
        expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'store.deleteOwned' }),
      );
    },
  );

  it('memoryStore(): deletes the record only when its owner is the one named', () => {
    const store = memoryStore();
    store.put('s', { kind: 'overflowed', owner: 'b' }, 60_000);
    store.deleteOwned('s', 'a');
    expect(store.get('s')).toEqual({ kind: 'overflowed', owner: 'b' });
    store.deleteOwned('s', 'b');
    expect(store.get('s')).toBeUndefined();
    store.put('t', { kind: 'overflowed' }, 60_000);
    store.deleteOwned('t', 'a');
    expect(store.size).toBe(1);
    store.deleteOwned('none', 'a');
    expect(store.size).toBe(1);
  });

  /** A server on a store recording its calls; a client that leaves, then the session's end. */
  async function ended(withDeleteOwned: boolean, fail = false) {
    const server = await h.wsServer();
    const records = new Map<string, SessionRecord>();
    const calls: string[] = [];
    const store: SessionStore = {
      durable: true,
      get: (id) => records.get(id),
      put: (id, record) => {
        calls.push(`put ${record.kind} ${record.owner === undefined ? 'unmarked' : 'marked'}`);
        records.set(id, record);
      },
      delete: (id) => {
        calls.push('delete');
        records.delete(id);
      },
      ...(withDeleteOwned
        ? {
            deleteOwned: (id: string, owner: string) => {
              calls.push(`deleteOwned ${owner === records.get(id)?.owner ? 'its own' : 'another'}`);
              if (fail) throw new Error(`deleteOwned failed: key sess:${idForms(id).join(' ')}`);
              records.delete(id);
            },
          }
        : {}),
    };
    const rs = resumable(server.wss, { store, sessionTtlMs: 100 });
    h.defer(() => rs.close());
    const errors: LinkvisorError[] = [];
    rs.on('error', (error) => errors.push(error));
    const ids: string[] = [];
    const ends: string[] = [];
    rs.on('session', (s) => {
      ids.push(s.id);
      s.on('close', ({ reason }) => ends.push(reason));
    });
    const client = new RawResumeClient();
    h.defer(() => client.close());
    expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
    client.drop();
    await waitFor(() => ends.length === 1, { message: 'expired', timeoutMs: 5_000 });
    await rs.close();
    return { calls, records, errors, id: ids[0] as string, ends };
  }

  it('a server marks its records and ends a session with deleteOwned, its own mark', async () => {
    const { calls, records, errors, ends } = await ended(true);
    expect(ends).toEqual(['expired']);
    expect(calls).toEqual(['put session marked', 'deleteOwned its own']);
    expect(records.size).toBe(0);
    expect(errors).toEqual([]);
  });

  it('a store without deleteOwned: delete, as before', async () => {
    const { calls, records, errors } = await ended(false);
    expect(calls).toEqual(['put session marked', 'delete']);
    expect(records.size).toBe(0);
    expect(errors).toEqual([]);
  });

  it('a deleteOwned that throws quoting the id: reported as a failed delete, no form of the id', async () => {
    const { errors, id } = await ended(true, true);
    expect(errors.map((e) => e.message)).toEqual(['the session store failed to delete']);
    const shown = inspect(errors, { depth: 10 }) + JSON.stringify(errors.map((e) => [e.message, e.cause]));
    for (const form of idForms(id)) expect(shown).not.toContain(form);
  });
});
