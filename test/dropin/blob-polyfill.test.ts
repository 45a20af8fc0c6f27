/**
 * A polyfill that ignores `binaryType = 'arraybuffer'` and delivers binary messages as Blobs: the
 * drop-in used to drop them silently. Now each is read and delivered, in the order the socket
 * gave the messages (text after a Blob waits for it), before the close that followed them. The
 * polyfill is ws's own class (the generic WebSocket-constructor adapter) whose message listeners
 * get a Blob for every binary message, against a real ws server on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import { WebSocket as WS } from 'ws';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { dropIn, FAST } from './helpers.js';

/** ws's class, except that message listeners get Blobs for binary data, whatever binaryType says. */
class BlobsOnly extends WS {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols);
    const add = this.addEventListener.bind(this) as (type: string, listener: (event: never) => void) => void;
    (this as { addEventListener: unknown }).addEventListener = (
      type: string,
      listener: (event: { data: unknown }) => void,
    ) => {
      if (type !== 'message') return add(type, listener as never);
      add('message', ((event: { data: unknown }) =>
        listener({
          data: typeof event.data === 'string' ? event.data : new Blob([event.data as ArrayBuffer]),
        })) as never);
    };
  }
}

describe('drop-in: a polyfill that delivers Blobs despite binaryType arraybuffer', () => {
  const h = useHarness();

  it('delivers every binary message, in order with the text around it, before the close', async () => {
    const server = await h.wsServer({
      onConnection: (ws) => {
        ws.send(Buffer.from([1, 2, 3]));
        ws.send('between');
        ws.send(Buffer.from([4]));
        ws.close(4000, 'done');
      },
    });
    const rws = dropIn(h, server.url, undefined, { ...FAST, maxRetries: 0, WebSocket: BlobsOnly });
    rws.binaryType = 'arraybuffer';
    const seen: string[] = [];
    rws.addEventListener('message', (event: MessageEvent) => {
      const data = event.data;
      seen.push(
        typeof data === 'string' ? data : `bytes:${[...new Uint8Array(data as ArrayBuffer)].join(',')}`,
      );
    });
    rws.addEventListener('close', (event: CloseEvent) => seen.push(`close:${event.code}`));
    await waitFor(() => seen.some((line) => line.startsWith('close')), { message: `a close (${seen})` });
    expect(seen).toEqual(['bytes:1,2,3', 'between', 'bytes:4', 'close:4000']);
  });
});
