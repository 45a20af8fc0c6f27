/**
 * With `resume`, a binary message reported `dropped` (never acknowledged: the link closed, or the
 * session reset) is handed back as the type it was sent as — an ArrayBuffer, a DataView, an
 * Int16Array, a Buffer — with its bytes, as the queue hands back its own (a copy, never the
 * caller's object). Written straight to the session's socket, or queued before ready and flushed
 * into the session. Real `ws` server with `linkvisor/server`'s resumable sessions, acks held back.
 * Before round 37 (i37wire) every binary came back as a Uint8Array (the session's numbered copy):
 * an ArrayBuffer retried from a `dropped` listener, or a Buffer logged with String(), was another
 * value than the one sent. Both failed before.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { Link } from '../../src/index.js';
import { resumable } from '../../src/server/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const SLOW_ACKS = { ackDelayMs: 60_000, ackEveryMessages: 1_000 };

/** Each kind of payload with its bytes. */
function payloads(): [string, string | ArrayBuffer | ArrayBufferView][] {
  return [
    ['text', 'text'],
    ['ArrayBuffer', new Uint8Array([1, 2, 3]).buffer],
    ['DataView', new DataView(new Uint8Array([9, 4, 5, 6]).buffer, 1, 3)],
    ['Int16Array', new Int16Array([7, -8])],
    ['Buffer', Buffer.from('hi')],
    ['Uint8Array', new Uint8Array([10, 11])],
  ];
}

/** A dropped payload as its type's name and its bytes. */
function shape(data: unknown): string {
  if (typeof data === 'string') return `string ${data}`;
  const type = Buffer.isBuffer(data) ? 'Buffer' : Object.prototype.toString.call(data).slice(8, -1);
  const view = data as ArrayBufferView;
  const bytes =
    data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  return `${type} ${[...bytes].join(',')}`;
}

describe('resume: a dropped message comes back as the type it was sent as', () => {
  const h = useHarness();

  function watch(link: Link) {
    const dropped: string[] = [];
    link.on('dropped', ({ data, reason }) => dropped.push(`${shape(data)} ${reason}`));
    return dropped;
  }

  const expected = (reason: string) => payloads().map(([, data]) => `${shape(data)} ${reason}`);

  for (const when of ['straight to the socket', 'queued before ready'] as const) {
    it(`${when}, the link closed unacknowledged: dropped (closed), each of its own type`, async () => {
      const server = await h.wsServer();
      const rs = resumable(server.wss, SLOW_ACKS);
      h.defer(() => rs.close());
      let received = 0;
      rs.on('session', (session) => session.on('message', () => received++));
      const link = h.supervisor({ ...FAST }).connect(server.url, { resume: true });
      const dropped = watch(link);
      if (when === 'straight to the socket') await link.ready();
      const result = when === 'straight to the socket' ? 'sent' : 'queued';
      for (const [, data] of payloads()) expect(link.send(data)).toBe(result);
      await link.ready();
      await waitFor(() => received === payloads().length, { message: 'the server received them' });
      await link.close();
      expect(dropped).toEqual(expected('closed'));
    });
  }

  it('the session reset (the server lost it): dropped (reset), each of its own type', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss, SLOW_ACKS);
    let received = 0;
    rs.on('session', (session) => session.on('message', () => received++));
    const link = h.supervisor({ ...FAST }).connect(server.url, { resume: true });
    const dropped = watch(link);
    await link.ready();
    for (const [, data] of payloads()) link.send(data);
    await waitFor(() => received === payloads().length, { message: 'the server received them' });
    await rs.close();
    const again = resumable(server.wss, SLOW_ACKS);
    h.defer(() => again.close());
    for (const ws of server.wss.clients as Set<WebSocket>) ws.terminate();
    await waitFor(() => dropped.length === payloads().length, { message: 'reset reported' });
    expect(dropped).toEqual(expected('reset'));
  });
});
