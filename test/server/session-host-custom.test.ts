/**
 * `SessionHost` is exported (a `ResumableSession` can be made with a host of one's own, e.g. to
 * test an application's session handlers without a server): round 39's `receivedUpTo` is optional,
 * so a host written before it still compiles and runs. Without it, a session that `moved` counts
 * every message it received and never acknowledged as delivered again (the record is taken to
 * hold none): its `error` (LV_ERR_RESUME) says 2 here; with it, the host's answer is used.
 */
import { describe, expect, it } from 'vitest';
import { RESUME_DEFAULTS } from '../../machines/policy/resume.js';
import { ResumeStream } from '../../src/resume/resume-stream.js';
import { ResumableSession, type SessionHost } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';

/** A session whose stream received messages 1 and 2 (never acknowledged), ended `moved`. */
function movedSession(extra: Partial<SessionHost> = {}) {
  const host: SessionHost = {
    clock: new TestClock(),
    sessionTtlMs: 5_000,
    inspect: undefined,
    closeSocket: () => {},
    away: () => {},
    beforeAck: () => {},
    ended: () => 0,
    ...extra,
  };
  const stream = new ResumeStream(RESUME_DEFAULTS, RESUME_DEFAULTS);
  stream.onSeq(1);
  stream.onData(0);
  stream.onData(0);
  const session = new ResumableSession('id', 'new', null, stream, host);
  const events: string[] = [];
  session.on('error', (error) => events.push(`error ${error.code} ${error.message}`));
  session.on('close', ({ reason }) => events.push(`close ${reason}`));
  session.end('moved');
  return events;
}

describe('a SessionHost of its own', () => {
  it('without receivedUpTo: a moved session counts every unacknowledged message received', () => {
    const events = movedSession();
    expect(events).toHaveLength(2);
    expect(events[0]).toMatch(/^error LV_ERR_RESUME .*lacks the last 2 message\(s\)/);
    expect(events[1]).toBe('close moved');
  });

  it("with receivedUpTo: the host's answer", () => {
    expect(movedSession({ receivedUpTo: () => 1 })[0]).toMatch(/lacks the last 1 message\(s\)/);
    expect(movedSession({ receivedUpTo: () => 2 })).toEqual(['close moved']);
  });
});
