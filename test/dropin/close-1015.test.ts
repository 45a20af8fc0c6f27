/**
 * Close codes no close frame carries (RFC 6455 §7.4.1: 1005, 1006 and 1015 are never sent): what
 * the drop-in shows for them, as a WebSocket does. 1015 (the TLS handshake failed: a browser
 * reports it as a close event with that code) is an `error` then a `close` with `wasClean: false`,
 * as 1006 is; it was a clean close with no `error`, as if the peer had sent it. Then a retry, as
 * for 1006 (Chromium's code for the same failure): it was `failed` (1015 fatal in the close table). The class is a
 * `ws` subclass (the generic adapter) that reports its refused connection (a real ws server
 * stopped on 127.0.0.1) the way a browser reports a failed TLS handshake.
 */
import { describe, expect, it } from 'vitest';
import { WebSocket as WS } from 'ws';
import type { CloseEvent } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { dropIn, FAST, recordWs } from './helpers.js';

/** ws's socket whose failed connection closes with `code` instead of 1006. */
function closingWith(code: number) {
  return class BrowserLike extends WS {
    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'close' && args[0] === 1006) return super.emit('close', code, ...args.slice(1));
      return super.emit(event, ...args);
    }
  };
}

describe('drop-in: close codes no frame carries', () => {
  const h = useHarness();

  /** A drop-in whose every socket closes with `code` before opening (no server listens), its events recorded. */
  async function closedWith(code: number) {
    const server = await h.wsServer();
    const url = server.url;
    await server.stop();
    return recordWs(dropIn(h, url, undefined, { ...FAST, WebSocket: closingWith(code) }));
  }

  it('1015 (TLS handshake failed): error, then close 1015 not clean, then a retry (a certificate mid-renewal)', async () => {
    const log = await closedWith(1015);
    await waitFor(() => log.count('reconnecting') >= 1, { message: 'a retry' });
    // The error is dispatched when the socket errs (as a WebSocket's), before its close is known:
    // its detail is the error's (ECONNREFUSED here), the close's is 1015.
    expect(log.lines.slice(0, 3)).toEqual(['error:error', 'close:1015', 'reconnecting:1']);
    expect(log.count('failed')).toBe(0);
    const close = log.of('close')[0] as CloseEvent;
    expect(close.wasClean).toBe(false);
    expect(close.detail).toMatchObject({ kind: 'close', code: 1015 });
  });

  it('1006 as the control: error, close 1006 not clean, then a retry', async () => {
    const log = await closedWith(1006);
    await waitFor(() => log.count('reconnecting') >= 1, { message: 'a retry' });
    expect(log.lines.slice(0, 3)).toEqual(['error:error', 'close:1006', 'reconnecting:1']);
    expect((log.of('close')[0] as CloseEvent).wasClean).toBe(false);
  });
});
