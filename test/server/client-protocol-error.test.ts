/**
 * A client that breaks the resume protocol in the middle of its session (an ack of a message
 * never sent, a frame no version-1 peer sends, a `seq` that skips messages, a second hello): the
 * server closes its socket with 1002 and the reason, and says so to the application — the
 * session's `error` (LV_ERR_RESUME), then its end as a `reset` (protocol) with every message the
 * client never acknowledged reported `dropped` — instead of waiting out the TTL for a client that
 * lost the session and expiring it as if it had merely gone away. Real `ws` servers on 127.0.0.1
 * port 0. Before a session exists (a first frame that is no hello this server reads, a frame before
 * the welcome) there is no session to tell: the server's own `error` (LV_ERR_RESUME) says it and
 * `status().brokenHandshakes` counts it, with nothing of what the client sent.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
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

describe('resumable(wss): a client that breaks the protocol before it has a session', () => {
  const h = useHarness();
  const SECRET = 'sk-live-4f9a1c-SECRET';

  it.each([
    [
      'application data as its first frame',
      `Authorization: Bearer ${SECRET}`,
      'expected a linkvisor resume hello as the first message, got application data',
    ],
    [
      'a hello of a version this server does not speak',
      encodeHello({ version: 9, sessionId: SECRET, lastReceived: 0, newId: `${SECRET}-new` }),
      'resume protocol v9 is not supported (this server speaks v1)',
    ],
    [
      'a hello without a fresh id',
      encodeHello({ version: 1, sessionId: SECRET, lastReceived: 0, newId: SECRET }),
      'the resume hello has no fresh id for a new session',
    ],
  ])(
    '%s: closed with 1002 and why, reported as the server’s error (LV_ERR_RESUME) and counted; nothing of the frame in either',
    async (_, frame, why) => {
      const server = await h.wsServer();
      const rs = resumable(server.wss);
      h.defer(() => rs.close());
      const errors: string[] = [];
      rs.on('error', (error) => errors.push(`${error.code} ${error.message}`));
      expect(rs.status().brokenHandshakes).toBe(0);
      const ws = new WebSocket(server.url);
      const closed = new Promise<[number, string]>((resolve) =>
        ws.on('close', (code, reason) => resolve([code, String(reason)])),
      );
      ws.on('open', () => ws.send(frame));
      expect(await closed).toEqual([1002, `linkvisor resume: ${why}`]);
      await waitFor(() => errors.length === 1, { message: 'the break reported' });
      expect(errors).toEqual([
        `LV_ERR_RESUME a client broke the resume protocol before it had a session (${why}): its socket closed with 1002`,
      ]);
      expect(rs.status()).toMatchObject({ sessions: 0, brokenHandshakes: 1 });
      expect(JSON.stringify([errors, rs.status()])).not.toContain(SECRET);
    },
  );

  it('a frame between its hello and the welcome (the store still answering): closed with 1002, reported and counted, no session made', async () => {
    const server = await h.wsServer();
    let answer: (record: undefined) => void = () => {};
    const asked = new Promise<void>((resolve) => {
      answer = () => resolve();
    });
    let lookups = 0;
    const store = {
      get: () => {
        lookups++;
        return new Promise<undefined>((resolve) => {
          void asked.then(() => resolve(undefined));
        });
      },
      put: () => {},
      delete: () => {},
    };
    const rs = resumable(server.wss, { store });
    h.defer(() => rs.close());
    h.defer(() => answer(undefined));
    const errors: string[] = [];
    const sessions: ResumableSession[] = [];
    rs.on('error', (error) => errors.push(`${error.code} ${error.message}`));
    rs.on('session', (s) => sessions.push(s));
    const ws = new WebSocket(server.url);
    const closed = new Promise<[number, string]>((resolve) =>
      ws.on('close', (code, reason) => resolve([code, String(reason)])),
    );
    ws.on('open', () => ws.send(encodeHello({ version: 1, sessionId: '', lastReceived: 0, newId: SECRET })));
    await waitFor(() => lookups === 1, { message: 'the hello is being answered' });
    ws.send(`early ${SECRET}`);
    expect(await closed).toEqual([1002, 'linkvisor resume: a frame before the welcome']);
    answer(undefined);
    await waitFor(() => errors.length === 1, { message: 'the break reported' });
    expect(errors).toEqual([
      'LV_ERR_RESUME a client broke the resume protocol before it had a session (a frame before the welcome): its socket closed with 1002',
    ]);
    expect(rs.status()).toMatchObject({ sessions: 0, brokenHandshakes: 1 });
    expect(sessions).toEqual([]);
    expect(JSON.stringify([errors, rs.status()])).not.toContain(SECRET);
  });
});
