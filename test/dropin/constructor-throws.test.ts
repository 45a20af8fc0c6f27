/**
 * What a WebSocket constructor throws, as the link sees it (src/transports/constructor-failure.ts).
 * It all used to be ERR_INVALID_URL, fatal. Now: a `SyntaxError` is fatal and names `url` or
 * `protocols`; a `SecurityError` is fatal, error code `LV_ERR_BLOCKED_URL`, not an invalid URL; anything
 * else a user class throws (a transient resource error) is retried, reported with its own code or
 * LV_ERR_TRANSPORT. The token a thrown message quotes reaches no event, status or log. The
 * constructors are ws's own class (a subclass, so the generic adapter runs) against a real ws
 * server on 127.0.0.1; `ws` itself throws the SyntaxError of a URL with a fragment.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WebSocket as WS } from 'ws';
import type { Reason } from '../../src/index.js';
import { FAST as LINK_FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { dropIn, FAST, recordWs } from './helpers.js';

const TOKEN = 'tok3nSecretZZ9';

/** A ws subclass (the generic adapter, not the ws transport) that throws `error(url, protocols)`
 * for the first `times` attempts (all of them by default), then connects. */
function throwingClass(error: (url: string, protocols?: string | string[]) => unknown, times = Infinity) {
  let calls = 0;
  return class ThrowingWebSocket extends WS {
    constructor(url: string, protocols?: string | string[]) {
      if (calls++ < times) throw error(url, protocols);
      super(url, protocols);
    }
  };
}

/** Every text the drop-in showed: each event's detail, its status and the debug log. */
function shown(events: readonly Event[], extra: unknown[] = []): string {
  return JSON.stringify([...events.map((e) => (e as Event & { detail?: Reason }).detail), ...extra]);
}

