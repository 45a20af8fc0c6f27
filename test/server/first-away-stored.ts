/**
 * The setup two store-order tests share: a resumable server with a session log, two raw clients
 * connected, the first session sent one message its client reads but never acknowledges, then
 * the first client dropped and its session stored away (`records` holds one record). What the
 * test does next (evict the first by dropping the second, or overflow it) is its own.
 */
import { expect } from 'vitest';
import type { ResumableServer, ResumableSession, SessionRecord } from '../../src/server/index.js';
import type { Harness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

export interface FirstAwayStored {
  first: RawResumeClient;
  second: RawResumeClient;
  /** The first client's session, now away and stored. */
  session: ResumableSession;
  /** `<n> dropped <data> <reason>` and `<n> close <reason>`, n the session's arrival order. */
  events: string[];
}

export async function firstAwayStored(
  h: Harness,
  url: string,
  rs: ResumableServer,
  records: Map<string, SessionRecord>,
): Promise<FirstAwayStored> {
  const sessions: ResumableSession[] = [];
  const events: string[] = [];
  rs.on('session', (s) => {
    const n = sessions.push(s) - 1;
    s.on('dropped', ({ data, reason }) => events.push(`${n} dropped ${String(data)} ${reason}`));
    s.on('close', ({ reason }) => events.push(`${n} close ${reason}`));
  });
  // The first never acknowledges (its ack timer is a minute away): 'once' stays unacknowledged.
  const first = new RawResumeClient({ ackDelayMs: 60_000, ackEveryMessages: 1000 });
  const second = new RawResumeClient();
  h.defer(() => first.close());
  h.defer(() => second.close());
  expect(await first.connect(url)).toEqual({ outcome: 'new' });
  expect(await second.connect(url)).toEqual({ outcome: 'new' });
  const session = sessions[0] as ResumableSession;
  session.send('once');
  await waitFor(() => first.got.length === 1, { message: 'received' });
  first.drop();
  await waitFor(() => records.size === 1, { message: 'the first session stored as it left' });
  return { first, second, session, events };
}
