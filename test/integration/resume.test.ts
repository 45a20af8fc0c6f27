/**
 * Links with `resume` against `linkvisor/server` on real `ws` servers (127.0.0.1, port 0): the
 * `resuming` phase, `resumed` with replay both ways after a drop, `reset` after a restart without
 * a store (unacknowledged messages reported `dropped` with reason `reset`), a clear fatal error
 * against a server that does not speak the protocol, status counts, option errors.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { type Link, ReconnectingWebSocket } from '../../src/index.js';
import { type ResumableSession, resumable } from '../../src/server/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

function watch(link: Link) {
  const seen = {
    got: [] as string[],
    events: [] as string[],
    dropped: [] as string[],
    states: [] as string[],
  };
  link.on('message', (d) => seen.got.push(String(d)));
  link.on('resumed', ({ replayedIn, replayedOut }) =>
    seen.events.push(`resumed ${replayedIn}/${replayedOut}`),
  );
  link.on('reset', ({ reason }) => seen.events.push(`reset ${reason}`));
  link.on('ready', () => seen.events.push('ready'));
  link.on('dropped', ({ data, reason }) => seen.dropped.push(`${String(data)} ${reason}`));
  link.on('state', ({ to }) => seen.states.push(to));
  return seen;
}

describe('links with resume', () => {
  const h = useHarness();

  async function serve(options: Parameters<typeof resumable>[1] = {}) {
    const server = await h.wsServer();
    const rs = resumable(server.wss, options);
    h.defer(() => rs.close());
    const sessions: ResumableSession[] = [];
    const got: string[] = [];
    rs.on('session', (s) => {
      sessions.push(s);
      s.on('message', (d) => got.push(String(d)));
    });
    return { server, rs, sessions, got };
  }

  it('goes connecting → resuming → ready; after a drop: resumed, what each side missed arrives once, in order', async () => {
    const { server, sessions, got } = await serve();
    const supervisor = h.supervisor({ ...FAST });
    const link = supervisor.connect(server.url, { resume: true });
    const seen = watch(link);
    await link.ready();
    expect(seen.states).toEqual(['connecting', 'resuming', 'ready']);
    expect(seen.events).toEqual(['ready']); // a first session is neither resumed nor reset
    await waitFor(() => sessions.length === 1, { message: 'session' });
    const session = sessions[0] as ResumableSession;
    link.send('c1');
    session.send('s1');
    await waitFor(() => got.length === 1 && seen.got.length === 1, { message: 'both ways' });

    // The server drops the socket; while the link is down both sides send.
    for (const ws of server.wss.clients as Set<WebSocket>) ws.terminate();
    await waitFor(() => link.state !== 'ready', { message: 'link noticed' });
    session.send('s2');
    link.send('c2');
    await waitFor(
      () => seen.events.includes('ready') && seen.events.filter((e) => e === 'ready').length === 2,
      {
        message: 'ready again',
      },
    );
    await waitFor(() => got.length === 2 && seen.got.length === 2, { message: 'replayed' });
    expect(got).toEqual(['c1', 'c2']);
    expect(seen.got).toEqual(['s1', 's2']);
    expect(seen.events[1]).toMatch(/^resumed [12]\/[01]$/);
    expect(seen.events.slice(2)).toEqual(['ready']);
    expect(seen.dropped).toEqual([]);
    expect(sessions).toHaveLength(1);
    // Both directions acknowledge on their own timers (ack after N messages or T ms): wait until
    // the server has confirmed ours and we have confirmed the server's.
    await waitFor(
      () => link.status().resume?.buffered.messages === 0 && link.status().resume?.unacknowledged === 0,
      { message: 'acknowledged both ways' },
    );
    expect(link.status().resume).toEqual({
      session: true,
      buffered: { messages: 0, bytes: 0 },
      unacknowledged: 0,
    });
  });

  it('a server restarted without a store: reset; every unacknowledged message reported dropped (reset)', async () => {
    const first = await serve({ ackEveryMessages: 10_000, ackDelayMs: 600_000 });
    const supervisor = h.supervisor({ ...FAST });
    let url = first.server.url;
    const link = supervisor.connect(() => url, { resume: true });
    const seen = watch(link);
    await link.ready();
    link.send('u1');
    link.send('u2');
    await waitFor(() => first.got.length === 2, { message: 'arrived, never acknowledged' });
    const second = await serve();
    url = second.server.url;
    await first.rs.close();
    await first.server.stop();
    await waitFor(() => seen.events.includes('reset unknown-session'), { message: 'reset' });
    expect(seen.dropped).toEqual(['u1 reset', 'u2 reset']);
    await waitFor(() => link.state === 'ready', { message: 'ready in the new session' });
    link.send('n1');
    await waitFor(() => second.got.length === 1, { message: 'new session works' });
    expect(second.got).toEqual(['n1']);
  });

  it('a server that does not speak the protocol: the link fails on the first connect with LV_ERR_RESUME', async () => {
    const echo = await h.wsServer({
      onConnection: (ws) => ws.on('message', (d, binary) => ws.send(d, { binary })),
    });
    const supervisor = h.supervisor({ ...FAST });
    const link = supervisor.connect(echo.url, { resume: true });
    const seen = watch(link);
    await expect(link.ready()).rejects.toMatchObject({ code: 'LV_ERR_LINK_FAILED' });
    expect(link.status().failure).toMatchObject({
      kind: 'handshake',
      errorCode: 'LV_ERR_RESUME',
      fatal: true,
      message:
        'the server does not speak the linkvisor resume protocol v1: it sent our hello back (an echo server?)',
    });
    expect(seen.got).toEqual([]);
    expect(echo.connections).toBe(1);
  });

  it('closing the link ends its server session (client-closed)', async () => {
    const { server, sessions } = await serve();
    const supervisor = h.supervisor({ ...FAST });
    const link = supervisor.connect(server.url, { resume: true });
    await link.ready();
    await waitFor(() => sessions.length === 1, { message: 'session' });
    const closed = new Promise((resolve) => sessions[0]?.on('close', resolve));
    await link.close();
    expect(await closed).toEqual({ reason: 'client-closed' });
  });

  it('resume as a supervisor default: links resume unless they say resume: false; numbers merge', async () => {
    const { server, sessions } = await serve();
    const supervisor = h.supervisor({ ...FAST, resume: { maxMessages: 5 } });
    const resuming = supervisor.connect(server.url, { resume: { maxBytes: 1000 } });
    const plain = supervisor.connect('ws://127.0.0.1:1', { resume: false, autoConnect: false });
    await resuming.ready();
    await waitFor(() => sessions.length === 1, { message: 'session' });
    expect(resuming.status().resume).toEqual({
      session: true,
      buffered: { messages: 0, bytes: 0 },
      unacknowledged: 0,
    });
    expect(plain.status().resume).toBeUndefined();
    // maxMessages 5 from the supervisor, maxBytes 1000 from the link: the sixth unacknowledged
    // message waits in the queue (synchronous sends: no ack can arrive in between), until acks.
    expect([0, 1, 2, 3, 4, 5].map((i) => resuming.send(`m${i}`))).toEqual([
      ...Array(5).fill('sent'),
      'queued',
    ]);
    expect(resuming.status().resume?.buffered.messages).toBe(5);
    expect(resuming.status().queue.messages).toBe(1);
    await waitFor(
      () => resuming.status().queue.messages === 0 && resuming.status().resume?.buffered.messages === 0,
      {
        message: 'acks released the queue',
      },
    );
  });

  it('a message larger than resume.maxBytes can never be kept for replay: dropped (overflow), never blocks the queue', async () => {
    const { server, got } = await serve();
    const supervisor = h.supervisor({ ...FAST });
    const link = supervisor.connect(server.url, {
      resume: { maxBytes: 100 },
      queue: { overflow: 'drop-newest' },
    });
    const seen = watch(link);
    await link.ready();
    const big = 'x'.repeat(200);
    // Straight to the session while ready…
    expect(link.send(big)).toBe('dropped');
    expect(link.send('after-1')).toBe('sent');
    // …and from the queue, where it waited while the link was away.
    for (const ws of server.wss.clients as Set<WebSocket>) ws.terminate();
    await waitFor(() => link.state !== 'ready', { message: 'link noticed' });
    expect(link.send(big)).toBe('queued');
    expect(link.send('after-2')).toBe('queued');
    await waitFor(() => got.includes('after-2'), { message: 'what follows the big message arrives' });
    expect(got).toEqual(['after-1', 'after-2']);
    expect(seen.dropped).toEqual([`${big} overflow`, `${big} overflow`]);
    expect(link.status().queue.messages).toBe(0);
    // With queue.overflow 'reject' (the default), a send that can never fit throws, as the
    // queue's own does; queued while away, it is dropped when the queue is flushed.
    const strict = supervisor.connect(server.url, { resume: { maxBytes: 100 } });
    await strict.ready();
    expect(() => strict.send(big)).toThrow(expect.objectContaining({ code: 'LV_ERR_QUEUE_FULL' }));
    expect(strict.send('fine')).toBe('sent');
  });

  it('bad resume options name the option; resume with a handshake or an in-process transport is unsupported', async () => {
    const supervisor = h.supervisor({ ...FAST });
    expect(() => supervisor.connect('ws://127.0.0.1:1', { resume: { maxBytes: -1 } })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'resume.maxBytes' }),
    );
    expect(() => supervisor.connect('ws://127.0.0.1:1', { resume: 'yes' as never })).toThrow(
      expect.objectContaining({ option: 'resume' }),
    );
    expect(() => supervisor.connect('ws://127.0.0.1:1', { resume: true, handshake: () => {} })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_UNSUPPORTED', option: 'resume' }),
    );
    // The drop-in class stays WHATWG-shaped: it does not offer resume.
    expect(() => new ReconnectingWebSocket('ws://127.0.0.1:1', [], { resume: true } as never)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_UNKNOWN_OPTION', option: 'resume' }),
    );
  });
});
