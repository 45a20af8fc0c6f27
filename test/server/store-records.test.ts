/**
 * A store that returns what is not a session record (a durable store that lost its Uint8Arrays in
 * a JSON round trip, a truncated row, a record of another version): the server reports it as an
 * `error` (LV_ERR_LISTENER, the store is the application's) and treats the session as unknown, so
 * the client is answered (a new session) instead of being cut off at every reconnect, and nothing
 * throws out of the server (an unhandled rejection would end the process).
 */
import { describe, expect, it } from 'vitest';
import { type ResumableSession, resumable, type SessionStore } from '../../src/server/index.js';
import type { LinkvisorError } from '../../src/util/errors.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

/** A session record that sent `sentSeq` messages and keeps unacknowledged ones numbered `seqs`. */
function numbered(sentSeq: number, seqs: number[]): unknown {
  const unacked = seqs.map((seq) => ({ seq, data: 'a', bytes: 1 }));
  return { kind: 'session', stream: { sentSeq, receivedSeq: 0, unacked } };
}

const BAD_RECORDS: [string, unknown][] = [
  ['a stream without its unacked list', { kind: 'session', stream: { sentSeq: 1, receivedSeq: 0 } }],
  ['no stream at all', { kind: 'session' }],
  ['a kind of another version', { kind: 'archived', stream: null }],
  [
    'binary data turned into an object by JSON',
    {
      kind: 'session',
      stream: { sentSeq: 1, receivedSeq: 0, unacked: [{ seq: 1, data: { 0: 104 }, bytes: 1 }] },
    },
  ],
  [
    'sequence numbers that are not numbers',
    { kind: 'session', stream: { sentSeq: '1', receivedSeq: 0, unacked: [] } },
  ],
  ['a string', 'corrupt'],
  // Well shaped, but not numbered as sent: a replay would deliver a message twice or skip one.
  ['the same message twice', numbered(2, [1, 1])],
  ['unacknowledged messages that are not the last ones sent', numbered(2, [5])],
  ['more unacknowledged messages than were sent', numbered(1, [0, 1])],
  // Sizes that are not the messages': the replay buffer's bounds would be counted wrong.
  [
    'a text entry whose bytes say 0',
    { kind: 'session', stream: { sentSeq: 1, receivedSeq: 0, unacked: [{ seq: 1, data: 'abc', bytes: 0 }] } },
  ],
  [
    'a binary entry whose bytes say more than it holds',
    {
      kind: 'session',
      stream: { sentSeq: 1, receivedSeq: 0, unacked: [{ seq: 1, data: new Uint8Array(3), bytes: 1e9 }] },
    },
  ],
  [
    'a text entry counted in characters, not UTF-8 bytes',
    { kind: 'session', stream: { sentSeq: 1, receivedSeq: 0, unacked: [{ seq: 1, data: 'é', bytes: 1 }] } },
  ],
];

describe('resumable(wss) with a store that returns a malformed record', () => {
  const h = useHarness();

  for (const [what, record] of BAD_RECORDS) {
    it(`${what}: reported as an error, the client gets a new session`, async () => {
      const server = await h.wsServer();
      const store: SessionStore = {
        durable: true,
        get: () => record as never,
        put: () => {},
        delete: () => {},
      };
      const rs = resumable(server.wss, { store });
      h.defer(() => rs.close());
      const errors: LinkvisorError[] = [];
      rs.on('error', (error) => errors.push(error));
      const sessions: ResumableSession[] = [];
      rs.on('session', (s) => sessions.push(s));
      const client = new RawResumeClient();
      h.defer(() => client.close());
      expect(await client.connect(server.url)).toMatchObject({ outcome: 'new' });
      await waitFor(() => sessions.length === 1, { message: 'session' });
      expect(errors.length).toBeGreaterThanOrEqual(1);
      expect(errors[0]).toMatchObject({ code: 'LV_ERR_LISTENER' });
      expect(errors[0]?.message).toMatch(/session store returned .*not a session record/);
    });
  }
});
