/**
 * The data the application sends: buffers queued while down then detached or changed (sent as
 * they were when queued), a detached buffer passed to send(), what a text costs on the wire, send()
 * on a failed link.
 * No user-supplied value or callback can kill a link or leak its socket (issue 10, defects 1, 5,
 * 7, 8). Real `ws` servers on loopback; each test checks that the link's actor never errors and that
 * nothing stays open (write-errors-fixtures.ts).
 */
import { describe, expect, it } from 'vitest';
import { recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { bufferOf, detach, endsClean, idleLink, inbox, serverEmpty } from './write-errors-fixtures.js';

describe('write errors never kill a link', () => {
  const h = useHarness();

  it('a buffer queued while down and detached before the flush is sent as it was queued; the rest follow in order', async () => {
    const { server, messages, supervisor, link, actor } = await idleLink(h);
    const log = recordEvents(link);
    const ab = bufferOf([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(link.send('a')).toBe('queued');
    expect(link.send(ab)).toBe('queued');
    detach(ab);
    expect(link.send('b')).toBe('queued');
    link.connect();
    await link.ready();
    await waitFor(() => messages.length >= 3, { message: 'three messages' });
    expect(messages).toEqual(['a', [1, 2, 3, 4, 5, 6, 7, 8], 'b']);
    expect(link.send('c')).toBe('sent');
    await waitFor(() => messages.length === 4, { message: 'the fourth message' });
    expect(link.state).toBe('ready');
    expect(actor.errors).toEqual([]);
    expect(log.count('dropped')).toBe(0);
    await supervisor.close();
    await serverEmpty(server);
  });

  it.each([
    ['Uint8Array', () => new Uint8Array([1, 2, 3])],
    ['Buffer', () => Buffer.from([1, 2, 3])],
    ['a view into a larger buffer', () => new Uint8Array(bufferOf([9, 1, 2, 3, 9])).subarray(1, 4)],
    ['DataView', () => new DataView(bufferOf([1, 2, 3]))],
    ['Uint16Array', () => new Uint16Array(new Uint8Array([1, 2, 3, 4]).buffer).subarray(0, 2)],
    ['ArrayBuffer', () => bufferOf([1, 2, 3])],
  ])('a %s queued while down and changed afterwards is sent as it was when queued', async (_name, make) => {
    const server = await h.wsServer();
    const { messages } = inbox(server);
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(server.url, { autoConnect: false });
    const data = make();
    const view =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const expected = [...view];
    const bytes = new Uint8Array(data instanceof ArrayBuffer ? data : data.buffer);
    expect(link.send(data)).toBe('queued');
    bytes.fill(0xee);
    link.connect();
    await link.ready();
    await waitFor(() => messages.length === 1, { message: 'the message' });
    expect(messages).toEqual([expected]);
  });

  it('a detached buffer passed to send() throws LV_ERR_INVALID_DATA, while ready and while down; nothing is written or queued', async () => {
    const { server, messages, supervisor, link, actor } = await idleLink(h);
    for (const make of [
      () => bufferOf([1]),
      () => new Uint8Array([1, 2]),
      () => new DataView(bufferOf([1])),
    ]) {
      const data = make();
      detach(data instanceof ArrayBuffer ? data : (data.buffer as ArrayBuffer));
      expect(() => link.send(data)).toThrow(expect.objectContaining({ code: 'LV_ERR_INVALID_DATA' }));
    }
    // A DataView past the end of a resizable buffer that shrank: no bytes either.
    type Resizable = new (n: number, o: object) => ArrayBuffer & { resize(n: number): void };
    const resizable = new (ArrayBuffer as unknown as Resizable)(8, { maxByteLength: 16 });
    const outside = new DataView(resizable, 4, 4);
    resizable.resize(2);
    expect(() => link.send(outside)).toThrow(expect.objectContaining({ code: 'LV_ERR_INVALID_DATA' }));
    expect(link.status().queue.messages).toBe(0);
    link.connect();
    await link.ready();
    const ab = bufferOf([1, 2]);
    detach(ab);
    expect(() => link.send(ab)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_DATA', message: expect.stringMatching(/detached/) }),
    );
    // An empty buffer that is not detached is a valid (empty) message.
    expect(link.send(new ArrayBuffer(0))).toBe('sent');
    link.send('after');
    await waitFor(() => messages.length === 2, { message: 'two messages' });
    expect(messages).toEqual([[], 'after']);
    await endsClean(supervisor, server, actor);
  });

  it('send() on a link that failed (a fatal close) throws LV_ERR_LINK_FAILED, not LV_ERR_LINK_CLOSED', async () => {
    const server = await h.wsServer({ onConnection: (ws) => ws.close(1008, 'policy') });
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(server.url);
    await expect(link.ended()).resolves.toBeUndefined();
    expect(link.state).toBe('failed');
    expect(() => link.send('x')).toThrow(
      expect.objectContaining({ code: 'LV_ERR_LINK_FAILED', message: expect.stringMatching(/1008/) }),
    );
  });

  it("counts what goes on the wire: a lone surrogate is U+FFFD, 3 bytes ('\\ud800\\u4e2d' is 6)", async () => {
    const server = await h.wsServer();
    const received: Buffer[] = [];
    server.wss.on('connection', (ws) => ws.on('message', (data: Buffer) => received.push(data)));
    const supervisor = h.supervisor(FAST);
    const text = '\ud800\u4e2d';
    const exact = supervisor.connect(server.url, {
      autoConnect: false,
      queue: { maxMessages: 10, maxBytes: 6, overflow: 'reject' },
    });
    expect(exact.send(text)).toBe('queued');
    expect(exact.status().queue.bytes).toBe(6);
    const small = supervisor.connect(server.url, {
      autoConnect: false,
      queue: { maxMessages: 10, maxBytes: 5, overflow: 'reject' },
    });
    expect(() => small.send(text)).toThrow(expect.objectContaining({ code: 'LV_ERR_QUEUE_FULL' }));
    const pair = supervisor.connect(server.url, { autoConnect: false });
    pair.send('\ud83d\ude00\udc00x'); // a pair (4), a lone low surrogate (3), 'x' (1)
    expect(pair.status().queue.bytes).toBe(8);
    exact.connect();
    await exact.ready();
    await waitFor(() => received.length === 1, { message: 'the message' });
    expect(received[0]?.length).toBe(6);
    expect(received[0]?.toString()).toBe('\ufffd\u4e2d');
  });
});
