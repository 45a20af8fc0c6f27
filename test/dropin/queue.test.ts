/**
 * Messages sent while not OPEN: buffered (send() returns false, as partysocket's) up to
 * maxEnqueuedMessages (the newest beyond it is dropped and reported as `dropped`), flushed in order
 * on open before `open` is dispatched, delivered once, and kept across close() / reconnect().
 */
import { describe, expect, it, vi } from 'vitest';
import { LinkvisorError } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { dropIn, FAST, nextWsEvent, recordWs } from './helpers.js';

describe('drop-in: the queue while not open', () => {
  const h = useHarness();

  it('sends while CONNECTING are written in order before open; sends in onopen come after them', async () => {
    const received: string[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('message', (d) => received.push(String(d))),
    });
    const rws = dropIn(h, server.url, undefined, FAST);
    expect(rws.send('q1')).toBe(false);
    expect(rws.send('q2')).toBe(false);
    rws.onopen = () => {
      expect(rws.bufferedAmount).toBe(0);
      rws.send('from-onopen');
    };
    await nextWsEvent(rws, 'open');
    rws.send('after');
    await waitFor(() => received.length === 4, { message: 'four messages' });
    expect(received).toEqual(['q1', 'q2', 'from-onopen', 'after']);
  });

  it('a server bounce: messages sent while down arrive once, in order, on the next connection', async () => {
    const perConnection: string[][] = [];
    // The server restarts on a kept port: no other process can take it in between.
    const kept = await h.keptPort();
    const first = await h.wsServer({
      ...kept.behind,
      onConnection: (ws) => {
        const got: string[] = [];
        perConnection.push(got);
        ws.on('message', (d) => got.push(String(d)));
      },
    });
    const rws = dropIn(h, kept.url(), undefined, FAST);
    const log = recordWs(rws);
    await nextWsEvent(rws, 'open');
    rws.send('before');
    await waitFor(() => perConnection[0]?.length === 1, { message: 'the first message' });

    const closed = nextWsEvent(rws, 'close');
    await first.stop();
    await closed;
    for (const m of ['d1', 'd2', 'd3']) expect(rws.send(m)).toBe(false);
    expect(rws.bufferedAmount).toBe(6);
    await waitFor(() => log.count('reconnecting') >= 2, { message: 'a refused retry' });

    const second = await h.wsServer({
      ...kept.behind,
      onConnection: (ws) => {
        const got: string[] = [];
        perConnection.push(got);
        ws.on('message', (d) => got.push(String(d)));
      },
    });
    await waitFor(() => log.count('open') === 2, { message: 'open again' });
    rws.send('sentinel');
    await waitFor(() => perConnection[1]?.includes('sentinel'), { message: 'the sentinel' });
    expect(perConnection).toEqual([['before'], ['d1', 'd2', 'd3', 'sentinel']]);
    expect(second.connections).toBe(1);
  });

  it('maxEnqueuedMessages bounds the queue: beyond it the newest is dropped and reported', async () => {
    const received: string[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('message', (d) => received.push(String(d))),
    });
    const rws = dropIn(h, server.url, undefined, { ...FAST, startClosed: true, maxEnqueuedMessages: 3 });
    const dropped: string[] = [];
    rws.addEventListener('dropped', (event) => dropped.push(`${String(event.data)}:${event.reason}`));
    expect(['a', 'b', 'c', 'd', 'e'].map((m) => rws.send(m))).toEqual([false, false, false, false, false]);
    expect(dropped).toEqual(['d:overflow', 'e:overflow']);
    rws.reconnect();
    await nextWsEvent(rws, 'open');
    rws.send('f');
    await waitFor(() => received.includes('f'), { message: 'f arrived' });
    expect(received).toEqual(['a', 'b', 'c', 'f']);
  });

  it('the default bound is 1000 messages (theirs is unbounded)', () => {
    const rws = dropIn(h, 'ws://127.0.0.1:9/', undefined, { ...FAST, startClosed: true });
    let dropped = 0;
    rws.addEventListener('dropped', () => dropped++);
    for (let i = 0; i < 1_001; i++) rws.send(String(i));
    expect([rws.drainQueuedMessages().length, dropped]).toEqual([1_000, 1]);
  });

  it('messages sent after close() are kept and delivered after reconnect()', async () => {
    const received: string[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('message', (d) => received.push(String(d))),
    });
    const rws = dropIn(h, server.url, undefined, FAST);
    await nextWsEvent(rws, 'open');
    rws.close();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    h.defer(() => warn.mockRestore());
    expect(rws.send('kept-1')).toBe(false);
    expect(rws.send('kept-2')).toBe(false);
    rws.reconnect();
    await nextWsEvent(rws, 'open');
    await waitFor(() => received.length === 2, { message: 'the kept messages' });
    expect(received).toEqual(['kept-1', 'kept-2']);
  });

  it('send() refuses what cannot be sent (objects, Blob) with LV_ERR_INVALID_DATA', () => {
    const rws = dropIn(h, 'ws://127.0.0.1:9/', undefined, { ...FAST, startClosed: true });
    expect(() => rws.send({ a: 1 } as never)).toThrow(LinkvisorError);
    expect(() => rws.send(new Blob(['x']) as never)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_DATA' }),
    );
    expect(rws.bufferedAmount).toBe(0);
  });
});
