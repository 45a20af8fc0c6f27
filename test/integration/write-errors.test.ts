/**
 * No user-supplied value or callback can kill a link or leak its socket (issue 10, defects 1, 5,
 * 7, 8). One test per site where a value of the application reaches a socket or the link's actor:
 * `send()` (straight and queued), the queue's flush, the app heartbeat's ping() and isPong(), the
 * handshake and its session.send(), the per-attempt url/protocols/headers/wsOptions functions,
 * listeners, a custom transport, links spawned by an application machine. Real `ws` servers on
 * loopback; each test checks that the link's actor never errors and that nothing stays open.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createActor, setup, spawnChild } from 'xstate';
import {
  defineLink,
  type Link,
  type LinkvisorError,
  type Supervisor,
  type Transport,
  type TransportConnection,
  wsTransport,
} from '../../src/index.js';
import { recordEvents } from '../helpers/events.js';
import { FAST, type Harness, useHarness } from '../helpers/harness.js';
import type { WsTestServer } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';

/** Every message a server received, text as strings, binary as arrays of bytes. */
function inbox(server: WsTestServer): { messages: unknown[]; sockets: WebSocket[] } {
  const messages: unknown[] = [];
  const sockets: WebSocket[] = [];
  server.wss.on('connection', (ws) => {
    sockets.push(ws);
    ws.on('message', (data: Buffer, isBinary) => messages.push(isBinary ? [...data] : data.toString()));
  });
  return { messages, sockets };
}

/** An ArrayBuffer holding `bytes`. */
function bufferOf(bytes: number[]): ArrayBuffer {
  return new Uint8Array(bytes).buffer;
}

/** Detaches `buffer` (as a transfer to a worker, or WASM memory growth, would). */
function detach(buffer: ArrayBuffer): void {
  structuredClone(buffer, { transfer: [buffer] });
}

/** Fails the test if the link's actor ever errors (the defect: `state` said ready meanwhile). */
function watchActor(link: Link): { errors: unknown[] } {
  const errors: unknown[] = [];
  link.actor.subscribe({ error: (error) => errors.push(error) });
  return { errors };
}

/** Waits until the server holds no socket (bounded: a leaked socket fails the test). */
async function serverEmpty(server: WsTestServer): Promise<void> {
  await waitFor(() => server.clients.size === 0, { message: 'the server holds no socket', timeoutMs: 5_000 });
}

/** A ws server recording what it receives, and a link to it waiting for connect(). */
async function idleLink(h: Harness) {
  const server = await h.wsServer();
  const { messages } = inbox(server);
  const supervisor = h.supervisor(FAST);
  const link = supervisor.connect(server.url, { autoConnect: false });
  return { server, messages, supervisor, link, actor: watchActor(link) };
}

/** The end of every test: the actor never errored; close() leaves nothing on the server. */
async function endsClean(supervisor: Supervisor, server: WsTestServer, actor: { errors: unknown[] }) {
  expect(actor.errors).toEqual([]);
  await supervisor.close();
  await serverEmpty(server);
}

