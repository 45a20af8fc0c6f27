/**
 * A welcome lost with its socket, on a real `ws` server (127.0.0.1, port 0): the client says the
 * same hello again (the session it had, the same fresh id), and the server's answer must be the
 * same as the first: the new session again, with the same outcome and reason. Before the fix the
 * reason changed: the first answer had consumed what it was made from (an overflowed session's
 * note, deleted once read; a reset session, ended), so the second said `unknown-session` where the
 * first said `overflow` or `protocol`, and the application was told the wrong story.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

/** Says `client`'s hello on a socket that is dropped as soon as the server has answered it:
 * the welcome never reaches the client. */
async function helloWelcomeLost(client: RawResumeClient, url: string, answered: () => boolean) {
  const ws = new WebSocket(url);
  ws.on('error', () => {});
  await new Promise<void>((resolve) => ws.once('open', () => resolve()));
  ws.send(client.core.hello());
  await waitFor(answered, { message: 'the server answered the hello' });
  ws.terminate();
  client.core.close();
}

describe('a hello said again after its welcome was lost', () => {
  const h = useHarness();

  for (const [why, spoil] of [
    [
      'overflow',
      (session: ResumableSession) => {
        for (const m of ['a', 'b', 'c', 'd']) session.send(m);
      },
    ],
    ['protocol', null],
  ] as const) {
    it(`gets the same answer: reset (${why}), the same new session`, async () => {
      const server = await h.wsServer();
      const rs = resumable(server.wss, { maxMessages: 3 });
      h.defer(() => rs.close());
      const sessions: ResumableSession[] = [];
      rs.on('session', (s) => sessions.push(s));
      const client = new RawResumeClient();
      h.defer(() => client.close());
      expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
      const first = sessions[0] as ResumableSession;
      client.drop();
      await waitFor(() => !first.connected, { message: 'away' });
      if (spoil) spoil(first);
      // A protocol reset: the client claims more than the server ever sent.
      else (client.core.stream as { receivedSeq: number }).receivedSeq = 9;
      await helloWelcomeLost(client, server.url, () => sessions.length === 2);
      expect(sessions[1]).toMatchObject({ outcome: 'reset', resetReason: why });

      const answer = await client.connect(server.url);
      expect(answer).toMatchObject({ outcome: 'reset', reason: why });
      expect(sessions.length).toBe(2);
      expect(rs.size).toBe(1);
    });
  }
});
