/**
 * The WHATWG surface of the drop-in class against a real ws server on loopback: constants,
 * readyState through a lifecycle, url / protocol / extensions, on* handlers and listeners,
 * binaryType, bufferedAmount, close(code, reason), option checking and the per-attempt providers.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket as ServerSocket } from 'ws';
import RwsDefault, { CloseEvent as ExportedCloseEvent } from '../../src/entries/ws.js';
import { ReconnectingWebSocket } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { dropIn, FAST, nextWsEvent, recordWs } from './helpers.js';

describe('drop-in: the WebSocket surface', () => {
  const h = useHarness();

  it('linkvisor/ws default-exports the class that linkvisor exports by name', () => {
    expect(RwsDefault).toBe(ReconnectingWebSocket);
    expect(ExportedCloseEvent.prototype).toBeInstanceOf(Event);
  });

  it('constants, and readyState / url / protocol / extensions through a lifecycle', async () => {
    const server = await h.wsServer();
    expect([
      ReconnectingWebSocket.CONNECTING,
      ReconnectingWebSocket.OPEN,
      ReconnectingWebSocket.CLOSING,
      ReconnectingWebSocket.CLOSED,
    ]).toEqual([0, 1, 2, 3]);

    const rws = dropIn(h, `${server.url}/feed`, ['chat.v2', 'chat.v1'], FAST);
    expect([rws.CONNECTING, rws.OPEN, rws.CLOSING, rws.CLOSED]).toEqual([0, 1, 2, 3]);
    expect(rws.readyState).toBe(ReconnectingWebSocket.CONNECTING);
    expect(rws).toBeInstanceOf(EventTarget);

    await nextWsEvent(rws, 'open');
    expect(rws.readyState).toBe(ReconnectingWebSocket.OPEN);
    expect(rws.url).toBe(`${server.url}/feed`);
    expect(rws.protocol).toBe('chat.v2'); // ws servers pick the first offered protocol
    expect(rws.extensions).toBe('');
    expect(rws.retryCount).toBe(0);

    const closed = nextWsEvent<CloseEvent>(rws, 'close');
    rws.close(4000, 'bye'); // the close event comes before close() returns (partysocket)
    expect(rws.readyState).toBe(ReconnectingWebSocket.CLOSED);
    const event = await closed;
    expect([event.code, event.reason, event.wasClean]).toEqual([4000, 'bye', true]);
    expect(rws.protocol).toBe('chat.v2'); // kept after close, as a WebSocket does
  });

  it('on* handlers run before listeners added with addEventListener; removeEventListener and dispatchEvent work', async () => {
    const server = await h.wsServer({ onConnection: (ws) => ws.send('hello') });
    const rws = dropIn(h, server.url, undefined, FAST);
    const order: string[] = [];
    const listener = (event: Event) => order.push(`listener:${event.type}`);
    rws.addEventListener('message', listener);
    rws.addEventListener('open', listener);
    rws.onopen = function (event) {
      expect(this).toBe(rws);
      expect(event.target).toBe(rws);
      order.push('onopen');
    };
    rws.onmessage = (event) => order.push(`onmessage:${event.data}`);

    await nextWsEvent(rws, 'message');
    expect(order).toEqual(['onopen', 'listener:open', 'onmessage:hello', 'listener:message']);

    rws.removeEventListener('message', listener);
    rws.onmessage = null;
    rws.dispatchEvent(new MessageEvent('message', { data: 'local' }));
    expect(order).toEqual(['onopen', 'listener:open', 'onmessage:hello', 'listener:message']);
    const seen = nextWsEvent<MessageEvent>(rws, 'message');
    expect(rws.dispatchEvent(new MessageEvent('message', { data: 'local' }))).toBe(true);
    expect((await seen).data).toBe('local');
  });

  it('binaryType: Blob by default, ArrayBuffer or Buffer on request; text stays a string', async () => {
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })),
    });
    const rws = dropIn(h, server.url, undefined, FAST);
    expect(rws.binaryType).toBe('blob');
    await nextWsEvent(rws, 'open');

    const echo = async (data: string | Uint8Array) => {
      const next = nextWsEvent<MessageEvent>(rws, 'message');
      rws.send(data);
      return (await next).data as unknown;
    };
    const blob = await echo(new Uint8Array([1, 2, 3]));
    expect(blob).toBeInstanceOf(Blob);
    expect([...new Uint8Array(await (blob as Blob).arrayBuffer())]).toEqual([1, 2, 3]);

    rws.binaryType = 'arraybuffer';
    const buffer = await echo(new Uint8Array([4, 5]));
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(buffer as ArrayBuffer)]).toEqual([4, 5]);

    rws.binaryType = 'nodebuffer';
    expect(Buffer.isBuffer(await echo(new Uint8Array([6])))).toBe(true);

    rws.binaryType = 'bogus' as never; // ignored, as browsers do
    expect(rws.binaryType).toBe('nodebuffer');
    expect(await echo('text')).toBe('text');
  });

  it("message events carry the origin of the socket's URL, as a WebSocket's (and theirs on one) do", async () => {
    const server = await h.wsServer({ onConnection: (ws) => ws.send('hi') });
    const rws = dropIn(h, `${server.url}/feed?x=1`, undefined, FAST);
    const seen: string[] = [];
    rws.onmessage = (event) => seen.push(`handler ${event.origin}`);
    const event = await nextWsEvent<MessageEvent>(rws, 'message');
    expect([event.origin, event.lastEventId, event.source, event.ports]).toEqual([server.url, '', null, []]);
    expect(seen).toEqual([`handler ${server.url}`]);
  });

  it('bufferedAmount counts what waits to be sent (UTF-8 bytes) and returns to 0 once flushed', async () => {
    const received: string[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('message', (d) => received.push(String(d))),
    });
    const rws = dropIn(h, server.url, undefined, { ...FAST, startClosed: true });
    expect(rws.bufferedAmount).toBe(0);
    rws.send('abc');
    rws.send('é'); // two bytes
    expect(rws.bufferedAmount).toBe(5);
    rws.reconnect();
    await nextWsEvent(rws, 'open');
    expect(rws.bufferedAmount).toBe(0);
    await waitFor(() => received.length === 2, { message: 'both messages arrived' });
    expect(received).toEqual(['abc', 'é']);
  });

  it('close(code, reason) reaches the server; an invalid code or reason throws as a WebSocket does and changes nothing', async () => {
    let serverSide: ServerSocket | undefined;
    const closes: [number, string][] = [];
    const server = await h.wsServer({
      onConnection: (ws) => {
        serverSide = ws;
        ws.on('close', (code, reason) => closes.push([code, String(reason)]));
      },
    });
    const rws = dropIn(h, server.url, undefined, FAST);
    await nextWsEvent(rws, 'open');

    // As a WebSocket throws them (WHATWG): InvalidAccessError for a code, SyntaxError for a reason.
    const thrown = (fn: () => void) => {
      try {
        fn();
      } catch (error) {
        return `${error instanceof DOMException} ${(error as Error).name}`;
      }
      return 'nothing';
    };
    expect(thrown(() => rws.close(1001))).toBe('true InvalidAccessError');
    expect(thrown(() => rws.close(Number.NaN))).toBe('true InvalidAccessError');
    expect(thrown(() => rws.close(1000, 'é'.repeat(62)))).toBe('true SyntaxError');
    expect(thrown(() => rws.reconnect(2000))).toBe('true InvalidAccessError');
    expect(thrown(() => rws.reconnect(undefined, 'x'.repeat(124)))).toBe('true SyntaxError');
    expect(rws.readyState).toBe(ReconnectingWebSocket.OPEN);

    // The code converted as a WebSocket converts it ([Clamp] unsigned short): 3000.6 is 3001.
    rws.close(3000.6, 'done here');
    await waitFor(() => closes.length === 1, { message: 'the server saw the close' });
    expect(closes).toEqual([[3001, 'done here']]);
    expect(serverSide).toBeDefined();
    rws.close(); // closing again does nothing
    expect(rws.readyState).toBe(ReconnectingWebSocket.CLOSED);
  });

  it('refuses unknown option names with a hint, bad values by name, and a bad URL at once', () => {
    const make =
      (...args: ConstructorParameters<typeof ReconnectingWebSocket>) =>
      () =>
        new ReconnectingWebSocket(...args);
    expect(make('ws://127.0.0.1:1', [], { minUptim: 3 } as never)).toThrow(/did you mean 'minUptime'/);
    // The names known are exactly the documented options (ReconnectingWebSocketOptions), each once.
    const known = [
      ...['WebSocket', 'maxReconnectionDelay', 'minReconnectionDelay', 'reconnectionDelayGrowFactor'],
      ...['minUptime', 'connectionTimeout', 'maxRetries', 'maxEnqueuedMessages', 'startClosed'],
      ...['shouldReconnectOnClose', 'debug', 'debugLogger', 'heartbeat', 'jitter', 'closeTimeoutMs'],
      ...['resolveTimeoutMs', 'shouldReconnect', 'inspect'],
    ];
    const listed = /; known: (.*)$/.exec(
      (() => {
        try {
          make('ws://127.0.0.1:1', [], { zzz: 1 } as never)();
        } catch (error) {
          return (error as Error).message;
        }
        return '';
      })(),
    )?.[1];
    expect(listed?.split(', ').sort()).toEqual([...known].sort());
    expect(make('ws://127.0.0.1:1', [], { minUptime: -1 })).toThrow(/minUptime/);
    expect(make('ws://127.0.0.1:1', [], { reconnectionDelayGrowFactor: 0.5 })).toThrow(
      /reconnectionDelayGrowFactor/,
    );
    expect(make('ws://127.0.0.1:1', [], { jitter: 'lots' as never })).toThrow(/jitter/);
    expect(make('ws://127.0.0.1:1', [], { WebSocket: class {} })).toThrow(/WebSocket constructor/);
    expect(make('ws://127.0.0.1:1', 42 as never)).toThrow(/protocols/);
    expect(make('not a url')).toThrow(expect.objectContaining({ code: 'LV_ERR_INVALID_URL' }));
    expect(make('ftp://127.0.0.1/')).toThrow(expect.objectContaining({ code: 'LV_ERR_INVALID_URL' }));
    expect(make(42 as never)).toThrow(expect.objectContaining({ code: 'LV_ERR_INVALID_URL' }));
    // The heartbeat option is passed on to the link: checked by the link's own rules, by name.
    expect(make('ws://127.0.0.1:1', [], { heartbeat: { intervalMs: 0 } })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'heartbeat.intervalMs' }),
    );
    expect(make('ws://127.0.0.1:1', [], { heartbeat: { mode: 'app' } })).toThrow(
      /heartbeat: mode 'app' needs/,
    );
    expect(make('ws://127.0.0.1:1', [], { heartbeat: { intervalMS: 5 } as never })).toThrow(
      /heartbeat\.intervalMS: unknown option \(did you mean 'intervalMs'\?\)/,
    );
    expect(make('ws://127.0.0.1:1', [], { heartbeat: 'on' as never })).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'heartbeat' }),
    );
  });

  it("protocols a WebSocket would refuse throw at once, naming the option; '' and a provider's '' mean none, as theirs", async () => {
    // Wrong types too (checked by the link's own subprotocol check, not a second one of the drop-in's).
    for (const protocols of [['chat', 'chat'], 'a b', [''], 5, 0, false, {}, [1], ['v1', null]]) {
      expect(() => new ReconnectingWebSocket('ws://127.0.0.1:1', protocols as never)).toThrow(
        expect.objectContaining({ code: 'LV_ERR_INVALID_OPTION', option: 'protocols' }),
      );
    }
    const seen: (string | undefined)[] = [];
    const server = await h.wsServer({
      onConnection: (_ws, request) => seen.push(request.headers['sec-websocket-protocol']),
    });
    for (const protocols of ['', () => '', async () => '']) {
      const rws = dropIn(h, server.url, protocols as never, FAST);
      await waitFor(() => rws.readyState === ReconnectingWebSocket.OPEN, { message: 'open' });
      rws.close();
    }
    expect(seen).toEqual([undefined, undefined, undefined]);
  });

  it('an http:// or https:// URL connects as ws:// or wss://, as a WebSocket (and theirs on ws) does', async () => {
    const server = await h.wsServer();
    const http = `${server.url.replace(/^ws:/, 'http:')}/feed`;
    const rws = dropIn(h, http, undefined, FAST);
    await nextWsEvent(rws, 'open');
    expect(rws.url).toBe(`${server.url}/feed`);
    const lazy = dropIn(h, () => new URL(http), undefined, FAST);
    await nextWsEvent(lazy, 'open');
    expect(lazy.url).toBe(`${server.url}/feed`);
  });

  it('async URL and protocols providers are called before every attempt', async () => {
    const seen: { url: string; protocol: string | undefined }[] = [];
    const server = await h.wsServer({
      onConnection: (ws, request) => {
        seen.push({ url: request.url ?? '', protocol: request.headers['sec-websocket-protocol'] });
        if (seen.length === 1) ws.close(4000, 'again');
      },
    });
    let n = 0;
    const rws = dropIn(
      h,
      async () => `${server.url}/?token=t${++n}`,
      async () => [`v${n}`],
      FAST,
    );
    const log = recordWs(rws);
    await waitFor(() => log.count('open') === 2, { message: 'open twice' });
    expect(seen).toEqual([
      { url: '/?token=t1', protocol: 'v1' },
      { url: '/?token=t2', protocol: 'v2' },
    ]);
    expect(rws.url).toBe(`${server.url}/?token=t2`);
    expect(rws.protocol).toBe('v2');
  });

  it('maps their options onto the policy: defaults, and given values', () => {
    const policyOf = (rws: ReconnectingWebSocket) => {
      const context = rws.link?.actor.getSnapshot().context;
      return {
        backoff: context?.policy.backoff,
        connectTimeoutMs: context?.policy.timeouts.connectTimeoutMs,
      };
    };
    const defaults = dropIn(h, 'ws://127.0.0.1:9/', undefined, { heartbeat: false });
    expect(policyOf(defaults)).toEqual({
      backoff: expect.objectContaining({
        initialDelayMs: 1_000,
        maxDelayMs: 10_000,
        multiplier: 1.3,
        jitter: 'equal',
        stableAfterMs: 5_000,
        maxAttempts: Number.MAX_SAFE_INTEGER, // unlimited
      }),
      connectTimeoutMs: 4_000,
    });
    const given = dropIn(h, 'ws://127.0.0.1:9/', undefined, {
      minReconnectionDelay: 200,
      maxReconnectionDelay: 3_000,
      reconnectionDelayGrowFactor: 2,
      minUptime: 1_000,
      connectionTimeout: 700,
      maxRetries: 4,
      jitter: 'full',
      heartbeat: false,
    });
    expect(policyOf(given)).toEqual({
      backoff: expect.objectContaining({
        initialDelayMs: 200,
        maxDelayMs: 3_000,
        multiplier: 2,
        jitter: 'full',
        stableAfterMs: 1_000,
        maxAttempts: 4,
      }),
      connectTimeoutMs: 700,
    });
    // A minimum above the maximum is capped, as theirs does, rather than refused.
    const capped = dropIn(h, 'ws://127.0.0.1:9/', undefined, {
      minReconnectionDelay: 20_000,
      heartbeat: false,
    });
    expect(policyOf(capped).backoff?.initialDelayMs).toBe(10_000);
  });

  it('debug: lifecycle and queue decisions go to debugLogger', async () => {
    const server = await h.wsServer();
    const lines: string[] = [];
    const rws = dropIn(h, server.url, undefined, {
      ...FAST,
      debug: true,
      debugLogger: (...args) => lines.push(args.join(' ')),
    });
    rws.send('early');
    await nextWsEvent(rws, 'open');
    expect(lines.find((line) => line.startsWith('RWS> connect '))).toMatch(/^RWS> connect link:ws-\d+$/);
    expect(lines).toEqual(
      expect.arrayContaining(['RWS> enqueued 1', 'RWS> open (flushed 1)', 'RWS> event open']),
    );
  });

  it('inspect: the link actors are inspectable', async () => {
    const server = await h.wsServer();
    const types = new Set<string>();
    const rws = dropIn(h, server.url, undefined, { ...FAST, inspect: (event) => types.add(event.type) });
    await nextWsEvent(rws, 'open');
    expect(types.has('@xstate.snapshot')).toBe(true);
    expect(rws.link?.state).toBe('ready');
  });
});