describe('drop-in: what a WebSocket constructor throws', () => {
  const h = useHarness();

  it('a URL with a fragment: no fragment reaches the class (ws throws for one), the link opens; shown redacted', async () => {
    const paths: string[] = [];
    const server = await h.wsServer({ onConnection: (_ws, request) => paths.push(String(request.url)) });
    const rws = dropIn(h, `${server.url}/feed?token=${TOKEN}#frag=${TOKEN}`, undefined, {
      ...FAST,
      WebSocket: class extends WS {},
    });
    const log = recordWs(rws);
    await waitFor(() => log.count('open') === 1, { message: 'open' });
    expect(log.count('error')).toBe(0);
    expect(paths).toEqual([`/feed?token=${TOKEN}`]);
    expect(rws.link?.status().url).toMatch(/#frag=\[redacted\]$/);
    expect(shown(log.events, [rws.link?.status()])).not.toContain(TOKEN);
  });

  it.each([
    [
      'a JSON.parse in it, subprotocols given',
      ['v1'],
      () => new SyntaxError('Unexpected token < in JSON at position 0'),
    ],
    ['its own SyntaxError, no subprotocols', undefined, () => new SyntaxError('config: expected a number')],
  ])(
    'a SyntaxError of a user class of its own (%s): retried, LV_ERR_TRANSPORT, then open',
    async (_what, protocols, make) => {
      const server = await h.wsServer();
      const rws = dropIn(h, server.url, protocols, { ...FAST, WebSocket: throwingClass(make, 1) });
      const log = recordWs(rws);
      await waitFor(() => log.count('open') === 1, { message: 'open after the retry' });
      expect(log.lines.slice(0, 4)).toEqual(['error:error', 'close:1006', 'reconnecting:1', 'open']);
      expect(log.of('error')[0]?.detail).toMatchObject({ kind: 'error', errorCode: 'LV_ERR_TRANSPORT' });
      expect(log.of('error')[0]?.detail?.message).toMatch(
        /^thrown by the WebSocket constructor \(SyntaxError: /,
      );
    },
  );

  it.each([
    [
      "Firefox's (generic), subprotocols given",
      ['v1'],
      'An invalid or illegal string was specified',
      'protocols',
    ],
    [
      "Safari's (generic), no subprotocols",
      undefined,
      'The string did not match the expected pattern.',
      'url',
    ],
    ["Chrome's URL text", undefined, "Failed to construct 'WebSocket': The URL 'x' is invalid.", 'url'],
    [
      "Chrome's subprotocol text",
      ['v1'],
      "Failed to construct 'WebSocket': The subprotocol 'v1' is duplicated.",
      'protocols',
    ],
    ["undici's", ['v1'], 'Invalid Sec-WebSocket-Protocol value', 'protocols'],
  ])(
    'a DOMException SyntaxError, %s: failed, naming the one it is about',
    async (_what, protocols, text, about) => {
      const server = await h.wsServer();
      const Refusing = throwingClass(() => new DOMException(text, 'SyntaxError'));
      const rws = dropIn(h, server.url, protocols, { ...FAST, WebSocket: Refusing });
      const log = recordWs(rws);
      await waitFor(() => log.count('failed') === 1, { message: 'failed' });
      const failure = log.of('failed')[0]?.detail;
      expect(failure?.errorCode).toBe(about === 'url' ? 'LV_ERR_INVALID_URL' : 'LV_ERR_INVALID_OPTION');
      expect(failure?.message.startsWith(`${about}: refused by`)).toBe(true);
      expect(log.count('reconnecting')).toBe(0);
    },
  );

  it('an error whose name quotes the URL: its token redacted', async () => {
    const server = await h.wsServer();
    const Named = throwingClass(
      (url) => Object.assign(new Error('no sockets left'), { name: `SocketError(${url})` }),
      1,
    );
    const rws = dropIn(h, `${server.url}/?token=${TOKEN}`, undefined, { ...FAST, WebSocket: Named });
    const log = recordWs(rws);
    await waitFor(() => log.count('open') === 1, { message: 'open after the retry' });
    expect(log.of('error')[0]?.detail?.message).toMatch(
      /^thrown by the WebSocket constructor \(SocketError\(/,
    );
    expect(shown(log.events)).not.toContain(TOKEN);
  });

  it('SyntaxError for the subprotocols: failed, naming protocols (not the URL)', async () => {
    const server = await h.wsServer();
    const Refusing = throwingClass(
      (_url, protocols) =>
        new DOMException(`The subprotocol '${String(protocols)}' is invalid.`, 'SyntaxError'),
    );
    const rws = dropIn(h, server.url, ['v1', 'v2'], { ...FAST, WebSocket: Refusing });
    const log = recordWs(rws);
    await waitFor(() => log.count('failed') === 1, { message: 'failed' });
    const failure = log.of('failed')[0]?.detail;
    expect(failure).toMatchObject({ kind: 'invalid', errorCode: 'LV_ERR_INVALID_OPTION' });
    expect(failure?.message).toMatch(/^protocols: refused by the WebSocket constructor \(SyntaxError: /);
    expect(log.count('reconnecting')).toBe(0);
  });

  it('SecurityError (ws: from an https: page): failed, LV_ERR_BLOCKED_URL (not an invalid URL), its token redacted', async () => {
    const server = await h.wsServer();
    const Blocked = throwingClass(
      (url) =>
        new DOMException(
          `Failed to construct 'WebSocket': An insecure WebSocket connection may not be initiated from a page loaded over HTTPS (${url}).`,
          'SecurityError',
        ),
    );
    const lines: unknown[] = [];
    const rws = dropIn(h, `${server.url}/?token=${TOKEN}`, undefined, {
      ...FAST,
      WebSocket: Blocked,
      debug: true,
      debugLogger: (...args) => lines.push(args),
    });
    const log = recordWs(rws);
    await waitFor(() => log.count('failed') === 1, { message: 'failed' });
    const failure = log.of('failed')[0]?.detail;
    // A code of the library's own, documented (it was the DOMException's name, 'SecurityError':
    // neither a system error code nor an LV_ERR_* one, as Reason.errorCode promises).
    expect(failure).toMatchObject({ kind: 'invalid', errorCode: 'LV_ERR_BLOCKED_URL' });
    expect(readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')).toMatch(
      /^\| `LV_ERR_BLOCKED_URL` \| .*SecurityError/m,
    );
    expect(failure?.message).toMatch(
      /^url: refused by the WebSocket constructor \(SecurityError: .*insecure/,
    );
    expect(failure?.message).not.toMatch(/invalid url/i);
    expect(log.count('reconnecting')).toBe(0);
    const status = rws.link?.status();
    expect(shown(log.events, [status, lines])).not.toContain(TOKEN);
  });

  // A SecurityError's text may quote the URL as the platform serialized it (percent-encoded, the
  // host lower-cased) or the token as given: no form of the token reaches the failure.
  it.each([
    ['a space and é', 'tok3n Sécret'],
    ["a quote, a plus, a slash and '='", "ab'c+d/e=="],
    ['percent-escapes', 'x%2By%2Fz-99'],
  ])('SecurityError quoting a URL whose token has %s: no form of it shown', async (_what, token) => {
    const server = await h.wsServer();
    const url = `${server.url}/feed?room=1&token=${encodeURIComponent(token)}`;
    const href = new URL(url).href;
    const Blocked = throwingClass(
      (given) =>
        new DOMException(
          `The URL '${href}' (${given}, ${decodeURIComponent(href)}, token=${token}, ${JSON.stringify(token)}) is blocked.`,
          'SecurityError',
        ),
    );
    const rws = dropIn(h, url, undefined, { ...FAST, WebSocket: Blocked });
    const log = recordWs(rws);
    await waitFor(() => log.count('failed') === 1, { message: 'failed' });
    const text = shown(log.events, [rws.link?.status()]);
    expect(log.of('failed')[0]?.detail).toMatchObject({ kind: 'invalid', errorCode: 'LV_ERR_BLOCKED_URL' });
    for (const form of [token, encodeURIComponent(token), JSON.stringify(token).slice(1, -1)])
      expect(text).not.toContain(form);
  });

  it('a transient error of a user class is retried and reported, then the link opens; no token anywhere', async () => {
    const server = await h.wsServer();
    const Flaky = throwingClass(
      (url) => Object.assign(new Error(`EMFILE: too many open files, opening ${url}`), { code: 'EMFILE' }),
      1,
    );
    const rws = dropIn(h, `${server.url}/?token=${TOKEN}`, undefined, { ...FAST, WebSocket: Flaky });
    const log = recordWs(rws);
    await waitFor(() => log.count('open') === 1, { message: 'open after the retry' });
    expect(log.lines.slice(0, 4)).toEqual(['error:error', 'close:1006', 'reconnecting:1', 'open']);
    expect(log.of('error')[0]?.detail).toMatchObject({ kind: 'error', errorCode: 'EMFILE' });
    expect(log.of('error')[0]?.detail?.message).toMatch(
      /^thrown by the WebSocket constructor \(Error: EMFILE/,
    );
    expect(log.count('failed')).toBe(0);
    expect(shown(log.events, [rws.link?.status()])).not.toContain(TOKEN);
  });

  it('anything else thrown (a string, an object whose message getter throws): LV_ERR_TRANSPORT, retried', async () => {
    const server = await h.wsServer();
    const hostile = {
      get message(): string {
        throw new Error('no');
      },
      toString: () => `odd ${server.url}/?token=${TOKEN}`,
    };
    let n = 0;
    const Odd = throwingClass(
      () => (n++ === 0 ? `out of sockets: ${server.url}/?token=${TOKEN}` : hostile),
      2,
    );
    const rws = dropIn(h, `${server.url}/?token=${TOKEN}`, undefined, { ...FAST, WebSocket: Odd });
    const log = recordWs(rws);
    await waitFor(() => log.count('open') === 1, { message: 'open after two retries' });
    const errors = log.of('error').map((e) => e.detail);
    expect(errors).toHaveLength(2);
    for (const detail of errors)
      expect(detail).toMatchObject({ kind: 'error', errorCode: 'LV_ERR_TRANSPORT' });
    expect(shown(log.events)).not.toContain(TOKEN);
  });
});

describe('supervisor on the ws transport: a URL with a fragment', () => {
  const h = useHarness();

  it('connects without it (ws throws for one; it failed the link, and was retried for ever before that)', async () => {
    const paths: string[] = [];
    const server = await h.wsServer({ onConnection: (_ws, request) => paths.push(String(request.url)) });
    const supervisor = h.supervisor(LINK_FAST);
    const link = supervisor.connect(`${server.url}/a?b=1#frag`);
    await link.ready();
    expect(paths).toEqual(['/a?b=1']);
    expect(link.status().url).toMatch(/#\[redacted\]$/);
  });
});

describe('a WebSocket constructor that throws at every call', () => {
  const h = useHarness();

  it('is bounded by maxRetries, with backoff between calls, one error per attempt; then failed', async () => {
    const server = await h.wsServer();
    const calls: number[] = [];
    const Broken = throwingClass(() => {
      calls.push(performance.now());
      return Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
    });
    const rws = dropIn(h, server.url, undefined, { ...FAST, maxRetries: 3, WebSocket: Broken });
    const log = recordWs(rws);
    await waitFor(() => log.count('failed') === 1, { message: 'failed' });
    expect(calls).toHaveLength(4); // the first attempt and 3 retries
    expect(log.count('error')).toBe(4);
    expect(log.of('failed')[0]?.detail).toMatchObject({ kind: 'gave-up' });
    // Backoff (20, 40, 80 ms, no jitter), not a tight loop: each gap at least most of its delay.
    const gaps = calls.slice(1).map((t, i) => t - (calls[i] as number));
    for (const [i, gap] of gaps.entries()) expect(gap).toBeGreaterThanOrEqual(20 * 2 ** i - 5);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toHaveLength(4);
    expect(server.connections).toBe(0);
  });

  it('close() while it backs off: no further call', async () => {
    const server = await h.wsServer();
    let calls = 0;
    const Broken = throwingClass(() => {
      calls++;
      return new Error('no');
    });
    const rws = dropIn(h, server.url, undefined, { ...FAST, minReconnectionDelay: 100, WebSocket: Broken });
    const log = recordWs(rws);
    await waitFor(() => log.count('reconnecting') === 1, { message: 'reconnecting' });
    rws.close();
    await rws.link?.ended();
    const after = calls;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(calls).toBe(after);
    expect(rws.readyState).toBe(3);
  });
});
