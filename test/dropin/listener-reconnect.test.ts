/**
 * reconnect() called from the listeners of an attempt's end (docs/migration.md, closed-at-dispatch:
 * `readyState` is CLOSED in every `close` and `error` listener). From a `close` listener of a fatal
 * close (a token refreshed, then reconnect()): the socket connects again and no `failed` follows
 * (it was dispatched after the reconnect, in CONNECTING, with `shouldReconnect` true: an
 * application's "gave up" banner over a socket that was reconnecting). From an `error` listener: the
 * attempt's `close` comes first, in CLOSED, before the next attempt (it came after it, in
 * CONNECTING); no `reconnecting` or `failed` of the ended attempt follows.
 */
import { describe, expect, it } from 'vitest';
import type { ReconnectingWebSocket } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { dropIn, FAST } from './helpers.js';

/** Every event with the readyState and shouldReconnect its listener saw. */
function recordStates(rws: ReconnectingWebSocket): string[] {
  const lines: string[] = [];
  for (const type of ['open', 'close', 'error', 'reconnecting', 'failed']) {
    rws.addEventListener(type, (event: Event) => {
      const code = (event as { code?: number }).code;
      lines.push(
        `${type}${code ? `:${code}` : ''} readyState=${rws.readyState} shouldReconnect=${rws.shouldReconnect}`,
      );
    });
  }
  return lines;
}

/** Calls `reconnect()` from the first `error` event's listener only, then `after()`. */
function reconnectOnFirstError(rws: ReconnectingWebSocket, after: () => void = () => {}): void {
  let reconnected = false;
  rws.addEventListener('error', () => {
    if (reconnected) return;
    reconnected = true;
    rws.reconnect();
    after();
  });
}

