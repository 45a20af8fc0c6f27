/**
 * A binary message is the sender's to reuse once send() returned, as a WebSocket's (WHATWG: send()
 * takes the bytes as they are then), also when the ws transport's socket compresses. With
 * permessage-deflate negotiated (ws clients offer it; a server that enables it accepts), ws reads
 * the message on zlib's thread after send() returned and queues the next ones behind it as they
 * are: a buffer filled again right after send() went out as its new contents (the first torn,
 * half old, half new). Uncompressed, ws copies it into the frame itself. A supervisor's link and
 * the drop-in (Node) on real ws servers on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { ReconnectingWebSocket } from '../../src/entries/ws.js';
import { FAST, useHarness } from '../helpers/harness.js';
import type { WsTestServer } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';

const SIZE = 100_000;
const MESSAGES = 5;

/** What the server received, each as `length:first,last` (the sender filled each with 1s). */
function inbox(server: WsTestServer): string[] {
  const got: string[] = [];
  server.wss.on('connection', (ws: WebSocket) =>
    ws.on('message', (data: Buffer) => got.push(`${data.length}:${data[0]},${data[data.length - 1]}`)),
  );
  return got;
}

/** Sends MESSAGES buffers of 1s, each filled with 9s right after its send() returned. */
function sendAndReuse(send: (data: Uint8Array) => unknown): void {
  for (let n = 0; n < MESSAGES; n++) {
    const buffer = new Uint8Array(SIZE).fill(1);
    send(buffer);
    buffer.fill(9);
  }
}

const EXPECTED = Array.from({ length: MESSAGES }, () => `${SIZE}:1,1`);

describe('ws transport: a binary message is copied when the socket compresses', () => {
  const h = useHarness();

  for (const perMessageDeflate of [{ threshold: 0 }, false] as const) {
    const name = perMessageDeflate ? 'compressed' : 'uncompressed (the control)';

    it(`a supervisor's link, ${name}: the bytes as they were at send()`, async () => {
      const server = await h.wsServer({ perMessageDeflate });
      const got = inbox(server);
      const link = h.supervisor({ ...FAST, networkSignals: false }).connect(server.url);
      await link.ready();
      sendAndReuse((data) => expect(link.send(data)).toBe('sent'));
      await waitFor(() => got.length === MESSAGES, { message: `${MESSAGES} messages` });
      expect(got).toEqual(EXPECTED);
    });

    it(`the drop-in, ${name}: the bytes as they were at send()`, async () => {
      const server = await h.wsServer({ perMessageDeflate });
      const got = inbox(server);
      const rws = new ReconnectingWebSocket(server.url, undefined, { heartbeat: false });
      h.defer(async () => {
        rws.close();
        await rws.link?.ended();
      });
      await new Promise((resolve) => rws.addEventListener('open', resolve, { once: true }));
      expect(rws.extensions).toBe(perMessageDeflate ? 'permessage-deflate' : '');
      sendAndReuse((data) => expect(rws.send(data)).toBe(true));
      await waitFor(() => got.length === MESSAGES, { message: `${MESSAGES} messages` });
      expect(got).toEqual(EXPECTED);
    });
  }
});
