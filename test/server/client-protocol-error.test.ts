/**
 * A client that breaks the resume protocol in the middle of its session (an ack of a message
 * never sent, a frame no version-1 peer sends, a `seq` that skips messages, a second hello): the
 * server closes its socket with 1002 and the reason, and says so to the application — the
 * session's `error` (LV_ERR_RESUME), then its end as a `reset` (protocol) with every message the
 * client never acknowledged reported `dropped` — instead of waiting out the TTL for a client that
 * lost the session and expiring it as if it had merely gone away. Real `ws` servers on 127.0.0.1
 * port 0.
 */
import { describe, expect, it } from 'vitest';
import { encodeAck, encodeHello, encodeSeq, MARK } from '../../src/resume/frames.js';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

describe('resumable(wss): a client that breaks the protocol mid-session', () => {
  const h = useHarness();

  it.each([
    ['an ack of a message never sent', encodeAck(99), 'ack of 99, never sent (last sent 1)'],
    ['a control frame of an unknown kind', Uint8Array.of(MARK, 0x7f), 'unknown control frame kind 127'],
    ['a seq that skips messages', encodeSeq(5), 'seq 5 skips messages (last received 0)'],
    [
      'a second hello',
      encodeHello({ version: 1, sessionId: '', lastReceived: 0, newId: 'x' }),
      'an unexpected hello frame',
    ],
  ])(
    '%s: closed with 1002 and why; the session reports it and ends (reset), its unacknowledged messages dropped',
    async (_, frame, why) => {
      const server = await h.wsServer();
      const rs = resumable(server.wss);
      h.defer(() => rs.close());
      const sessions: ResumableSession[] = [];
      const seen: string[] = [];
      rs.on('session', (s) => {
        sessions.push(s);
        s.on('error', (error) => seen.push(`error ${error.code} ${error.message}`));
        s.on('away', () => seen.push('away'));
        s.on('reset', ({ reason }) => seen.push(`reset ${reason}`));
        s.on('dropped', ({ data, reason }) => seen.push(`dropped ${String(data)} ${reason}`));
        s.on('close', ({ reason }) => seen.push(`close ${reason}`));
        s.send('s1');
      });
      const client = new RawResumeClient();
      h.defer(() => client.close());
      expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
      await waitFor(() => client.got.length === 1, { message: 's1 delivered (not acknowledged)' });
      const [ws] = server.wss.clients;
      const closed = new Promise<[number, string]>((resolve) =>
        ws?.on('close', (code, reason) => resolve([code, String(reason)])),
      );

      client.sendRaw(frame);
      const [, reason] = await closed;
      expect(reason).toBe(`linkvisor resume: ${why}`);
      await waitFor(() => seen.includes('close reset'), { message: 'the session ended' });
      expect(seen).toEqual([
        `error LV_ERR_RESUME the client broke the resume protocol (${why}): the session ends`,
        'reset protocol',
        'dropped s1 reset',
        'close reset',
      ]);
      expect(rs.size).toBe(0);
      expect(rs.status()).toMatchObject({ sessions: 0, away: 0 });
    },
  );
});
