/**
 * The drop-in's `close()` or `reconnect()` called by an `onmessage` listener while ws hands over one
 * read's batch: as a WebSocket's after close(), the rest is not dispatched (the generation is
 * retired), but its link closes with a close handshake (no terminate), so ws hands the rest over
 * and the link delivers it, in order: `rws.link`'s own `message` listeners hear every message, and
 * none is lost unreported there. Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { writeOneRead } from '../runtime/one-read.js';
import { dropIn, FAST, nextWsEvent } from './helpers.js';

const N = 12;
const AT = 3;
const BATCH = Array.from({ length: N }, (_, i) => `${i}`);

describe.each([
  ['uncompressed', false],
  ['compressed', true],
])('drop-in, one read of %s messages, onmessage closes or reconnects', (_, compressed) => {
  const h = useHarness();

  it.each(['close', 'reconnect'] as const)(
    '%s(): dispatched up to it, the link delivers the rest',
    async (call) => {
      const sockets: WebSocket[] = [];
      const server = await h.wsServer({
        onConnection: (ws) => sockets.push(ws),
        ...(compressed ? { perMessageDeflate: { threshold: 0 } } : {}),
      });
      const rws = dropIn(h, server.url, undefined, FAST);
      await nextWsEvent(rws, 'open');
      const link = rws.link;
      const onLink: string[] = [];
      const dropped: string[] = [];
      link?.on('message', (data) => onLink.push(String(data)));
      link?.on('dropped', ({ data }) => dropped.push(String(data)));
      const dispatched: string[] = [];
      rws.onmessage = (event) => {
        dispatched.push(String(event.data));
        if (event.data === `${AT}`) rws[call]();
      };
      writeOneRead(sockets[0], BATCH, compressed);
      await link?.ended();
      expect({ dispatched, onLink, dropped }).toEqual({
        dispatched: BATCH.slice(0, AT + 1),
        onLink: BATCH,
        dropped: [],
      });
      if (call === 'reconnect') {
        await waitFor(() => sockets.length === 2 && rws.readyState === rws.OPEN, {
          message: 'the new socket',
        });
        sockets[1]?.send('new');
        await waitFor(() => dispatched.includes('new'), { message: 'the new socket’s message' });
        expect(dispatched).toEqual([...BATCH.slice(0, AT + 1), 'new']);
      }
    },
  );
});
