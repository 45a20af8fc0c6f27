/**
 * The watch the shared-store tests keep on two resumable servers, A and B: each server's errors
 * (message and cause), each session in the order they open, and their `dropped` and `close`
 * events as lines (`A dropped m1 moved`, `B moved`); and a raw resume client that acknowledges
 * nothing on its own, closed at the test's end.
 */
import type { ResumableServer, ResumableSession } from '../../src/server/index.js';
import type { Harness } from '../helpers/harness.js';
import { RawResumeClient } from './raw-resume-client.js';

export function watchTwoServers(h: Harness, a: ResumableServer, b: ResumableServer) {
  const errors: string[] = [];
  for (const server of [a, b]) server.on('error', (error) => errors.push(`${error.message} ${error.cause}`));
  const events: string[] = [];
  const sessions: ResumableSession[] = [];
  for (const [name, server] of [['A', a] as const, ['B', b] as const]) {
    server.on('session', (session) => {
      sessions.push(session);
      session.on('dropped', ({ data, reason }) => events.push(`${name} dropped ${String(data)} ${reason}`));
      session.on('close', ({ reason }) => events.push(`${name} ${reason}`));
    });
  }
  const client = new RawResumeClient({ ackEveryMessages: 1_000, ackDelayMs: 60_000 });
  h.defer(() => client.close());
  return { errors, events, sessions, client };
}