describe('drop-in: reconnect() from an ending attempt’s listeners', () => {
  const h = useHarness();

  it('from a close listener of a fatal close: connects again, no failed', async () => {
    let n = 0;
    const server = await h.wsServer({ onConnection: (ws) => n++ === 0 && ws.close(1008, 'token expired') });
    const rws = dropIn(h, server.url, undefined, FAST);
    const lines = recordStates(rws);
    rws.addEventListener('close', (event) => {
      if (event.code === 1008) rws.reconnect();
    });
    await waitFor(() => server.connections === 2 && rws.readyState === rws.OPEN, { message: 'reconnected' });
    expect(lines).toEqual([
      'open readyState=1 shouldReconnect=true',
      'close:1008 readyState=3 shouldReconnect=false',
      'open readyState=1 shouldReconnect=true',
    ]);
  });

  it('from an error listener of a drop: the close first, in CLOSED, then the next attempt', async () => {
    let n = 0;
    const server = await h.wsServer({ onConnection: (ws) => n++ === 0 && ws.terminate() });
    // A long wait: the open below comes from reconnect(), not from a retry.
    const rws = dropIn(h, server.url, undefined, {
      ...FAST,
      minReconnectionDelay: 60_000,
      maxReconnectionDelay: 60_000,
    });
    const lines = recordStates(rws);
    reconnectOnFirstError(rws, () => lines.push(`after reconnect() readyState=${rws.readyState}`));
    await waitFor(() => server.connections === 2 && rws.readyState === rws.OPEN, { message: 'reconnected' });
    expect(lines).toEqual([
      'open readyState=1 shouldReconnect=true',
      'error readyState=3 shouldReconnect=true',
      'close:1006 readyState=3 shouldReconnect=true',
      'after reconnect() readyState=3', // CLOSED until the error's dispatch is over, as partysocket's
      'open readyState=1 shouldReconnect=true',
    ]);
  });

  // Every listener of one event sees the state it was dispatched in: a later `error` (or `close`)
  // listener saw CONNECTING when an earlier one had called reconnect(), though no socket of the
  // next attempt existed yet (partysocket shows CLOSED then: its next socket is made later).
  it.each([
    ['error', (ws: { terminate(): void }) => ws.terminate()],
    ['close', (ws: { close(code: number): void }) => ws.close(1008)],
  ] as const)('reconnect() in the first %s listener: the later ones still see CLOSED', async (type, end) => {
    let n = 0;
    const server = await h.wsServer({ onConnection: (ws) => n++ === 0 && end(ws) });
    const rws = dropIn(h, server.url, undefined, { ...FAST, minReconnectionDelay: 60_000 });
    const seen: number[] = [];
    let reconnected = false;
    rws.addEventListener(type, () => {
      seen.push(rws.readyState);
      if (!reconnected) rws.reconnect();
      reconnected = true;
      seen.push(rws.readyState);
    });
    rws.addEventListener(type, () => seen.push(rws.readyState));
    await waitFor(() => server.connections === 2 && rws.readyState === rws.OPEN, { message: 'reconnected' });
    expect(seen).toEqual([rws.CLOSED, rws.CLOSED, rws.CLOSED]);
  });

  it('from an error listener of the last attempt (maxRetries ran out): close, then connecting, no failed', async () => {
    const server = await h.wsServer();
    const url = server.url;
    await server.stop();
    const rws = dropIn(h, url, undefined, { ...FAST, maxRetries: 0 });
    const lines = recordStates(rws);
    reconnectOnFirstError(rws);
    await waitFor(() => lines.length >= 4, { message: 'the second attempt ended' });
    expect(lines.slice(0, 4)).toEqual([
      'error readyState=3 shouldReconnect=false', // it gave up; then reconnect() starts again
      'close:1006 readyState=3 shouldReconnect=true',
      // The second attempt (reconnect()'s) fails in turn, and gives up.
      'error readyState=3 shouldReconnect=false',
      'close:1006 readyState=3 shouldReconnect=false',
    ]);
    await waitFor(() => lines.length === 5, { message: 'failed' });
    expect(lines[4]).toBe('failed readyState=3 shouldReconnect=false');
  });

  it('close() from an error listener: the attempt’s close is still dispatched, once', async () => {
    const server = await h.wsServer({ onConnection: (ws) => ws.terminate() });
    const rws = dropIn(h, server.url, undefined, FAST);
    const lines = recordStates(rws);
    rws.addEventListener('error', () => rws.close());
    await waitFor(() => lines.length >= 3, { message: 'error and close' });
    await new Promise((resolve) => setTimeout(resolve, 3 * FAST.maxReconnectionDelay));
    expect(lines).toEqual([
      'open readyState=1 shouldReconnect=true',
      'error readyState=3 shouldReconnect=true',
      'close:1006 readyState=3 shouldReconnect=false',
    ]);
    expect(server.connections).toBe(1);
  });

  // close() in a listener of the attempt that ends the socket for good: the close event is the
  // last, as after close() anywhere (no `reconnecting` after a retried close either). `failed` came
  // after it, announcing a give-up over a socket the application had closed.
  it.each([
    ['a close listener of a fatal close', 'close', 'open,close:1008'],
    ['an error listener of the last attempt (maxRetries ran out)', 'error', 'error,close:1006'],
  ])('close() from %s: no failed after it', async (_what, type, expected) => {
    const server = await h.wsServer({ onConnection: (ws) => ws.close(1008, 'token expired') });
    if (type === 'error') await server.stop(); // refused: the only attempt (maxRetries 0) fails
    const rws = dropIn(h, server.url, undefined, { ...FAST, maxRetries: 0 });
    const lines: string[] = [];
    for (const name of ['open', 'close', 'error', 'reconnecting', 'failed'])
      rws.addEventListener(name, (event: Event) => {
        const code = (event as { code?: number }).code;
        lines.push(`${name}${code ? `:${code}` : ''}`);
      });
    rws.addEventListener(type, () => rws.close());
    await waitFor(() => lines.length >= 2, { message: 'the attempt ended' });
    await new Promise((resolve) => setTimeout(resolve, 3 * FAST.maxReconnectionDelay));
    expect(lines.join(',')).toBe(expected);
    expect(rws.readyState).toBe(rws.CLOSED);
    expect(rws.shouldReconnect).toBe(false);
  });
});
