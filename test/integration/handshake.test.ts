/**
 * The application handshake on a real socket: auth message out, ack in, and only then ready;
 * messages queued before are delivered after the handshake, never inside it. A rejection marked
 * fatal ends the link.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { HandshakeSession } from '../../src/index.js';
import { nextEvent, recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';

const TOKEN = 'good-token';

interface ServerLog {
  /** Every message, with whether the ack had been sent when it arrived. */
  received: { data: string; afterAck: boolean }[];
  ackSentAt: number[];
}

/** Expects `{"auth": ...}` first; answers `{"ok": true}` (after a short delay) or `{"ok": false}`. */
function authServer(log: ServerLog) {
  return (ws: WebSocket) => {
    let acked = false;
    ws.on('message', (raw) => {
      const data = String(raw);
      log.received.push({ data, afterAck: acked });
      if (acked) return;
      let auth: unknown;
      try {
        auth = (JSON.parse(data) as { auth?: unknown }).auth;
      } catch {
        ws.close(1008, 'expected auth');
        return;
      }
      const ok = auth === TOKEN;
      // A small delay makes any message sent before the ack visible as `afterAck: false`.
      setTimeout(() => {
        if (ws.readyState !== ws.OPEN) return;
        acked = ok;
        if (ok) log.ackSentAt.push(Date.now());
        ws.send(JSON.stringify({ ok }));
      }, 50);
    });
  };
}

function handshakeWith(token: string) {
  return async (session: HandshakeSession) => {
    session.send(JSON.stringify({ auth: token }));
    const reply = JSON.parse(String(await session.next())) as { ok?: boolean };
    if (reply.ok !== true) throw Object.assign(new Error('bad token'), { fatal: true });
  };
}

describe('integration: application handshake', () => {
  const h = useHarness();

  it('ready only after the ack; messages queued before are delivered after the handshake', async () => {
    const serverLog: ServerLog = { received: [], ackSentAt: [] };
    const server = await h.wsServer({ onConnection: authServer(serverLog) });
    const supervisor = h.supervisor({ ...FAST, handshake: handshakeWith(TOKEN) });
    const link = supervisor.connect(server.url);
    const log = recordEvents(link);
    let ackSentWhenReady: boolean | null = null;
    link.on('ready', () => {
      ackSentWhenReady = serverLog.ackSentAt.length > 0;
    });

    expect(link.send('q1')).toBe('queued');
    expect(link.send('q2')).toBe('queued');
    await waitFor(() => link.state === 'handshaking', { message: 'state handshaking' });
    expect(link.send('q3')).toBe('queued');
    await link.ready();
    expect(ackSentWhenReady).toBe(true);
    expect(link.send('after')).toBe('sent');
    await waitFor(() => serverLog.received.length === 5, { message: 'five messages at the server' });

    expect(serverLog.received).toEqual([
      { data: JSON.stringify({ auth: TOKEN }), afterAck: false },
      { data: 'q1', afterAck: true },
      { data: 'q2', afterAck: true },
      { data: 'q3', afterAck: true },
      { data: 'after', afterAck: true },
    ]);
    // connect() returns an idle link and starts it after the caller's synchronous code, so a
    // listener added at once sees the first state change (idle → connecting) too.
    expect(log.states()).toEqual(['connecting', 'handshaking', 'ready']);
    // The ack was consumed by the handshake: it is not an application message.
    expect(log.count('message')).toBe(0);
  });

  it('a handshake rejected with a fatal error: failed, no retry, queued messages never sent', async () => {
    const serverLog: ServerLog = { received: [], ackSentAt: [] };
    const server = await h.wsServer({ onConnection: authServer(serverLog) });
    const supervisor = h.supervisor({ ...FAST, handshake: handshakeWith('wrong-token') });
    const link = supervisor.connect(server.url);
    const log = recordEvents(link);
    expect(link.send('secret-business')).toBe('queued');

    const failed = await nextEvent(link, 'failed');
    expect(failed.reason).toMatchObject({ kind: 'handshake', fatal: true });
    expect(failed.reason.message).toContain('bad token');
    expect(link.state).toBe('failed');
    await expect(link.ready()).rejects.toMatchObject({ code: 'LV_ERR_LINK_FAILED' });

    await sleep(2 * FAST.backoff.maxDelayMs);
    expect(server.connections).toBe(1);
    expect(serverLog.received.map((r) => r.data)).toEqual([JSON.stringify({ auth: 'wrong-token' })]);
    expect(log.count('reconnecting')).toBe(0);
    expect(log.of<{ data: unknown; reason: string }>('dropped')).toEqual([
      { data: 'secret-business', reason: 'closed' },
    ]);
  });

  it('a handshake error without fatal is retried', async () => {
    let attempts = 0;
    const server = await h.wsServer({ onConnection: (ws) => ws.on('message', () => ws.send('{"ok":true}')) });
    const supervisor = h.supervisor({
      ...FAST,
      handshake: async (session) => {
        attempts++;
        if (attempts === 1) throw new Error('not yet');
        session.send('{"auth":"x"}');
        await session.next();
      },
    });
    const link = supervisor.connect(server.url);
    const reconnecting = await nextEvent(link, 'reconnecting');
    expect(reconnecting.reason).toMatchObject({ kind: 'handshake' });
    expect(reconnecting.reason.fatal).toBeUndefined();
    await link.ready();
    expect(server.connections).toBe(2);
  });

  it('a handshake that never finishes: handshakeTimeoutMs fires, the link retries', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({
      ...FAST,
      handshakeTimeoutMs: 100,
      handshake: async (session) => {
        session.send('hello?');
        await session.next(); // the server never answers
      },
    });
    const link = supervisor.connect(server.url);
    const log = recordEvents(link);
    const reconnecting = await nextEvent(link, 'reconnecting');
    expect(reconnecting.reason).toMatchObject({ kind: 'timeout', phase: 'handshake' });
    await waitFor(() => server.connections >= 2, { message: 'a second attempt' });
    expect(log.count('ready')).toBe(0);
    expect(log.count('failed')).toBe(0);
  });
});
