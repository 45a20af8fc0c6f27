/**
 * A handshake's `session.next()` belongs to the handshake: once the handshake function has settled
 * (resolved or thrown), a `next()` still waiting rejects `LV_ERR_ABORTED` ("the handshake is
 * over") and a later call rejects at once, so a forgotten reader (a session kept past the handshake,
 * a `next()` not awaited) never takes a message meant for the application and never waits for
 * ever. Every message the server sends after the handshake's reply reaches `message` listeners, in
 * order. Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { HandshakeSession } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { writeOneRead } from './one-read.js';

/** What a `next()` the handshake left behind came to: a message (stolen) or an error code. */
function settledAs(pending: Promise<unknown>, out: string[]): void {
  pending.then(
    (data) => out.push(`message ${String(data)}`),
    (error: { code?: string; message?: string }) => out.push(`${error.code}: ${error.message}`),
  );
}

describe('a handshake session used after the handshake settled', () => {
  const h = useHarness();

  it('a next() still waiting when the handshake resolves rejects; the message goes to the application', async () => {
    let sendLater: () => void = () => {};
    const server = await h.wsServer({
      onConnection: (ws: WebSocket) =>
        ws.on('message', (data) => {
          if (String(data) !== 'hello') return;
          ws.send('welcome');
          sendLater = () => ws.send('m0');
        }),
    });
    const late: string[] = [];
    const handshake = async (session: HandshakeSession) => {
      session.send('hello');
      expect(String(await session.next())).toBe('welcome');
      settledAs(session.next(), late); // never awaited
    };
    const link = h.supervisor({ ...FAST, networkSignals: false }).connect(server.url, { handshake });
    const messages: string[] = [];
    link.on('message', (data) => messages.push(String(data)));
    await link.ready();
    await waitFor(() => late.length === 1, { message: 'the waiting next() settled' });
    expect(late).toEqual(['LV_ERR_ABORTED: the handshake is over']);
    sendLater();
    await waitFor(() => messages.length === 1, { message: 'm0 delivered' });
    expect(messages).toEqual(['m0']);
  });

  it('a session kept past the handshake: next() from a ready listener rejects at once; nothing held is taken', async () => {
    const server = await h.wsServer({
      onConnection: (ws: WebSocket) =>
        ws.on('message', (data) => String(data) === 'hello' && writeOneRead(ws, ['welcome', 'm0', 'm1'])),
    });
    let kept: HandshakeSession | null = null;
    const handshake = async (session: HandshakeSession) => {
      kept = session;
      session.send('hello');
      expect(String(await session.next())).toBe('welcome');
    };
    const link = h.supervisor({ ...FAST, networkSignals: false }).connect(server.url, { handshake });
    const late: string[] = [];
    const messages: string[] = [];
    link.on('ready', () => settledAs((kept as unknown as HandshakeSession).next(), late));
    link.on('message', (data) => messages.push(String(data)));
    await waitFor(() => messages.length === 2 && late.length === 1, { message: 'm0, m1 delivered' });
    await sleep(50);
    expect({ late, messages }).toEqual({
      late: ['LV_ERR_ABORTED: the handshake is over'],
      messages: ['m0', 'm1'],
    });
  });
});
