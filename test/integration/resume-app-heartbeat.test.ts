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
import type { Transport } from '../../src/index.js';
import { resumable } from '../../src/server/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { wsWithSend } from '../helpers/ws-send-hook.js';

const HEARTBEAT = {
  mode: 'app',
  intervalMs: 20,
  timeoutMs: 5_000,
  ping: () => 'ping',
  isPong: (d: unknown) => d === 'pong',
} as const;

/** ws, except that the first send() of a ping (`isPing`: the text 'ping') throws (the value
 * refused, nothing written). */
function refusesFirstPing(isPing: (data: unknown) => boolean = (data) => data === 'ping'): Transport {
  let refused = false;
  return wsWithSend('refuses-first-ping', (_socket, write) => (data) => {
    if (isPing(data) && !refused) {
      refused = true;
      throw new TypeError('this socket cannot send that');
    }
    return write(data);
  });
}

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

  it('pings never acknowledged when the link closes are not reported dropped (they are not sends)', async () => {
    const server = await h.wsServer();
    // No ack comes: everything the client sent is unacknowledged at its close.
    const rs = resumable(server.wss, { ackEveryMessages: 10_000, ackDelayMs: 60_000 });
    h.defer(() => rs.close());
    let pings = 0;
    rs.on('session', (session) => {
      session.on('message', (data) => {
        if (String(data) !== 'ping') return;
        pings++;
        session.send('pong');
      });
    });
    const link = h
      .supervisor({ ...FAST, networkSignals: false })
      .connect(server.url, { resume: true, heartbeat: HEARTBEAT });
    const dropped: string[] = [];
    link.on('dropped', ({ data, reason }) => dropped.push(`${String(data)} ${reason}`));
    await link.ready();
    expect(link.send('a')).toBe('sent');
    await waitFor(() => pings >= 2, { message: 'two pings reached the server application' });
    expect(link.status().resume?.buffered.messages).toBeGreaterThanOrEqual(3);
    await link.close();
    expect(dropped).toEqual(['a closed']);
  });

  it('a ping the transport refuses (a throw): an error naming heartbeat.ping, never dropped; the next message takes its number', async () => {
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
    const link = h
      .supervisor({ ...FAST, networkSignals: false, transport: refusesFirstPing() })
      // The refused ping is a missed pong: the next one goes after timeoutMs.
      .connect(server.url, { resume: true, heartbeat: { ...HEARTBEAT, timeoutMs: 600, maxMissed: 3 } });
    const errors: { code: string; option: unknown; message: string }[] = [];
    const dropped: string[] = [];
    const events: string[] = [];
    link.on('error', (error) =>
      errors.push({ code: error.code, option: error.option, message: error.message }),
    );
    link.on('dropped', ({ data, reason }) => dropped.push(`${String(data)} ${reason}`));
    link.on('reset', () => events.push('reset'));
    await link.ready();
    await waitFor(() => pings >= 2, { message: 'two pings reached the server application' });
    expect(link.send('a')).toBe('sent');
    await waitFor(() => got.length >= 1, { message: 'the server received a' });
    await sleep(30);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe('LV_ERR_INVALID_DATA');
    expect(errors[0]?.option).toBe('heartbeat.ping');
    expect(errors[0]?.message).toContain('heartbeat.ping()');
    expect(dropped).toEqual([]);
    expect(events).toEqual([]);
    expect(link.state).toBe('ready');
    await link.close();
    expect(got).toEqual(['a']);
  });
  it('a ping larger than the replay buffer can ever hold (resume.maxBytes): an error naming heartbeat.ping, not a silent missed pong', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss, { ackEveryMessages: 1, ackDelayMs: 5 });
    h.defer(() => rs.close());
    const got: string[] = [];
    rs.on('session', (session) => session.on('message', (data) => got.push(String(data))));
    const big = 'p'.repeat(64);
    const link = h.supervisor({ ...FAST, networkSignals: false }).connect(server.url, {
      resume: { maxBytes: 32 },
      heartbeat: { ...HEARTBEAT, ping: () => big },
    });
    const errors: { code: string; option: unknown; message: string }[] = [];
    link.on('error', (error) =>
      errors.push({ code: error.code, option: error.option, message: error.message }),
    );
    await link.ready();
    await waitFor(() => errors.length >= 1, { message: 'the ping that can never go is reported' });
    expect(errors[0]?.code).toBe('LV_ERR_QUEUE_FULL');
    expect(errors[0]?.option).toBe('heartbeat.ping');
    expect(errors[0]?.message).toContain('heartbeat.ping()');
    expect(errors[0]?.message).toContain('resume.maxBytes 32');
    expect(link.send('a')).toBe('sent');
    await waitFor(() => got.length >= 1, { message: 'the server received a' });
    expect(got).toEqual(['a']);
    expect(link.status().resume?.buffered.bytes).toBeLessThanOrEqual(32);
    await link.close();
  });
  it('a binary ping starting with the control mark (written escaped) refused: the error names heartbeat.ping', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss, { ackEveryMessages: 1, ackDelayMs: 5 });
    h.defer(() => rs.close());
    let pings = 0;
    rs.on('session', (session) => {
      session.on('message', (data) => {
        if ((data as Uint8Array)[0] === 0xf5) pings++;
      });
    });
    // The escaped frame of [0xF5, 1]: the mark, 0 (escaped), then the ping's bytes.
    const escapedPing = (data: unknown) => data instanceof Uint8Array && data[0] === 0xf5 && data[1] === 0;
    const link = h
      .supervisor({ ...FAST, networkSignals: false, transport: refusesFirstPing(escapedPing) })
      .connect(server.url, {
        resume: true,
        heartbeat: { ...HEARTBEAT, timeoutMs: 600, maxMissed: 3, ping: () => new Uint8Array([0xf5, 1]) },
      });
    const errors: { code: string; option: unknown; message: string }[] = [];
    const dropped: unknown[] = [];
    link.on('error', (error) =>
      errors.push({ code: error.code, option: error.option, message: error.message }),
    );
    link.on('dropped', ({ data }) => dropped.push(data));
    await link.ready();
    await waitFor(() => pings >= 1 && errors.length >= 1, { message: 'a ping refused, the next one read' });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe('LV_ERR_INVALID_DATA');
    expect(errors[0]?.option).toBe('heartbeat.ping');
    expect(errors[0]?.message).toContain('heartbeat.ping()');
    expect(dropped).toEqual([]);
    await link.close();
    expect(dropped).toEqual([]);
  });
  it('a server application that never answers pings: the session acks them, the link stays ready, nothing kept', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss, { ackEveryMessages: 1, ackDelayMs: 5 });
    h.defer(() => rs.close());
    let pings = 0;
    rs.on('session', (session) => session.on('message', () => pings++));
    const link = h
      .supervisor({ ...FAST, networkSignals: false })
      .connect(server.url, { resume: true, heartbeat: { ...HEARTBEAT, timeoutMs: 600, maxMissed: 1 } });
    const events: string[] = [];
    link.on('state', ({ to }) => events.push(to));
    link.on('error', (error) => events.push(error.code));
    await link.ready();
    events.length = 0;
    await waitFor(() => pings >= 5, { message: 'five pings read by the server application' });
    await sleep(30);
    expect(events).toEqual([]);
    expect(link.state).toBe('ready');
    expect(link.status().resume?.buffered.messages).toBeLessThanOrEqual(1);
    await link.close();
  });
});
