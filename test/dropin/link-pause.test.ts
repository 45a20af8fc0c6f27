/**
 * `rws.link.pause()` / `resume()` on the drop-in (docs/migration.md: `rws.link` is the current
 * connection's Link; docs/links.md, Pausing). The hold on reading is a link feature
 * (src/runtime/reading-hold.ts): the Node entry, on ws, gives it to its links, so pausing holds the
 * peer's messages until the resume, in order; the base class (the browser's: a WebSocket cannot
 * pause) offers none, so its bundle leaves the hold out (test/size/bundle-size.test.ts) and
 * `pause()` returns false, as a browser WebSocket's link's always did. reconnect() keeps a pause:
 * the next link is held too.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ReconnectingWebSocket as BrowserReconnectingWebSocket } from '../../src/dropin/reconnecting-websocket.js';
import { ReconnectingWebSocket } from '../../src/entries/ws.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { dropIn, FAST, nextWsEvent, recordWs } from './helpers.js';

describe('drop-in: rws.link.pause() / resume()', () => {
  const h = useHarness();

  it('Node (ws): pause holds the messages, resume delivers them in order', async () => {
    const server = await h.wsServer();
    const rws = dropIn(h, server.url, undefined, FAST);
    expect(rws).toBeInstanceOf(ReconnectingWebSocket);
    const log = recordWs(rws);
    await nextWsEvent(rws, 'open');
    const link = rws.link as NonNullable<typeof rws.link>;
    expect(link.pause()).toBe(true);
    expect(link.status().paused).toBe(true);
    const [peer] = server.clients;
    for (const n of [1, 2, 3]) peer?.send(`m${n}`);
    // Sent, and the client had time to read them: none is delivered while paused.
    await new Promise<void>((resolve) => peer?.ping(undefined, undefined, () => setTimeout(resolve, 200)));
    expect(log.count('message')).toBe(0);
    expect(link.resume()).toBe(true);
    await waitFor(() => log.count('message') === 3, { message: 'three messages' });
    expect(log.lines.filter((line) => line.startsWith('message'))).toEqual([
      'message:m1',
      'message:m2',
      'message:m3',
    ]);
    expect(link.resume()).toBe(false);
  });

  it('Node (ws): pause() during the backoff wait holds the next socket from its open, until resume()', async () => {
    let n = 0;
    const server = await h.wsServer({
      onConnection: (ws) => (n++ === 0 ? ws.close(1011) : ws.send('after the retry')),
    });
    // A wait long enough to pause in, short enough for the test.
    const rws = dropIn(h, server.url, undefined, { ...FAST, minReconnectionDelay: 300 });
    const log = recordWs(rws);
    await nextWsEvent(rws, 'reconnecting');
    const link = rws.link as NonNullable<typeof rws.link>;
    expect(link.state).toBe('reconnecting');
    // It said false here: the drop-in's recording transport hid that ws sockets can pause.
    expect(link.pause()).toBe(true);
    await nextWsEvent(rws, 'open');
    const [peer] = server.clients;
    await new Promise<void>((resolve) => peer?.ping(undefined, undefined, () => setTimeout(resolve, 200)));
    expect(log.count('message')).toBe(0);
    expect(link.resume()).toBe(true);
    await waitFor(() => log.count('message') === 1, { message: 'the held message' });
    expect(log.lines.at(-1)).toBe('message:after the retry');
  });

  // pause() is the application's intent (backpressure: it cannot take more now); reconnect() asks
  // for a new connection, not for the messages: the hold goes on, on the next generation's link,
  // as it lasts across a link's own reconnects (docs/links.md, Pausing). It was lost: the new link
  // delivered at once. Resumed on `rws.link` (the current link: the old one is over).
  it.each([
    ['while open', false],
    ['after close()', true],
  ])(
    'Node (ws): paused, then reconnect() %s: the next connection is held until rws.link.resume()',
    async (_when, closeFirst) => {
      const server = await h.wsServer({ onConnection: (ws) => ws.send(`hello ${server.connections}`) });
      const rws = dropIn(h, server.url, undefined, FAST);
      const log = recordWs(rws);
      await nextWsEvent(rws, 'open');
      await waitFor(() => log.count('message') === 1, { message: 'the first hello' });
      expect(rws.link?.pause()).toBe(true);
      if (closeFirst) rws.close();
      rws.reconnect();
      await nextWsEvent(rws, 'open');
      const link = rws.link as NonNullable<typeof rws.link>;
      expect(link.status().paused).toBe(true);
      const peer = [...server.clients].at(-1);
      await new Promise<void>((resolve) => peer?.ping(undefined, undefined, () => setTimeout(resolve, 200)));
      expect(log.count('message')).toBe(1);
      expect(link.resume()).toBe(true);
      await waitFor(() => log.count('message') === 2, { message: 'the held hello' });
      expect(log.lines.at(-1)).toBe('message:hello 2');
    },
  );

  // ws's class given to the base class: it goes through the WHATWG adapter, as a browser's WebSocket.
  it('the browser class: no hold on reading, pause() returns false and messages flow', async () => {
    const server = await h.wsServer({ onConnection: (ws) => ws.on('message', (d) => ws.send(`echo:${d}`)) });
    const rws = new BrowserReconnectingWebSocket(server.url, undefined, {
      ...FAST,
      WebSocket,
    });
    h.defer(async () => {
      rws.close();
      await rws.link?.ended();
    });
    // The helpers take the Node class; the base class has the same surface.
    const events = rws as unknown as ReconnectingWebSocket;
    await nextWsEvent(events, 'open');
    const link = rws.link as NonNullable<typeof rws.link>;
    expect(link.pause()).toBe(false);
    expect(link.status().paused).toBeUndefined();
    rws.send('hello');
    const message = await nextWsEvent<MessageEvent>(events, 'message');
    expect(message.data).toBe('echo:hello');
    expect(link.resume()).toBe(false);
  });
});
