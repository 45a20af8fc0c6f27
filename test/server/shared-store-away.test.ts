/**
 * Server A's writes of a session while it runs (its client going away, the write before an ack)
 * with a durable store servers share that has `putOwned`: when another server B marked the record
 * since (the client resumed there, A's socket half-open), they go through `putOwned` and leave
 * B's newer record (before: A's plain `put` wrote over it, and a later hello resumed A's stale
 * copy); A's copy ends `moved`, `dropped` only what A sent after its last write, and no ack goes
 * out for a write that was refused. A store without `putOwned` gets `put` as before.
 * Real `ws` server on 127.0.0.1 port 0; B's writes are made on the store directly.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  memoryStore,
  type ResumableSession,
  resumable,
  type SessionRecord,
  type SessionStore,
} from '../../src/server/index.js';
import type { LinkvisorError } from '../../src/util/errors.js';
import { useHarness } from '../helpers/harness.js';
import { idForms } from '../helpers/secret-forms.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { oneSessionOnA } from './one-session-on-a.js';
import { RawResumeClient } from './raw-resume-client.js';
import { sharedView } from './shared-view.js';

describe("a shared store's away and ack writes, the record B's", () => {
  const h = useHarness();

  /** A's session, its client attached again after one leave (A's record, written as it left:
   * m0, acknowledged by the hello), m1 sent since; then B resumes it from that record (its mark
   * on the record: the client reached B while its socket to A stayed half-open). */
  async function resumedOnB(withPutOwned = true) {
    const inner = memoryStore();
    const calls: string[] = [];
    const { server, a, errors, events, sessionErrors, onA, id, client } = await oneSessionOnA(h, {
      store: sharedView(inner, calls, {}, withPutOwned),
    });
    client.drop();
    await waitFor(() => inner.get(id) !== undefined, { message: "A's record" });
    expect(await client.connect(server.url)).toMatchObject({ outcome: 'resumed' });
    expect(onA.send('m1')).toBe('sent');
    await waitFor(() => client.got.length === 2, { message: 'm1' });
    const record = inner.get(id) as SessionRecord;
    inner.put(id, { ...record, owner: 'server-b' }, 60_000);
    calls.length = 0;
    return { inner, calls, a, errors, events, sessionErrors, id, client };
  }

  it("the client leaves A (half-open there): putOwned leaves B's record, A ends moved", async () => {
    const { inner, calls, errors, events, id, client } = await resumedOnB();
    client.drop();
    await waitFor(() => events.includes('close moved'), { message: 'moved' });
    // Refused, then read once for the write B resumed from (its \`from\`; round 44 review).
    expect(calls).toEqual(['putOwned', 'get']);
    expect(inner.get(id)?.owner).toBe('server-b');
    expect(events).toEqual(['dropped m1 moved', 'close moved']);
    expect(errors).toEqual([]);
  });

  it("the write before an ack: putOwned leaves B's record, no ack, A ends moved, c0's second delivery said", async () => {
    const { inner, calls, errors, events, sessionErrors, id, client } = await resumedOnB();
    client.send('c0');
    await waitFor(() => events.includes('close moved'), { message: 'moved' });
    // Refused, then read once for the write B resumed from (its \`from\`; round 44 review).
    expect(calls).toEqual(['putOwned', 'get']);
    expect(inner.get(id)?.owner).toBe('server-b');
    // c0, delivered here, is not in the record B resumed from: its client sends it to B, which
    // delivers it again. Said once, before the end (before: nothing said it).
    expect(events).toEqual(['error LV_ERR_RESUME', 'dropped m1 moved', 'close moved']);
    expect(sessionErrors.map((e) => e.message)).toEqual([
      'the session moved to another server sharing the store, whose record of it lacks the last 1 message(s) received here, never acknowledged: its client sends them there again, delivered twice',
    ]);
    const shown =
      inspect(sessionErrors, { depth: 10 }) + JSON.stringify(sessionErrors.map((e) => [e.message, e.cause]));
    for (const form of idForms(id)) expect(shown).not.toContain(form);
    expect(shown).not.toContain('c0');
    await sleep(20);
    // c0 never acknowledged by A (its write did not happen).
    expect(client.core.stream.bufferedMessages).toBe(1);
    expect(errors).toEqual([]);
  });

  it('a store without putOwned: the away write is a put (as before)', async () => {
    const { calls, events, client } = await resumedOnB(false);
    client.drop();
    await waitFor(() => calls.length === 1, { message: 'away write' });
    expect(calls).toEqual(['put']);
    expect(events).toEqual([]);
  });

  it.each([
    ['sync', false],
    ['async', true],
  ])(
    'an away write whose putOwned answers no boolean (%s): a failed put, reported without the id',
    async (_, async) => {
      const inner = memoryStore();
      const answer = (value: unknown) => (async ? Promise.resolve(value) : value);
      const store: SessionStore = {
        durable: true,
        get: (id) => inner.get(id),
        put: (id, record, ttlMs) => inner.put(id, record, ttlMs),
        delete: (id) => inner.delete(id),
        deleteOwned: (id, owner) => inner.deleteOwned(id, owner),
        putOwned: (id) => answer(`OK sess:${idForms(id).join(' ')}`) as never,
      };
      const server = await h.wsServer();
      const a = resumable(server.wss, { store });
      h.defer(() => a.close());
      const errors: LinkvisorError[] = [];
      a.on('error', (error) => errors.push(error));
      const sessions: ResumableSession[] = [];
      a.on('session', (s) => sessions.push(s));
      const client = new RawResumeClient();
      h.defer(() => client.close());
      expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
      const session = sessions[0] as ResumableSession;
      client.drop();
      await waitFor(() => errors.length === 1, { message: 'the failed put reported' });
      // Not written, reported; the session still waits for its client (not ended, not moved).
      expect(inner.get(session.id)).toBeUndefined();
      expect(session.ended).toBe(false);
      expect(errors.map((e) => [e.code, e.message])).toEqual([
        ['LV_ERR_LISTENER', 'the session store failed to put'],
      ]);
      const shown = inspect(errors, { depth: 10 }) + JSON.stringify(errors.map((e) => [e.message, e.cause]));
      for (const form of idForms(session.id)) expect(shown).not.toContain(form);
      expect(shown).not.toContain('OK sess');
    },
  );
});
