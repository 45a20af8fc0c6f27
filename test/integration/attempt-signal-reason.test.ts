/**
 * The signal an attempt gives the user's `url` function and `handshake` says why it aborted: its
 * `reason` is a LinkvisorError LV_ERR_ABORTED whose message names the cause (the link closed, the
 * attempt timed out, a newer attempt superseded it, the socket closed, resolving the connection
 * details failed), as fetch-style code reads
 * it (`signal.throwIfAborted()`, `signal.reason`); never the bare DOMException AbortError, and no
 * secret of the link in it. Real ws servers on 127.0.0.1 port 0; nothing left open (the harness).
 */
import { describe, expect, it } from 'vitest';
import type { AttemptInfo, HandshakeSession } from '../../src/index.js';
import { LinkvisorError } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'tok-abort-9f3';

/** Waits until `signal` aborts; resolves with what `throwIfAborted()` throws (its reason). */
function abortedReason(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => {
    signal.addEventListener('abort', () => {
      try {
        signal.throwIfAborted();
        resolve(new Error('throwIfAborted() did not throw'));
      } catch (thrown) {
        resolve(thrown);
      }
    });
  });
}

function expectReason(thrown: unknown, why: string, attempt: number): void {
  expect(thrown).toBeInstanceOf(LinkvisorError);
  const error = thrown as LinkvisorError;
  expect(error.code).toBe('LV_ERR_ABORTED');
  expect(error.message).toBe(`attempt ${attempt} aborted: ${why}`);
  expect(error.message).not.toContain(SECRET);
}

describe('integration: an attempt signal aborts with a reason saying why', () => {
  const h = useHarness();

  /** A url function whose first `pending` calls await their signal; later ones answer `url`. */
  function awaitingUrl(url: string, pending = 1) {
    const reasons: Promise<unknown>[] = [];
    const fn = async ({ signal }: AttemptInfo) => {
      if (reasons.length >= pending) return `${url}/?token=${SECRET}`;
      const reason = abortedReason(signal);
      reasons.push(reason);
      await reason;
      return `${url}/?token=${SECRET}`;
    };
    return { fn, reasons };
  }

  it('close() while the url function awaits: "the link closed"', async () => {
    const server = await h.wsServer();
    const url = awaitingUrl(server.url);
    const link = h.supervisor(FAST).connect(url.fn);
    await waitFor(() => url.reasons.length === 1, { message: 'the url function called' });
    await link.close();
    expectReason(await url.reasons[0], 'the link closed', 0);
  });

  it('resolveTimeoutMs runs out: "the attempt timed out"; the next attempt connects', async () => {
    const server = await h.wsServer();
    const url = awaitingUrl(server.url);
    const link = h.supervisor(FAST).connect(url.fn, { resolveTimeoutMs: 50 });
    await waitFor(() => url.reasons.length === 1, { message: 'the url function called' });
    expectReason(await url.reasons[0], 'the attempt timed out', 0);
    await waitFor(() => link.state === 'ready', { message: 'the retry connects' });
  });

  it('a forced reconnect (link.reconnect): "a newer attempt superseded it"', async () => {
    const server = await h.wsServer();
    const url = awaitingUrl(server.url);
    const link = h.supervisor(FAST).connect(url.fn);
    await waitFor(() => url.reasons.length === 1, { message: 'the url function called' });
    link.actor.send({ type: 'link.reconnect' });
    expectReason(await url.reasons[0], 'a newer attempt superseded it', 0);
    await waitFor(() => link.state === 'ready', { message: 'the newer attempt connects' });
  });

  it('the url function rejects while a headers function awaits: "resolving the connection details failed"', async () => {
    const server = await h.wsServer();
    const headerReasons: Promise<unknown>[] = [];
    let urlCalls = 0;
    const link = h.supervisor(FAST).connect(
      async () => {
        // The first attempt's url function rejects once the headers function awaits its signal.
        if (urlCalls++ > 0) return server.url;
        await waitFor(() => headerReasons.length === 1, { message: 'the headers function called' });
        throw new Error(`token endpoint down (${SECRET})`);
      },
      {
        headers: async ({ signal }: AttemptInfo) => {
          if (headerReasons.length > 0) return {};
          const reason = abortedReason(signal);
          headerReasons.push(reason);
          await reason;
          return {};
        },
      },
    );
    await waitFor(() => headerReasons.length === 1, { message: 'the headers function called' });
    expectReason(await headerReasons[0], 'resolving the connection details failed', 0);
    await waitFor(() => link.state === 'ready', { message: 'the retry connects' });
  });

  it('a signal asked for after the attempt ended is aborted already, with the reason', async () => {
    const server = await h.wsServer();
    let info: AttemptInfo | null = null;
    let release: (url: string) => void = () => {};
    const link = h.supervisor(FAST).connect(
      (attemptInfo) =>
        new Promise<string>((resolve) => {
          info = attemptInfo;
          release = resolve;
        }),
    );
    await waitFor(() => info !== null, { message: 'the url function called' });
    await link.close();
    // `signal` is a getter made lazily: read only now, after the attempt ended.
    const signal = (info as unknown as AttemptInfo).signal;
    expect(signal.aborted).toBe(true);
    expectReason(signal.reason, 'the link closed', 0);
    release(server.url);
  });

  describe('the handshake signal', () => {
    /** A handshake that awaits its signal (the server never answers). */
    function awaitingHandshake() {
      const reasons: Promise<unknown>[] = [];
      const handshake = async ({ signal }: HandshakeSession) => {
        const reason = abortedReason(signal);
        reasons.push(reason);
        await reason;
        throw new Error('aborted');
      };
      return { handshake, reasons };
    }

    it('close() mid-handshake: "the link closed"', async () => {
      const server = await h.wsServer();
      const hs = awaitingHandshake();
      const link = h.supervisor(FAST).connect(`${server.url}/?token=${SECRET}`, { handshake: hs.handshake });
      await waitFor(() => hs.reasons.length === 1, { message: 'the handshake started' });
      await link.close();
      expectReason(await hs.reasons[0], 'the link closed', 0);
    });

    it('handshakeTimeoutMs runs out: "the attempt timed out"', async () => {
      const server = await h.wsServer();
      const hs = awaitingHandshake();
      h.supervisor(FAST).connect(server.url, { handshake: hs.handshake, handshakeTimeoutMs: 50 });
      await waitFor(() => hs.reasons.length === 1, { message: 'the handshake started' });
      expectReason(await hs.reasons[0], 'the attempt timed out', 0);
    });

    it('the server drops the socket mid-handshake: "the socket closed"', async () => {
      const server = await h.wsServer({ onConnection: (ws) => setTimeout(() => ws.terminate(), 20) });
      const hs = awaitingHandshake();
      h.supervisor(FAST).connect(server.url, { handshake: hs.handshake });
      await waitFor(() => hs.reasons.length === 1, { message: 'the handshake started' });
      expectReason(await hs.reasons[0], 'the socket closed', 0);
    });
  });
});
