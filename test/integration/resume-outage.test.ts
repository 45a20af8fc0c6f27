/**
 * Resumable sessions under a long outage, on real `ws` servers (127.0.0.1, port 0): ten times the
 * bounds are sent while the peer is away, and what each side holds is counted after every send —
 * it never passes its bound (memory flat, by count and bytes; heap is measured in
 * bench/resume-outage.ts, never here). Every message is either delivered once and in order or
 * reported: the client's overflow as `dropped` (overflow), the server's as an `overflow` end whose
 * messages are all reported, and the client is reset (overflow), never silently behind.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { unreachableUrl } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';

const TIMES = 10;

describe('resume: a long outage', () => {
  const h = useHarness();

  it('a link kept away for 10× its bounds: queue and replay buffer stay at their bounds, the overflow is reported, the rest arrives once and in order', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss);
    h.defer(() => rs.close());
    const got: string[] = [];
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => {
      sessions.push(s);
      s.on('message', (d) => got.push(String(d)));
    });
    const deadUrl = await unreachableUrl(() => h.wsServer());
    let url = server.url;
    const queueMax = 30;
    const bufferMax = 20;
    const supervisor = h.supervisor({ ...FAST });
    const link = supervisor.connect(() => url, {
      resume: { maxMessages: bufferMax, maxBytes: 4_096 },
      queue: { maxMessages: queueMax, overflow: 'drop-oldest' },
    });
    const dropped: string[] = [];
    const events: string[] = [];
    link.on('dropped', ({ data, reason }) => dropped.push(`${String(data)} ${reason}`));
    link.on('resumed', () => events.push('resumed'));
    link.on('reset', ({ reason }) => events.push(`reset ${reason}`));
    await link.ready();
    const sent: string[] = [];
    for (let i = 0; i < 10; i++) {
      sent.push(`up${i}`);
      link.send(`up${i}`);
    }
    await waitFor(() => got.length === 10, { message: 'delivered while up' });

    // The outage: the socket dies and the server cannot be reached.
    url = deadUrl;
    for (const ws of server.wss.clients as Set<WebSocket>) ws.terminate();
    await waitFor(() => link.state !== 'ready', { message: 'the link noticed' });
    let maxQueued = 0;
    let maxBuffered = 0;
    let maxBufferedBytes = 0;
    for (let i = 0; i < TIMES * (queueMax + bufferMax); i++) {
      const message = `away${String(i).padStart(4, '0')}`;
      sent.push(message);
      link.send(message);
      const status = link.status();
      maxQueued = Math.max(maxQueued, status.queue.messages);
      maxBuffered = Math.max(maxBuffered, status.resume?.buffered.messages ?? 0);
      maxBufferedBytes = Math.max(maxBufferedBytes, status.resume?.buffered.bytes ?? 0);
    }
    expect(maxQueued).toBe(queueMax);
    expect(maxBuffered).toBeLessThanOrEqual(bufferMax);
    expect(maxBufferedBytes).toBeLessThanOrEqual(4_096);
    expect(dropped).toHaveLength(TIMES * (queueMax + bufferMax) - queueMax);

    // Back: the session resumes; what was not reported arrives, once and in order.
    url = server.url;
    await waitFor(() => events.includes('resumed'), { message: 'resumed' });
    await waitFor(() => got.length === 10 + queueMax, { message: 'the queue delivered' });
    expect(events).toEqual(['resumed']);
    expect(sessions).toHaveLength(1);
    const reported = dropped.map((line) => {
      expect(line).toMatch(/ overflow$/);
      return line.replace(/ overflow$/, '');
    });
    // Every message sent is delivered or reported, never both, and what arrived is in order.
    expect(new Set([...got, ...reported]).size).toBe(sent.length);
    expect([...got, ...reported].sort()).toEqual([...sent].sort());
    expect(got).toEqual(sent.filter((m) => !reported.includes(m)));
  });

  it('a server session sent 10× its bound while its client is away: it holds at most the bound, overflows, reports every message; the link is reset (overflow)', async () => {
    const server = await h.wsServer();
    const bound = 25;
    const rs = resumable(server.wss, { maxMessages: bound });
    h.defer(() => rs.close());
    const sessions: ResumableSession[] = [];
    rs.on('session', (s) => sessions.push(s));
    const deadUrl = await unreachableUrl(() => h.wsServer());
    let url = server.url;
    const supervisor = h.supervisor({ ...FAST });
    const link = supervisor.connect(() => url, { resume: true });
    const events: string[] = [];
    const got: string[] = [];
    link.on('message', (d) => got.push(String(d)));
    link.on('resumed', () => events.push('resumed'));
    link.on('reset', ({ reason }) => events.push(`reset ${reason}`));
    await link.ready();
    await waitFor(() => sessions.length === 1, { message: 'session' });
    const session = sessions[0] as ResumableSession;
    const serverDropped: string[] = [];
    const closes: string[] = [];
    session.on('dropped', ({ data, reason }) => serverDropped.push(`${String(data)} ${reason}`));
    session.on('close', ({ reason }) => closes.push(reason));

    url = deadUrl;
    for (const ws of server.wss.clients as Set<WebSocket>) ws.terminate();
    await waitFor(() => !session.connected, { message: 'away' });
    const outcomes: string[] = [];
    let maxBuffered = 0;
    for (let i = 0; i < TIMES * bound; i++) {
      try {
        outcomes.push(session.send(`s${i}`));
      } catch (error) {
        outcomes.push((error as { code: string }).code);
      }
      maxBuffered = Math.max(maxBuffered, session.status().buffered.messages);
    }
    expect(maxBuffered).toBe(bound);
    // The bound is buffered, the next one overflows the session; later sends are refused at once.
    expect(outcomes.slice(0, bound).every((o) => o === 'buffered')).toBe(true);
    expect(outcomes[bound]).toBe('dropped');
    expect(new Set(outcomes.slice(bound + 1))).toEqual(new Set(['LV_ERR_LINK_CLOSED']));
    expect(closes).toEqual(['overflow']);
    // Every message the session accepted is reported, in order; nothing is held any more.
    expect(serverDropped).toEqual(Array.from({ length: bound + 1 }, (_, i) => `s${i} overflow`));
    expect(session.status().buffered).toEqual({ messages: 0, bytes: 0 });
    expect(rs.size).toBe(0);

    url = server.url;
    await waitFor(() => events.length > 0, { message: 'back' });
    expect(events).toEqual(['reset overflow']);
    expect(got).toEqual([]);
    await waitFor(() => link.state === 'ready', { message: 'ready in a new session' });
    await waitFor(() => sessions.length === 2, { message: 'the new session' });
    expect(sessions[1]).toMatchObject({ outcome: 'reset', resetReason: 'overflow' });
  });
});
