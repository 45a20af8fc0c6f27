/**
 * Server A of the shared-store tests with one session: a resumable server on a real `ws` server
 * (127.0.0.1, port 0) with `options`, its errors, its sessions' `dropped` and `close` events as
 * lines (`dropped m0 moved`, `close moved`; a session's `error` as `error <code>`, each kept in
 * `sessionErrors`), and a raw resume client that acknowledges nothing on
 * its own, connected (a new session) and holding `m0`, sent by A. Both closed at the test's end.
 */
import { expect } from 'vitest';
import { type ResumableOptions, type ResumableSession, resumable } from '../../src/server/index.js';
import type { LinkvisorError } from '../../src/util/errors.js';
import type { Harness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

export async function oneSessionOnA(h: Harness, options: ResumableOptions) {
  const server = await h.wsServer();
  const a = resumable(server.wss, options);
  h.defer(() => a.close());
  const errors: LinkvisorError[] = [];
  a.on('error', (error) => errors.push(error));
  const events: string[] = [];
  const sessionErrors: LinkvisorError[] = [];
  const sessions: ResumableSession[] = [];
  a.on('session', (s) => {
    sessions.push(s);
    s.on('dropped', ({ data, reason }) => events.push(`dropped ${String(data)} ${reason}`));
    s.on('close', ({ reason }) => events.push(`close ${reason}`));
    s.on('error', (error) => {
      sessionErrors.push(error);
      events.push(`error ${error.code}`);
    });
  });
  const client = new RawResumeClient({ ackDelayMs: 60_000, ackEveryMessages: 1000 });
  h.defer(() => client.close());
  expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
  const onA = sessions[0] as ResumableSession;
  expect(onA.send('m0')).toBe('sent');
  await waitFor(() => client.got.length === 1, { message: 'm0' });
  return { server, a, errors, events, sessionErrors, onA, id: onA.id, client };
}