describe('write errors never kill a link', () => {
  const h = useHarness();

  it('a buffer queued while down and detached before the flush is sent as it was queued; the rest follow in order', async () => {
    const { server, messages, supervisor, link, actor } = await idleLink(h);
    const log = recordEvents(link);
    const ab = bufferOf([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(link.send('a')).toBe('queued');
    expect(link.send(ab)).toBe('queued');
    detach(ab);
    expect(link.send('b')).toBe('queued');
    link.connect();
    await link.ready();
    await waitFor(() => messages.length >= 3, { message: 'three messages' });
    expect(messages).toEqual(['a', [1, 2, 3, 4, 5, 6, 7, 8], 'b']);
    expect(link.send('c')).toBe('sent');
    await waitFor(() => messages.length === 4, { message: 'the fourth message' });
    expect(link.state).toBe('ready');
    expect(actor.errors).toEqual([]);
    expect(log.count('dropped')).toBe(0);
    await supervisor.close();
    await serverEmpty(server);
  });

  it.each([
    ['Uint8Array', () => new Uint8Array([1, 2, 3])],
    ['Buffer', () => Buffer.from([1, 2, 3])],
    ['a view into a larger buffer', () => new Uint8Array(bufferOf([9, 1, 2, 3, 9])).subarray(1, 4)],
    ['DataView', () => new DataView(bufferOf([1, 2, 3]))],
    ['Uint16Array', () => new Uint16Array(new Uint8Array([1, 2, 3, 4]).buffer).subarray(0, 2)],
    ['ArrayBuffer', () => bufferOf([1, 2, 3])],
  ])('a %s queued while down and changed afterwards is sent as it was when queued', async (_name, make) => {
    const server = await h.wsServer();
    const { messages } = inbox(server);
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(server.url, { autoConnect: false });
    const data = make();
    const view =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const expected = [...view];
    const bytes = new Uint8Array(data instanceof ArrayBuffer ? data : data.buffer);
    expect(link.send(data)).toBe('queued');
    bytes.fill(0xee);
    link.connect();
    await link.ready();
    await waitFor(() => messages.length === 1, { message: 'the message' });
    expect(messages).toEqual([expected]);
  });

  it('a detached buffer passed to send() throws LV_ERR_INVALID_DATA, while ready and while down; nothing is written or queued', async () => {
    const { server, messages, supervisor, link, actor } = await idleLink(h);
    for (const make of [
      () => bufferOf([1]),
      () => new Uint8Array([1, 2]),
      () => new DataView(bufferOf([1])),
    ]) {
      const data = make();
      detach(data instanceof ArrayBuffer ? data : (data.buffer as ArrayBuffer));
      expect(() => link.send(data)).toThrow(expect.objectContaining({ code: 'LV_ERR_INVALID_DATA' }));
    }
    // A DataView past the end of a resizable buffer that shrank: no bytes either.
    type Resizable = new (n: number, o: object) => ArrayBuffer & { resize(n: number): void };
    const resizable = new (ArrayBuffer as unknown as Resizable)(8, { maxByteLength: 16 });
    const outside = new DataView(resizable, 4, 4);
    resizable.resize(2);
    expect(() => link.send(outside)).toThrow(expect.objectContaining({ code: 'LV_ERR_INVALID_DATA' }));
    expect(link.status().queue.messages).toBe(0);
    link.connect();
    await link.ready();
    const ab = bufferOf([1, 2]);
    detach(ab);
    expect(() => link.send(ab)).toThrow(
      expect.objectContaining({ code: 'LV_ERR_INVALID_DATA', message: expect.stringMatching(/detached/) }),
    );
    // An empty buffer that is not detached is a valid (empty) message.
    expect(link.send(new ArrayBuffer(0))).toBe('sent');
    link.send('after');
    await waitFor(() => messages.length === 2, { message: 'two messages' });
    expect(messages).toEqual([[], 'after']);
    await endsClean(supervisor, server, actor);
  });

  it('a transport that throws while writing a queued message: dropped (invalid) and an LV_ERR_INVALID_DATA error; the rest go on in order', async () => {
    const server = await h.wsServer();
    const { messages } = inbox(server);
    // A custom transport (user-supplied): the ws transport with a send that refuses one payload.
    const picky: Transport = {
      ...wsTransport,
      name: 'picky',
      connect(target, handlers, context) {
        const inner = wsTransport.connect(target, handlers, context);
        const connection: TransportConnection = {
          send: (data) => {
            if (data === 'boom') throw new TypeError('cannot write boom');
            return inner.send(data);
          },
          ping: () => inner.ping(),
          close: (code, reason) => inner.close(code, reason),
          terminate: () => inner.terminate(),
          get bufferedAmount() {
            return inner.bufferedAmount;
          },
        };
        return connection;
      },
    };
    const supervisor = h.supervisor({ ...FAST, transport: picky });
    const link = supervisor.connect(server.url, { autoConnect: false });
    const actor = watchActor(link);
    const log = recordEvents(link);
    // A listener that retries what was dropped meets the refusal itself: no endless flush.
    let retries = 0;
    link.on('dropped', ({ data }) => {
      retries++;
      link.send(data);
    });
    for (const data of ['a', 'boom', 'b']) link.send(data);
    link.connect();
    await link.ready();
    await waitFor(() => messages.length === 2, { message: 'two messages' });
    expect(messages).toEqual(['a', 'b']);
    expect(log.of('dropped')).toEqual([
      { data: 'boom', reason: 'invalid', error: expect.objectContaining({ code: 'LV_ERR_INVALID_DATA' }) },
    ]);
    // The retry threw LV_ERR_INVALID_DATA at the listener (reported as LV_ERR_LISTENER), then
    // the drop's own error.
    const errors = log.of<LinkvisorError>('error');
    expect(errors.map((e) => e.code)).toEqual(['LV_ERR_LISTENER', 'LV_ERR_INVALID_DATA']);
    expect(errors[1]?.cause).toBeInstanceOf(TypeError);
    expect(retries).toBe(1);
    // Straight to the socket: the caller learns it at once.
    expect(() => link.send('boom')).toThrow(expect.objectContaining({ code: 'LV_ERR_INVALID_DATA' }));
    expect(link.send('c')).toBe('sent');
    await waitFor(() => messages.length === 3, { message: 'three messages' });
    expect(link.state).toBe('ready');
    await endsClean(supervisor, server, actor);
  });

  it.each([
    ['an object', () => ({ type: 'ping' }), 'LV_ERR_INVALID_DATA'],
    ['null', () => null, 'LV_ERR_INVALID_DATA'],
    ['undefined', () => undefined, 'LV_ERR_INVALID_DATA'],
    ['a promise (an async ping)', () => Promise.reject(new Error('async ping')), 'LV_ERR_INVALID_OPTION'],
    [
      'a detached buffer',
      () => {
        const ab = bufferOf([1]);
        detach(ab);
        return ab;
      },
      'LV_ERR_INVALID_DATA',
    ],
    [
      'nothing (it throws)',
      () => {
        throw new Error('no ping today');
      },
      'LV_ERR_LISTENER',
    ],
  ])(
    'an app heartbeat ping() returning %s is reported, sends nothing, and the link stays up',
    async (_name, ping, code) => {
      const server = await h.wsServer();
      const { messages } = inbox(server);
      const supervisor = h.supervisor(FAST);
      const link = supervisor.connect(server.url, {
        heartbeat: {
          mode: 'app',
          intervalMs: 20,
          timeoutMs: 20,
          ping: ping as unknown as () => string,
          isPong: (data) => data === 'pong',
        },
      });
      const actor = watchActor(link);
      const log = recordEvents(link);
      await link.ready();
      await waitFor(() => log.count('error') >= 2, { message: 'two reported pings' });
      const errors = log.of<LinkvisorError>('error');
      expect(errors[0]?.code).toBe(code);
      expect(errors[0]?.option).toBe('heartbeat.ping');
      expect(link.state).toBe('ready');
      expect(link.send('still here')).toBe('sent');
      await waitFor(() => messages.length === 1, { message: 'the application message' });
      expect(messages).toEqual(['still here']);
      expect(actor.errors).toEqual([]);
      await supervisor.close();
      await serverEmpty(server);
    },
  );

  it('isPong() that throws or returns odd values: reported or taken as an answer, never fatal', async () => {
    const server = await h.wsServer({ onConnection: (ws) => ws.on('message', () => ws.send('echo')) });
    const supervisor = h.supervisor(FAST);
    let calls = 0;
    const link = supervisor.connect(server.url, {
      heartbeat: {
        mode: 'app',
        intervalMs: 20,
        timeoutMs: 200,
        ping: () => 'ping',
        isPong: () => {
          calls++;
          if (calls % 2) throw new Error('matcher broke');
          return { yes: true } as unknown as boolean;
        },
      },
    });
    const actor = watchActor(link);
    const log = recordEvents(link);
    await link.ready();
    await waitFor(() => calls >= 4, { message: 'four isPong() calls' });
    expect(log.of<LinkvisorError>('error')[0]?.code).toBe('LV_ERR_LISTENER');
    expect(link.state).toBe('ready');
    await endsClean(supervisor, server, actor);
  });

  it('handshake: session.send() of an unsendable value throws LV_ERR_INVALID_DATA to the handshake; an odd throw fails the attempt, not the link', async () => {
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('message', (data) => data.toString() === 'auth' && ws.send('ok')),
    });
    const supervisor = h.supervisor(FAST);
    const caught: unknown[] = [];
    let attempt = 0;
    const link = supervisor.connect(server.url, {
      handshake: async (session) => {
        attempt++;
        const ab = bufferOf([1]);
        detach(ab);
        for (const bad of [ab, { not: 'data' }, null]) {
          try {
            session.send(bad as never);
          } catch (error) {
            caught.push(error);
          }
        }
        // An odd rejection (not an Error, a getter that throws) fails this attempt only.
        if (attempt === 1) {
          throw Object.defineProperty({}, 'message', {
            get() {
              throw new Error('a hostile message getter');
            },
          });
        }
        if (attempt === 2) throw Symbol('odd');
        session.send('auth');
        await session.next();
      },
    });
    const actor = watchActor(link);
    const log = recordEvents(link);
    await link.ready();
    expect(caught.map((e) => (e as LinkvisorError).code)).toEqual(Array(9).fill('LV_ERR_INVALID_DATA'));
    expect(log.of<{ reason: { kind: string } }>('reconnecting').map((e) => e.reason.kind)).toEqual([
      'handshake',
      'handshake',
    ]);
    await endsClean(supervisor, server, actor);
  });

  it.each([
    ['url() returning a number', { url: () => 42 }],
    ['url() rejecting with a non-Error', { url: () => Promise.reject(Symbol('nope')) }],
    ['headers() returning null values', { headers: () => ({ Authorization: null }) }],
    ['headers() returning a string', { headers: () => 'Authorization: x' }],
    ['headers() returning a value with a newline', { headers: () => ({ 'x-a': 'b\r\nc' }) }],
    ['protocols() returning a number', { protocols: () => 7 }],
    ['protocols() returning an invalid token', { protocols: () => ['a b'] }],
    ['wsOptions() returning a string', { wsOptions: () => 'nope' }],
  ])(
    'a per-attempt %s fails the attempt with a reason naming the option, never the link',
    async (_name, odd) => {
      const server = await h.wsServer();
      const rejections: unknown[] = [];
      const onRejection = (reason: unknown) => rejections.push(reason);
      process.on('unhandledRejection', onRejection);
      h.defer(() => process.off('unhandledRejection', onRejection));
      const supervisor = h.supervisor(FAST);
      const { url = server.url, ...options } = odd as { url?: unknown } & Record<string, unknown>;
      const link = supervisor.connect(url as string, options);
      const actor = watchActor(link);
      const log = recordEvents(link);
      await waitFor(() => log.count('reconnecting') + log.count('failed') >= 1, {
        message: 'the attempt ended',
      });
      const reason = (log.of<{ reason: { message: string } }>('reconnecting')[0] ??
        log.of<{ reason: { message: string } }>('failed')[0]) as { reason: { message: string } };
      const option = url === server.url ? Object.keys(options)[0] : 'url';
      expect(reason.reason.message).toContain(option);
      expect(actor.errors).toEqual([]);
      expect(rejections).toEqual([]);
      await supervisor.close();
      expect(server.clients.size).toBe(0);
    },
  );

  it('a custom transport whose connect(), ping() or terminate() throws: the attempt ends, the link goes on and closes', async () => {
    const server = await h.wsServer();
    let connects = 0;
    const clumsy: Transport = {
      ...wsTransport,
      name: 'clumsy',
      connect(target, handlers, context) {
        connects++;
        if (connects === 1) throw new Error('first connect explodes');
        const inner = wsTransport.connect(target, handlers, context);
        return {
          send: (data) => inner.send(data),
          ping: () => {
            throw new Error('no pings here');
          },
          close: (code, reason) => inner.close(code, reason),
          terminate: () => {
            inner.terminate();
            throw new Error('terminate explodes');
          },
          get bufferedAmount() {
            return inner.bufferedAmount;
          },
        };
      },
    };
    const supervisor = h.supervisor({ ...FAST, transport: clumsy });
    const link = supervisor.connect(server.url, {
      autoConnect: false,
      heartbeat: { intervalMs: 20, timeoutMs: 20 },
    });
    const actor = watchActor(link);
    const log = recordEvents(link);
    link.connect();
    await link.ready();
    expect(log.of<{ reason: { message: string } }>('reconnecting')[0]?.reason.message).toMatch(
      /first connect explodes/,
    );
    await waitFor(() => log.of<LinkvisorError>('error').some((e) => /ping/.test(e.message)), {
      message: 'the throwing ping() reported',
    });
    await supervisor.close();
    expect(actor.errors).toEqual([]);
    await serverEmpty(server);
  });

  it('listeners that throw, on the link and on the supervisor, are reported as LV_ERR_LISTENER', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const supervisorErrors: LinkvisorError[] = [];
    supervisor.on('error', (e) => supervisorErrors.push(e));
    supervisor.on('up', () => {
      throw new Error('up listener');
    });
    const group = supervisor.connectGroup([server.url], { id: 'g' });
    const groupErrors: LinkvisorError[] = [];
    group.on('error', (e) => groupErrors.push(e));
    group.on('up', () => {
      throw new Error('group up listener');
    });
    const link = supervisor.connect(server.url);
    const actor = watchActor(link);
    const log = recordEvents(link);
    for (const event of ['state', 'ready', 'message'] as const) {
      link.on(event, () => {
        throw new Error(`${event} listener`);
      });
    }
    await link.ready();
    await waitFor(() => supervisorErrors.length === 1 && groupErrors.length === 1, {
      message: 'the supervisor and group errors',
    });
    expect(supervisorErrors[0]?.code).toBe('LV_ERR_LISTENER');
    expect(groupErrors[0]?.code).toBe('LV_ERR_LISTENER');
    expect(log.of<LinkvisorError>('error').map((e) => e.code)).toContain('LV_ERR_LISTENER');
    expect(link.state).toBe('ready');
    await endsClean(supervisor, server, actor);
  });

  it('a link spawned by an application machine (defineLink): a bad ping() or queued buffer never fails the child or its parent', async () => {
    const server = await h.wsServer();
    const { messages } = inbox(server);
    const feed = defineLink(server.url, {
      ...FAST,
      heartbeat: {
        mode: 'app',
        intervalMs: 20,
        timeoutMs: 20,
        ping: () => null as never,
        isPong: () => false,
      },
    });
    const parentErrors: unknown[] = [];
    const app = setup({ actors: { feed: feed.machine } }).createMachine({
      entry: spawnChild('feed', {
        id: 'feed',
        input: ({ self }) => feed.input({ id: 'feed', parent: self }),
      }),
    });
    const actor = createActor(app);
    actor.subscribe({ error: (error) => parentErrors.push(error) });
    actor.start();
    h.defer(() => actor.stop());
    const child = actor.getSnapshot().children.feed;
    if (!child) throw new Error('no child');
    const link = feed.handle(child);
    const childErrors = watchActor(link);
    const log = recordEvents(link);
    const ab = bufferOf([7]);
    link.send(ab);
    detach(ab);
    await link.ready();
    await waitFor(() => messages.length === 1 && log.count('error') >= 1, {
      message: 'the message and a report',
    });
    expect(messages).toEqual([[7]]);
    expect(log.of<LinkvisorError>('error')[0]?.code).toBe('LV_ERR_INVALID_DATA');
    expect(link.state).toBe('ready');
    expect(childErrors.errors).toEqual([]);
    expect(parentErrors).toEqual([]);
    await link.close();
    await serverEmpty(server);
  });

  it('a user clock whose setTimeout throws fails the link for good: state failed, its socket closed at once, close() completes', async () => {
    const server = await h.wsServer();
    const HEARTBEAT_MS = 4_321;
    const clock = {
      now: () => Date.now(),
      setTimeout: (fn: () => void, ms: number): unknown => {
        if (ms === HEARTBEAT_MS) throw new Error('this clock cannot count to 4321');
        return setTimeout(fn, ms);
      },
      clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    const supervisor = h.supervisor({ ...FAST, clock, heartbeat: { intervalMs: HEARTBEAT_MS } });
    const link = supervisor.connect(server.url, { autoConnect: false });
    const log = recordEvents(link);
    link.connect();
    await expect(link.ready()).rejects.toMatchObject({ code: 'LV_ERR_LINK_FAILED' });
    expect(link.state).toBe('failed');
    expect(log.states().at(-1)).toBe('failed');
    expect(log.of<{ reason: { message: string } }>('failed')[0]?.reason.message).toMatch(/4321/);
    expect(log.of<LinkvisorError>('error')[0]?.message).toMatch(/link actor failed/);
    expect(() => link.send('x')).toThrow(expect.objectContaining({ code: 'LV_ERR_LINK_FAILED' }));
    expect(link.status()).toMatchObject({ state: 'failed', failure: { kind: 'invalid' } });
    await serverEmpty(server);
    await supervisor.close();
  });

  it('send() on a link that failed (a fatal close) throws LV_ERR_LINK_FAILED, not LV_ERR_LINK_CLOSED', async () => {
    const server = await h.wsServer({ onConnection: (ws) => ws.close(1008, 'policy') });
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(server.url);
    await expect(link.ended()).resolves.toBeUndefined();
    expect(link.state).toBe('failed');
    expect(() => link.send('x')).toThrow(
      expect.objectContaining({ code: 'LV_ERR_LINK_FAILED', message: expect.stringMatching(/1008/) }),
    );
  });

  it('an inspect observer that throws is reported on the supervisor, and changes nothing else', async () => {
    const server = await h.wsServer();
    let events = 0;
    const supervisor = h.supervisor({
      ...FAST,
      inspect: () => {
        if (++events > 3) throw new Error('inspector broke');
      },
    });
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (e) => errors.push(e));
    const link = supervisor.connect(server.url);
    const actor = watchActor(link);
    await link.ready();
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ code: 'LV_ERR_LISTENER', option: 'inspect' });
    await endsClean(supervisor, server, actor);
  });

  it('watcher probes that throw or return anything, and callbacks that throw, never fail the watcher', async () => {
    const supervisor = h.supervisor(FAST);
    const hostile: (() => unknown)[] = [
      () => {
        throw Object.create(null); // no message, no toString
      },
      () => Promise.reject(Symbol('odd')),
      () =>
        Promise.reject(
          Object.defineProperty({}, 'message', {
            get() {
              throw new Error('a hostile getter');
            },
          }),
        ),
      () => 42,
    ];
    let calls = 0;
    const downs: unknown[] = [];
    const watcher = supervisor.watch({
      name: 'hostile',
      backoff: { initialDelayMs: 5, maxDelayMs: 10, jitter: 'none', maxAttempts: 20 },
      pollIntervalMs: 5,
      probe: () => (hostile[calls++ % hostile.length] as () => Promise<void>)(),
      onReady: () => {
        throw new Error('onReady broke');
      },
      onDown: (error) => {
        downs.push(error);
        throw new Error('onDown broke');
      },
    });
    const errors: unknown[] = [];
    watcher.actor.subscribe({ error: (error) => errors.push(error) });
    await waitFor(() => downs.length >= 2, { message: 'two down edges' });
    expect(watcher.actor.getSnapshot().status).toBe('active');
    expect(errors).toEqual([]);
    for (const down of downs) expect(typeof (down as { message: unknown }).message).toBe('string');
    await supervisor.close();
  });

  it("counts what goes on the wire: a lone surrogate is U+FFFD, 3 bytes ('\\ud800\\u4e2d' is 6)", async () => {
    const server = await h.wsServer();
    const received: Buffer[] = [];
    server.wss.on('connection', (ws) => ws.on('message', (data: Buffer) => received.push(data)));
    const supervisor = h.supervisor(FAST);
    const text = '\ud800\u4e2d';
    const exact = supervisor.connect(server.url, {
      autoConnect: false,
      queue: { maxMessages: 10, maxBytes: 6, overflow: 'reject' },
    });
    expect(exact.send(text)).toBe('queued');
    expect(exact.status().queue.bytes).toBe(6);
    const small = supervisor.connect(server.url, {
      autoConnect: false,
      queue: { maxMessages: 10, maxBytes: 5, overflow: 'reject' },
    });
    expect(() => small.send(text)).toThrow(expect.objectContaining({ code: 'LV_ERR_QUEUE_FULL' }));
    const pair = supervisor.connect(server.url, { autoConnect: false });
    pair.send('\ud83d\ude00\udc00x'); // a pair (4), a lone low surrogate (3), 'x' (1)
    expect(pair.status().queue.bytes).toBe(8);
    exact.connect();
    await exact.ready();
    await waitFor(() => received.length === 1, { message: 'the message' });
    expect(received[0]?.length).toBe(6);
    expect(received[0]?.toString()).toBe('\ufffd\u4e2d');
  });
});
