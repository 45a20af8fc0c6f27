/**
 * The application's heartbeat (`heartbeat.mode: 'app'`) on a resumable session: with `resume`,
 * the server's application is behind the session (`resumable(wss)` delivers numbered data frames
 * to it), so an app ping is one of the session's data frames — numbered, kept until acknowledged,
 * answered by the server's application with a pong it sends through its session — never a raw
 * frame the server numbers and the client does not. Before round 39 (i39resume) the ping went out
 * raw: the server counted it as a message, its acks named numbers the client never sent, and the
 * session broke (LV_ERR_RESUME, then a `reset`) at the first ack after a ping.
 * Real `ws` server with `linkvisor/server`'s resumable sessions on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { resumable } from '../../src/server/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';

describe('resume: the application heartbeat', () => {
  const h = useHarness();

  it('app pings are session data: answered through the session, numbers agree, a reconnect resumes', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss, { ackEveryMessages: 1, ackDelayMs: 5 });
    h.defer(() => rs.close());
    const got: string[] = [];
    let pings = 0;
    rs.on('session', (session) => {
      session.on('message', (data) => {
        if (String(data) === 'ping') {
          pings++;
          session.send('pong');
        } else got.push(String(data));
      });
    });
    const link = h.supervisor({ ...FAST, networkSignals: false }).connect(server.url, {
      resume: true,
      heartbeat: {
        mode: 'app',
        intervalMs: 20,
        timeoutMs: 5_000,
        ping: () => 'ping',
        isPong: (d) => d === 'pong',
      },
    });
    const errors: string[] = [];
    const events: string[] = [];
    const messages: string[] = [];
    const dropped: string[] = [];
    link.on('error', (error) => errors.push(`${error.code} ${error.message}`));
    link.on('reset', () => events.push('reset'));
    link.on('resumed', () => events.push('resumed'));
    link.on('message', (data) => messages.push(String(data)));
    link.on('dropped', ({ data, reason }) => dropped.push(`${String(data)} ${reason}`));
    await link.ready();
    expect(link.send('a')).toBe('sent');
    await waitFor(() => pings >= 3, { message: 'three pings reached the server application' });
    expect(link.send('b')).toBe('sent');
    await waitFor(() => got.length >= 2, { message: 'the server received a and b' });
    await sleep(60); // acks for the pings come now
    expect(got).toEqual(['a', 'b']);
    expect(errors).toEqual([]);
    expect(events).toEqual([]);
    expect(messages).toEqual([]); // pongs are the heartbeat's
    expect(link.state).toBe('ready');
    // The numbers agree: a reconnect resumes the session (none of it lost, nothing reset).
    for (const ws of server.wss.clients as Set<WebSocket>) ws.terminate();
    await waitFor(() => events.length > 0 && link.state === 'ready', { message: 'back and ready' });
    expect(link.send('c')).toBe('sent');
    await waitFor(() => got.length >= 3, { message: 'the server received c' });
    expect(events).toEqual(['resumed']);
    expect(got).toEqual(['a', 'b', 'c']);
    expect(errors).toEqual([]);
    await link.close();
    expect(dropped).toEqual([]);
  });
});
