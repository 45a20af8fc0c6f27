/**
 * One report a message with `resume`: a message written to the session's socket is `'sent'` (as
 * without resume: where it is now) and kept for replay until the server acknowledges it; one never
 * acknowledged is reported `dropped` (`closed`, `reset`) once, never twice (the session's replay
 * and the link's queue do not both report it). Real `ws` server with `linkvisor/server`'s resumable
 * sessions on loopback, acks held back (ackDelayMs and ackEveryMessages large) so that the link
 * ends or resets with the message unacknowledged. (Round 37's i37wire returned 'queued' here;
 * i37wirerev restored 'sent': 'queued' is the backlog signal, docs/links.md.)
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { Link } from '../../src/index.js';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

/** Holds the server's acks back for the length of a test. */
const SLOW_ACKS = { ackDelayMs: 60_000, ackEveryMessages: 1_000 };

function reported(link: Link) {
  const dropped: string[] = [];
  const events: string[] = [];
  link.on('dropped', ({ data, reason }) => dropped.push(`${String(data)} ${reason}`));
  link.on('resumed', () => events.push('resumed'));
  link.on('reset', ({ reason }) => events.push(`reset ${reason}`));
  return { dropped, events };
}

describe('send() with resume: one report a message', () => {
  const h = useHarness();

  async function serve(options: Parameters<typeof resumable>[1] = {}) {
    const server = await h.wsServer();
    const rs = resumable(server.wss, { ...SLOW_ACKS, ...options });
    h.defer(() => rs.close());
    const got: string[] = [];
    const sessions: ResumableSession[] = [];
    rs.on('session', (session) => {
      sessions.push(session);
      session.on('message', (data) => got.push(String(data)));
    });
    return { server, rs, got, sessions };
  }

  it("written straight to a ready session's socket, then the link closed unacknowledged: 'sent', then dropped (closed) once", async () => {
    const { server, got } = await serve();
    const link = h.supervisor({ ...FAST }).connect(server.url, { resume: true });
    const seen = reported(link);
    await link.ready();
    expect(link.send('x')).toBe('sent');
    await waitFor(() => got.includes('x'), { message: 'the server received x' });
    expect(link.status().resume?.buffered.messages).toBe(1);
    await link.close();
    expect(seen.dropped).toEqual(['x closed']);
  });

  it("in a resumed session, then the link closed unacknowledged: 'sent', then dropped (closed) once", async () => {
    const { server, got } = await serve();
    const link = h.supervisor({ ...FAST }).connect(server.url, { resume: true });
    const seen = reported(link);
    await link.ready();
    for (const ws of server.wss.clients as Set<WebSocket>) ws.terminate();
    await waitFor(() => seen.events.includes('resumed') && link.state === 'ready', {
      message: 'resumed and ready',
    });
    expect(link.send('y')).toBe('sent');
    await waitFor(() => got.includes('y'), { message: 'the server received y' });
    await link.close();
    expect(seen.dropped).toEqual(['y closed']);
  });

  it("then the session reset (the server lost it): 'sent', then dropped (reset) once", async () => {
    const { server, rs, got } = await serve();
    const link = h.supervisor({ ...FAST }).connect(server.url, { resume: true });
    const seen = reported(link);
    await link.ready();
    expect(link.send('z')).toBe('sent');
    await waitFor(() => got.includes('z'), { message: 'the server received z' });
    // The server forgets its sessions (a restart without a durable store): the next hello is reset.
    await rs.close();
    resumable(server.wss, SLOW_ACKS);
    for (const ws of server.wss.clients as Set<WebSocket>) ws.terminate();
    await waitFor(() => seen.events.some((e) => e.startsWith('reset')), { message: 'reset' });
    expect(seen.dropped).toEqual(['z reset']);
    await link.close();
    expect(seen.dropped).toEqual(['z reset']);
  });
});
