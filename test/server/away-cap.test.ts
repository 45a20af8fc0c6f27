/**
 * `maxAwaySessions` of `resumable(wss)` (default 10,000) on real `ws` servers (127.0.0.1, port 0)
 * with raw resume clients: the sessions waiting for their client are bounded, the one away the
 * longest evicted first (reported, its record deleted, its client reset `unknown-session` when it
 * comes back), while attached clients are never refused for their number unless `maxSessions`
 * says so; 0 keeps no session waiting; bad values throw LV_ERR_INVALID_OPTION naming the option.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore, type ResumableSession, resumable } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

describe('resumable(wss, { maxAwaySessions })', () => {
  const h = useHarness();

  it('bounds the sessions away, evicting the one away the longest; attached ones are never refused for their number', async () => {
    const server = await h.wsServer();
    const clock = new TestClock();
    const store = memoryStore({ clock });
    const rs = resumable(server.wss, { maxAwaySessions: 2, clock, store });
    h.defer(() => rs.close());
    const sessions: ResumableSession[] = [];
    const closes: string[] = [];
    rs.on('session', (s) => {
      sessions.push(s);
      s.on('close', ({ reason }) => closes.push(`${sessions.indexOf(s)} ${reason}`));
    });
    const evicted: number[] = [];
    rs.on('evicted', (s) => evicted.push(sessions.indexOf(s)));
    const dropped: string[] = [];
    rs.on('session', (s) => s.on('dropped', ({ data, reason }) => dropped.push(`${String(data)} ${reason}`)));

    // Six clients attached at once: more than the away cap, none refused.
    const clients: RawResumeClient[] = [];
    for (let i = 0; i < 6; i++) {
      const client = new RawResumeClient();
      h.defer(() => client.close());
      clients.push(client);
      expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
    }
    expect(rs.status()).toMatchObject({ sessions: 6, attached: 6, away: 0, refused: 0, evicted: 0 });

    // They drop one by one: never more than two wait; the earliest gone are evicted, in order.
    for (let i = 0; i < 6; i++) {
      (sessions[i] as ResumableSession).send(`held ${i}`);
      clients[i]?.drop();
      await waitFor(() => !(sessions[i] as ResumableSession).connected, { message: `session ${i} away` });
      expect(rs.status().away).toBeLessThanOrEqual(2);
      expect(store.size).toBeLessThanOrEqual(2);
    }
    expect(evicted).toEqual([0, 1, 2, 3]);
    expect(closes).toEqual(['0 evicted', '1 evicted', '2 evicted', '3 evicted']);
    expect(dropped).toEqual(['held 0 evicted', 'held 1 evicted', 'held 2 evicted', 'held 3 evicted']);
    expect(rs.status()).toMatchObject({
      sessions: 2,
      attached: 0,
      away: 2,
      maxSessions: Number.POSITIVE_INFINITY,
      maxAwaySessions: 2,
      evicted: 4,
      refused: 0,
    });
    expect(clock.pending).toBe(2); // the TTL timers of the two waiting, none of the evicted

    // An evicted client comes back to a fresh session (as after an expiry); a kept one resumes.
    expect(await clients[0]?.connect(server.url)).toMatchObject({
      outcome: 'reset',
      reason: 'unknown-session',
    });
    expect(await clients[5]?.connect(server.url)).toMatchObject({ outcome: 'resumed' });
    expect(rs.status()).toMatchObject({ sessions: 3, attached: 2, away: 1, evicted: 4 });
    await rs.close();
    expect(clock.pending).toBe(0);
    expect(store.size).toBe(0);
  });

  it('0 keeps no session waiting: a client that drops starts afresh; its undelivered messages are reported', async () => {
    const server = await h.wsServer();
    const store = memoryStore();
    const rs = resumable(server.wss, { maxAwaySessions: 0, store });
    h.defer(() => rs.close());
    const events: string[] = [];
    let session: ResumableSession | undefined;
    rs.on('session', (s) => {
      session = s;
      s.on('dropped', ({ data, reason }) => events.push(`dropped ${String(data)} ${reason}`));
      s.on('close', ({ reason }) => events.push(`close ${reason}`));
    });
    rs.on('evicted', () => events.push('evicted'));
    const client = new RawResumeClient();
    h.defer(() => client.close());
    expect(await client.connect(server.url)).toEqual({ outcome: 'new' });
    (session as ResumableSession).send('unread');
    client.drop();
    await waitFor(() => events.includes('evicted'), { message: 'evicted' });
    expect(events).toEqual(['dropped unread evicted', 'close evicted', 'evicted']);
    expect(store.size).toBe(0);
    expect(rs.status()).toMatchObject({ sessions: 0, away: 0, evicted: 1 });
    expect(await client.connect(server.url)).toMatchObject({ outcome: 'reset', reason: 'unknown-session' });
  });

  it('refuses bad values, naming the option; a misspelling gets a hint', async () => {
    const server = await h.wsServer();
    for (const bad of [-1, 1.5, Number.NaN, '3', null]) {
      expect(() => resumable(server.wss, { maxAwaySessions: bad as never })).toThrow(
        expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'maxAwaySessions' }),
      );
    }
    expect(() => resumable(server.wss, { maxAwaySession: 5 } as never)).toThrow(
      expect.objectContaining({
        code: 'LV_ERR_UNKNOWN_OPTION',
        message: expect.stringContaining("'maxAwaySessions'"),
      }),
    );
    const off = resumable(server.wss, { maxAwaySessions: Number.POSITIVE_INFINITY });
    h.defer(() => off.close());
    expect(off.status().maxAwaySessions).toBe(Number.POSITIVE_INFINITY);
  });
});
