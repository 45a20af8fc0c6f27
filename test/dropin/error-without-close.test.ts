/**
 * A socket that fires `error` and never `close` (a non-conforming WebSocket polyfill, passed as the
 * drop-in's `WebSocket` option) used to leave the open link hanging forever (the drop-in's heartbeat
 * is off by default). A conforming WebSocket follows `error` with `close`; the link now waits
 * ERROR_CLOSE_GRACE_MS for it (the connection chart's `errorCloseGrace`), then ends the socket
 * itself: the attempt ends as an abnormal close (1006, the reason naming that no close came), and
 * the link reconnects as after any drop. The drop-in's `error` event fires when the socket errs (as a
 * WebSocket's), not after the grace (it did before). The polyfill is ws's own class, hiding every `close` after
 * an `error`; the error is real: a real ws server on 127.0.0.1 writes a frame with RSV1 set, which
 * ws rejects (it fires `error`, then would fire `close`).
 */
import { describe, expect, it } from 'vitest';
import { WebSocket as WS } from 'ws';
import { ERROR_CLOSE_GRACE_MS } from '../../machines/policy/timeouts.js';
import type { Reason } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { dropIn, FAST, recordWs } from './helpers.js';

/** ws's class, except that no `close` listener hears of a close after an `error`. */
class ErrsWithoutClose extends WS {
  private errored = false;
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols);
    const add = this.addEventListener.bind(this) as (type: string, listener: (event: never) => void) => void;
    add('error', () => {
      this.errored = true;
    });
    (this as { addEventListener: unknown }).addEventListener = (
      type: string,
      listener: (event: never) => void,
    ) => {
      if (type !== 'close') add(type, listener);
      else
        add('close', (event: never) => {
          if (!this.errored) listener(event);
        });
    };
  }
}

/** A frame the client must reject: FIN, RSV1 (no extension negotiated), text, empty. */
const BAD_FRAME = Buffer.from([0xc1, 0x00]);

describe('drop-in: a socket that errs and never closes', () => {
  const h = useHarness();

  it('is ended by the link after the grace: close 1006 naming it, then a new socket', async () => {
    let connections = 0;
    const server = await h.wsServer({
      onConnection: (ws) => {
        if (++connections === 1)
          (ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(BAD_FRAME);
      },
    });
    const started = Date.now();
    const rws = dropIn(h, server.url, undefined, { ...FAST, WebSocket: ErrsWithoutClose });
    const log = recordWs(rws);
    // A WebSocket dispatches `error` when its socket errs (WHATWG), not when the close comes: the
    // user's onerror fires at once, in CLOSED; the close follows after the grace.
    const seen: Record<string, number> = {};
    let stateInError = -1;
    rws.addEventListener('error', () => {
      seen.error ??= Date.now();
      stateInError = rws.readyState;
    });
    rws.addEventListener('close', () => {
      seen.close ??= Date.now();
    });
    await waitFor(() => log.count('open') === 2, {
      timeoutMs: ERROR_CLOSE_GRACE_MS + 10_000,
      message: `a second open (lines: ${log.lines.join(' ')})`,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(ERROR_CLOSE_GRACE_MS - 50);
    expect((seen.close ?? 0) - (seen.error ?? Number.POSITIVE_INFINITY)).toBeGreaterThanOrEqual(
      ERROR_CLOSE_GRACE_MS - 50,
    );
    expect(stateInError).toBe(rws.CLOSED);
    const close = log.of('close')[0] as Event & { code?: number; reason?: string; detail?: Reason };
    expect(log.lines.slice(0, 5)).toEqual(['open', 'error:error', 'close:1006', 'reconnecting:1', 'open']);
    expect(close.code).toBe(1006);
    expect(String(close.reason) + JSON.stringify(rws.link?.status())).toMatch(/no close event/);
    expect(connections).toBe(2);
  }, 30_000);

  it('close() in the early error listener dispatches its close event, once, and nothing follows', async () => {
    const server = await h.wsServer({
      onConnection: (ws) =>
        (ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(BAD_FRAME),
    });
    const rws = dropIn(h, server.url, undefined, { ...FAST, WebSocket: ErrsWithoutClose });
    const log = recordWs(rws);
    rws.addEventListener('error', () => rws.close(4000, 'bye'));
    await waitFor(() => log.count('close') === 1, { timeoutMs: 5_000, message: 'the close event' });
    expect(log.lines).toEqual(['open', 'error:error', 'close:4000']);
    expect(rws.readyState).toBe(rws.CLOSED);
    await new Promise((resolve) => setTimeout(resolve, ERROR_CLOSE_GRACE_MS + 500));
    expect(log.lines).toEqual(['open', 'error:error', 'close:4000']);
  }, 30_000);
});
