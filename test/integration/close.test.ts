/**
 * close(): idempotent (one promise, one close frame, one `closed` event) and draining (what was
 * sent before close() reaches a slow server before the close frame).
 */
import { describe, expect, it } from 'vitest';
import { recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { closeCodeOf, OPCODE } from '../helpers/servers.js';
import { sleep, waitFor } from '../helpers/wait.js';

describe('integration: close', () => {
  const h = useHarness();

  it('close() twice: the same promise, one close frame at the server, one closed event', async () => {
    const serverCloses: { code: number; reason: string }[] = [];
    const server = await h.wsServer({
      tapFrames: true,
      onConnection: (ws) =>
        ws.on('close', (code, reason) => serverCloses.push({ code, reason: reason.toString() })),
    });
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(server.url);
    const log = recordEvents(link);
    await link.ready();

    const first = link.close({ code: 4001, reason: 'bye' });
    const second = link.close({ code: 4002, reason: 'ignored' });
    expect(second).toBe(first);
    await first;
    expect(link.close()).toBe(first);
    expect(link.state).toBe('closed');

    await waitFor(() => serverCloses.length === 1, { message: 'the server saw the close' });
    await sleep(50); // room for a duplicate to show up
    const frames = [...server.frames.values()][0] ?? [];
    const closeFrames = frames.filter((f) => f.opcode === OPCODE.close);
    expect(closeFrames).toHaveLength(1);
    expect(closeCodeOf(closeFrames[0]!)).toBe(4001);
    expect(serverCloses).toEqual([{ code: 4001, reason: 'bye' }]);
    expect(log.count('closed')).toBe(1);
    expect(server.connections).toBe(1);
    expect(() => link.send('late')).toThrow(expect.objectContaining({ code: 'LV_ERR_LINK_CLOSED' }));
  });

  it('close() drains: every message sent before it reaches a slow server before the close frame', async () => {
    const count = 160;
    const body = 'x'.repeat(64 * 1024);
    const received: number[] = [];
    let receivedAtClose = -1;
    let closeSeenAfter = -1;
    const paused: { resume(): void }[] = [];
    const server = await h.wsServer({
      tapFrames: true,
      onConnection: (ws, request) => {
        // A slow reader: nothing is read until the test resumes the socket.
        paused.push(request.socket.pause());
        ws.on('message', (data) => received.push(Number.parseInt(String(data).slice(0, 8), 10)));
        ws.on('close', () => {
          closeSeenAfter = received.length;
        });
      },
    });
    const closeTimeoutMs = 10_000;
    const supervisor = h.supervisor({ ...FAST, closeTimeoutMs });
    const link = supervisor.connect(server.url);
    const log = recordEvents(link);
    await link.ready();
    await waitFor(() => paused.length === 1, { message: 'the server accepted' });

    for (let i = 0; i < count; i++) {
      expect(link.send(`${String(i).padStart(8, '0')}${body}`)).toBe('sent');
    }
    const closing = link.close();
    receivedAtClose = received.length;
    expect(link.state).toBe('closing');
    await sleep(200);
    expect(link.state).toBe('closing'); // still draining into a server that does not read
    for (const socket of paused) socket.resume();
    await closing;

    expect(receivedAtClose).toBeLessThan(count);
    expect(received).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(closeSeenAfter).toBe(count);
    const frames = [...server.frames.values()][0] ?? [];
    const dataFrames = frames.filter((f) => f.opcode === OPCODE.text);
    expect(dataFrames).toHaveLength(count);
    const last = frames.at(-1);
    expect(last?.opcode).toBe(OPCODE.close);
    expect(closeCodeOf(last!)).toBe(1000);
    expect(log.count('dropped')).toBe(0);
    expect(log.of<{ reason: { kind: string } | null }>('closed')[0]?.reason?.kind).toBe('user');
  });

  it('close() during the handshake: queued messages are reported dropped and never sent', async () => {
    const received: string[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('message', (d) => received.push(String(d))),
    });
    const supervisor = h.supervisor({
      ...FAST,
      handshake: async (session) => {
        session.send('hello');
        await session.next(); // the server never answers
      },
    });
    const link = supervisor.connect(server.url);
    const log = recordEvents(link);
    expect(link.send('app-1')).toBe('queued');
    expect(link.send('app-2')).toBe('queued');
    await waitFor(() => received.includes('hello'), { message: 'the handshake started' });
    expect(link.state).toBe('handshaking');
    await link.close();
    await waitFor(() => server.clients.size === 0, { message: 'the server saw the socket close' });

    expect(received).toEqual(['hello']);
    expect(log.of('dropped')).toEqual([
      { data: 'app-1', reason: 'closed' },
      { data: 'app-2', reason: 'closed' },
    ]);
    expect(log.count('closed')).toBe(1);
  });

  it('close() against a server that never reads: ended after closeTimeoutMs, nothing left open', async () => {
    const serverCloses: number[] = [];
    const paused: { resume(): void }[] = [];
    let serverReceived = 0;
    const server = await h.wsServer({
      onConnection: (ws, request) => {
        paused.push(request.socket.pause());
        ws.on('message', () => serverReceived++);
        ws.on('close', (code) => serverCloses.push(code));
      },
    });
    const supervisor = h.supervisor({ ...FAST, closeTimeoutMs: 300 });
    const link = supervisor.connect(server.url);
    const log = recordEvents(link);
    await link.ready();
    const body = 'y'.repeat(64 * 1024);
    for (let i = 0; i < 160; i++) link.send(body);

    const closing = link.close();
    await sleep(100);
    expect(link.state).toBe('closing');
    await closing;
    // The link did not wait for the peer: it never read a byte, let alone answered the close.
    expect(serverReceived).toBe(0);
    expect(link.state).toBe('closed');
    expect(log.count('closed')).toBe(1);
    // Let the server read what reached its kernel buffer, and then the end of the stream.
    for (const socket of paused) socket.resume();
    await waitFor(() => serverCloses.length === 1, { message: 'the server saw the socket end' });
  });
});
