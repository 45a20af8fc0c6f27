/**
 * The scripted scenarios of the differential harness: the same script runs against partysocket
 * 1.3.0, reconnecting-websocket 4.4.0 and linkvisor/ws (see run-scenarios.ts). Each drives one
 * socket (or two) through the common surface against loopback servers and records what it sees;
 * the conditions it waits for are ones every implementation reaches (or a bounded window passes).
 */
import type { Scenario, ScenarioContext, SocketLike } from './record.js';

const opens = (ctx: ScenarioContext, n: number) => () => ctx.count('open') >= n;

/** close(), recorded, then until everything is closed (bounded: a peer that reconnects after
 * close() never gets there), then a short window for late events. A fixed window alone missed
 * close events and close frames on a busy machine (load 10–14). */
async function closeAndSettle(ctx: ScenarioContext, s: SocketLike): Promise<void> {
  ctx.call('close()', () => s.close());
  await ctx.within(() => ctx.allClosed(), 5_000);
  await ctx.settle(1);
}
const closes = (ctx: ScenarioContext, n: number) => () => ctx.count('close') >= n;

/** A server that closes its first `times` connections with `code` right after they open. */
function serverCloses(code: number, times: number): Scenario {
  return {
    name: `server closes with ${code} ×${times}`,
    about: 'reconnects per server close (count of connections)',
    async run(ctx) {
      const server = await ctx.wsServer({
        onConnection: (ws, n) => {
          if (n <= times) ws.close(code, 'server says so');
        },
      });
      const s = ctx.make(server.url, undefined, ctx.options());
      await ctx.within(() => server.connections > times && ctx.count('open') > times, 5_000);
      await ctx.settle();
      ctx.note('opens', ctx.count('open'));
      await closeAndSettle(ctx, s);
    },
  };
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'send before open',
    about: 'buffered sends, flush before open, send() results',
    async run(ctx) {
      const server = await ctx.wsServer();
      const s = ctx.make(server.url, undefined, ctx.options());
      ctx.call("send('a')", () => s.send('a'));
      ctx.call("send('b')", () => s.send('b'));
      ctx.snapshot('queued', s);
      await ctx.until('open', opens(ctx, 1));
      ctx.call("send('c')", () => s.send('c'));
      await ctx.until('3 received', () => server.received.length >= 3);
      await closeAndSettle(ctx, s);
    },
  },
  {
    name: 'getters before connecting',
    about: 'url, protocol, extensions, bufferedAmount, readyState before a socket',
    async run(ctx) {
      const server = await ctx.wsServer();
      const s = ctx.make(server.url, undefined, ctx.options());
      ctx.snapshot('string URL, just constructed', s);
      ctx.call('close()', () => s.close());
      const lazy = ctx.make(async () => server.url, ['p1'], ctx.options());
      ctx.snapshot('async URL, just constructed', lazy);
      ctx.call('close()', () => lazy.close());
      const idle = ctx.make(server.url, undefined, ctx.options({ startClosed: true }));
      ctx.snapshot('startClosed', idle);
      ctx.call("send('abc')", () => idle.send('abc'));
      ctx.snapshot('startClosed, one message buffered', idle);
      await ctx.settle(1);
    },
  },
  serverCloses(4000, 3),
  serverCloses(1000, 1),
  serverCloses(1011, 1),
  serverCloses(1008, 1),
  {
    name: 'HTTP 401 on upgrade',
    about: 'a rejected upgrade: retried or not, what close says',
    async run(ctx) {
      const server = await ctx.statusServer(401);
      const s = ctx.make(server.url, undefined, ctx.options());
      const retried = await ctx.within(() => server.connections >= 3, 2_000);
      ctx.note('retried twice', retried);
      await closeAndSettle(ctx, s);
      // The first attempt's events only: how many retries fit in the window is timing.
      const first = ctx.count('close') > 0;
      ctx.note('saw a close', first);
    },
  },
  {
    name: 'server down, then up',
    about: 'drop, refused retries, back on the same port; messages sent while down',
    async run(ctx) {
      const first = await ctx.wsServer();
      const s = ctx.make(
        first.url,
        undefined,
        ctx.options({ minReconnectionDelay: 150, maxReconnectionDelay: 300 }),
      );
      await ctx.until('open', opens(ctx, 1));
      await first.stop();
      await ctx.until('dropped and refused twice', closes(ctx, 3));
      ctx.call("send('while down')", () => s.send('while down'));
      const second = await ctx.wsServer({ port: first.port });
      await ctx.until('open again', opens(ctx, 2));
      await ctx.until('received', () => second.received.length >= 1);
      await closeAndSettle(ctx, s);
    },
  },
  {
    name: 'close() while OPEN',
    about: 'synchronous close event, code and reason to the server',
    async run(ctx) {
      const server = await ctx.wsServer();
      const s = ctx.make(server.url, undefined, ctx.options());
      await ctx.until('open', opens(ctx, 1));
      ctx.call("close(4001, 'bye')", () => s.close(4001, 'bye'));
      ctx.snapshot('after close()', s);
      await ctx.until('server saw the close', () => server.closeCodes.length >= 1);
      await ctx.settle();
    },
  },
  {
    name: 'close() while CONNECTING',
    about: 'a socket pending on a server that never answers',
    async run(ctx) {
      const server = await ctx.silentServer();
      const s = ctx.make(server.url, undefined, ctx.options());
      await ctx.until('TCP connection', () => server.connections >= 1);
      ctx.snapshot('connecting', s);
      ctx.call('close()', () => s.close());
      await ctx.settle();
    },
  },
  {
    name: 'close() right after the constructor',
    about: 'no socket yet (theirs) / socket just started (ours)',
    async run(ctx) {
      const server = await ctx.wsServer();
      const s = ctx.make(server.url, undefined, ctx.options());
      ctx.call('close()', () => s.close());
      await ctx.settle();
    },
  },
  {
    name: 'close() during the backoff wait',
    about: 'no event, no further attempt, no stuck lock',
    async run(ctx) {
      const port = await ctx.closedPort();
      const s = ctx.make(`ws://127.0.0.1:${port}`, undefined, ctx.options({ minReconnectionDelay: 150 }));
      await ctx.until('refused', closes(ctx, 1));
      ctx.call('close()', () => s.close());
      const server = await ctx.wsServer({ port });
      await ctx.settle();
      ctx.call('reconnect()', () => s.reconnect());
      await ctx.until('open', () => server.connections >= 1 && ctx.count('open') >= 1);
      await closeAndSettle(ctx, s);
    },
  },
  {
    name: 'close() inside a close listener',
    about: 'a server close answered by close(): no duplicate, no reconnect',
    async run(ctx) {
      const server = await ctx.wsServer({ onConnection: (ws) => ws.close(4000, 'go') });
      const s = ctx.make(server.url, undefined, ctx.options());
      s.addEventListener('close', () => s.close());
      await ctx.until('close', closes(ctx, 1));
      await ctx.settle();
    },
  },
  {
    name: 'close() twice',
    about: 'the second close() while closing / closed does nothing',
    async run(ctx) {
      const server = await ctx.wsServer();
      const s = ctx.make(server.url, undefined, ctx.options());
      await ctx.until('open', opens(ctx, 1));
      ctx.call("close(4001, 'first')", () => s.close(4001, 'first'));
      ctx.call("close(4002, 'second')", () => s.close(4002, 'second'));
      await ctx.until('server saw the close', () => server.closeCodes.length >= 1);
      await ctx.settle();
    },
  },
  {
    name: 'reconnect() during the backoff wait',
    about: 'connects at once instead of waiting',
    async run(ctx) {
      const port = await ctx.closedPort();
      const long = { minReconnectionDelay: 30_000, maxReconnectionDelay: 30_000 };
      const s = ctx.make(`ws://127.0.0.1:${port}`, undefined, ctx.options(long));
      await ctx.until('refused', closes(ctx, 1));
      const server = await ctx.wsServer({ port });
      ctx.call('reconnect()', () => s.reconnect());
      await ctx.until('open', () => ctx.count('open') >= 1 && server.connections >= 1, 3_000);
      await closeAndSettle(ctx, s);
    },
  },
  {
    name: 'reconnect() inside a close listener',
    about: 'a server close answered by reconnect(): one new connection, at once',
    async run(ctx) {
      const server = await ctx.wsServer({
        onConnection: (ws, n) => {
          if (n === 1) ws.close(4000, 'move');
        },
      });
      const long = { minReconnectionDelay: 30_000, maxReconnectionDelay: 30_000 };
      const s = ctx.make(server.url, undefined, ctx.options(long));
      let reconnected = false;
      s.addEventListener('close', () => {
        if (reconnected) return;
        reconnected = true;
        ctx.call('reconnect()', () => s.reconnect());
      });
      await ctx.until('open again', opens(ctx, 2), 3_000);
      ctx.note('connections', server.connections);
      await closeAndSettle(ctx, s);
    },
  },
  {
    name: 'reconnect() while OPEN',
    about: 'close event with the code, a new connection at once',
    async run(ctx) {
      const server = await ctx.wsServer();
      const s = ctx.make(server.url, undefined, ctx.options());
      await ctx.until('open', opens(ctx, 1));
      ctx.call("reconnect(4002, 'again')", () => s.reconnect(4002, 'again'));
      await ctx.until('open again', opens(ctx, 2));
      ctx.snapshot('reopened', s);
      await closeAndSettle(ctx, s);
    },
  },
  {
    name: 'reconnect() while CONNECTING',
    about: 'a pending socket replaced',
    async run(ctx) {
      const server = await ctx.silentServer();
      const s = ctx.make(server.url, undefined, ctx.options());
      await ctx.until('TCP connection', () => server.connections >= 1);
      ctx.call('reconnect()', () => s.reconnect());
      await ctx.until('second TCP connection', () => server.connections >= 2);
      ctx.call('close()', () => s.close());
      await ctx.settle();
    },
  },
  {
    name: 'send() after close(), then reconnect()',
    about: 'warning once, delivery after reconnect(), warning reset',
    async run(ctx) {
      const server = await ctx.wsServer();
      const s = ctx.make(server.url, undefined, ctx.options());
      await ctx.until('open', opens(ctx, 1));
      ctx.call('close()', () => s.close());
      ctx.call("send('late-1')", () => s.send('late-1'));
      ctx.call("send('late-2')", () => s.send('late-2'));
      ctx.call('reconnect()', () => s.reconnect());
      await ctx.until('open again', opens(ctx, 2));
      await ctx.until('2 received', () => server.received.length >= 2);
      ctx.call('close()', () => s.close());
      ctx.call("send('late-3')", () => s.send('late-3'));
      await ctx.settle(1);
    },
  },
  {
    name: 'maxRetries exhausted, then reconnect()',
    about: 'attempt count, then a fresh start',
    async run(ctx) {
      const port = await ctx.closedPort();
      const s = ctx.make(`ws://127.0.0.1:${port}`, undefined, ctx.options({ maxRetries: 2 }));
      await ctx.until('3 attempts', closes(ctx, 3));
      await ctx.settle();
      ctx.note('closes', ctx.count('close'));
      ctx.snapshot('gave up', s);
      const server = await ctx.wsServer({ port });
      ctx.call('reconnect()', () => s.reconnect());
      await ctx.until('open', () => server.connections >= 1 && ctx.count('open') >= 1);
      await closeAndSettle(ctx, s);
    },
  },
  {
    name: 'startClosed, then reconnect()',
    about: 'no connection until reconnect()',
    async run(ctx) {
      const server = await ctx.wsServer();
      const s = ctx.make(server.url, undefined, ctx.options({ startClosed: true }));
      await ctx.settle();
      ctx.note('connections before reconnect()', server.connections);
      ctx.call('reconnect()', () => s.reconnect());
      await ctx.until('open', opens(ctx, 1));
      await closeAndSettle(ctx, s);
    },
  },
  {
    name: 'http: URL',
    about: 'connects as ws: (as a WebSocket does); url shows ws:',
    async run(ctx) {
      const server = await ctx.wsServer();
      const http = `${server.url.replace(/^ws:/, 'http:')}/feed`;
      const s = ctx.make(http, undefined, ctx.options());
      await ctx.until('open', opens(ctx, 1));
      ctx.snapshot('string URL, open', s);
      await closeAndSettle(ctx, s);
      const lazy = ctx.make(async () => http, undefined, ctx.options());
      await ctx.until('open again', opens(ctx, 2));
      ctx.snapshot('async URL, open', lazy);
      await closeAndSettle(ctx, lazy);
    },
  },
  {
    name: 'async URL provider',
    about: 'resolved before each attempt',
    async run(ctx) {
      const server = await ctx.wsServer();
      const s = ctx.make(async () => `${server.url}/feed`, undefined, ctx.options());
      await ctx.until('open', opens(ctx, 1));
      ctx.snapshot('open', s);
      await closeAndSettle(ctx, s);
    },
  },
  {
    name: 'URL provider that throws once',
    about: 'a failed attempt, then a retry',
    async run(ctx) {
      const server = await ctx.wsServer();
      let calls = 0;
      const s = ctx.make(
        () => {
          if (calls++ === 0) throw new Error('no token yet');
          return server.url;
        },
        undefined,
        ctx.options(),
      );
      await ctx.within(opens(ctx, 1), 2_000);
      ctx.note('opened', ctx.count('open') >= 1);
      await closeAndSettle(ctx, s);
    },
  },
  {
    name: 'protocols provider',
    about: 'a function for the subprotocols',
    async run(ctx) {
      const server = await ctx.wsServer();
      const s = ctx.make(server.url, () => ['p1', 'p2'], ctx.options());
      await ctx.within(opens(ctx, 1), 2_000);
      ctx.snapshot('after the first attempt', s);
      await closeAndSettle(ctx, s);
    },
  },
  {
    name: 'async protocols provider',
    about: 'a function resolving the subprotocols later',
    async run(ctx) {
      const server = await ctx.wsServer();
      const s = ctx.make(server.url, async () => ['p1', 'p2'], ctx.options());
      await ctx.within(opens(ctx, 1), 2_000);
      ctx.snapshot('after the first attempt', s);
      await closeAndSettle(ctx, s);
    },
  },
  {
    name: 'maxEnqueuedMessages',
    about: 'queue limit: which messages survive, send() results',
    async run(ctx) {
      const server = await ctx.wsServer();
      const s = ctx.make(server.url, undefined, ctx.options({ startClosed: true, maxEnqueuedMessages: 2 }));
      for (const m of ['a', 'b', 'c']) ctx.call(`send('${m}')`, () => s.send(m));
      ctx.snapshot('queued', s);
      ctx.call('reconnect()', () => s.reconnect());
      await ctx.until('open', opens(ctx, 1));
      await ctx.until('2 received', () => server.received.length >= 2);
      await ctx.settle(1);
      await closeAndSettle(ctx, s);
    },
  },
  {
    name: 'binaryType',
    about: 'default and arraybuffer',
    async run(ctx) {
      const server = await ctx.wsServer({ binaryOnRequest: true });
      const s = ctx.make(server.url, undefined, ctx.options());
      ctx.note('default binaryType', s.binaryType);
      await ctx.until('open', opens(ctx, 1));
      s.send('more');
      await ctx.until('first binary', () => ctx.count('message') >= 1);
      s.binaryType = 'arraybuffer';
      s.send('more');
      await ctx.until('second binary', () => ctx.count('message') >= 2);
      await closeAndSettle(ctx, s);
    },
  },
  {
    name: 'drainQueuedMessages()',
    about: 'buffered messages handed back, never sent',
    async run(ctx) {
      const server = await ctx.wsServer();
      const s: SocketLike = ctx.make(server.url, undefined, ctx.options({ startClosed: true }));
      s.send('a');
      s.send('b');
      ctx.call('drainQueuedMessages()', () =>
        s.drainQueuedMessages ? s.drainQueuedMessages() : new Error('no such method'),
      );
      ctx.snapshot('drained', s);
      ctx.call('reconnect()', () => s.reconnect());
      await ctx.until('open', opens(ctx, 1));
      s.send('c');
      await ctx.until('1 received', () => server.received.length >= 1);
      await ctx.settle(1);
      await closeAndSettle(ctx, s);
    },
  },
  {
    name: 'shouldReconnectOnClose → false',
    about: 'stops before the close listeners; reconnect() re-enables',
    async run(ctx) {
      const server = await ctx.wsServer({ onConnection: (ws) => ws.close(4000, 'go') });
      const decisions: string[] = [];
      const s = ctx.make(
        server.url,
        undefined,
        ctx.options({
          shouldReconnectOnClose: (event: { code: number }) => {
            decisions.push(`decide:${event.code}`);
            return false;
          },
        }),
      );
      s.addEventListener('close', () =>
        decisions.push(`close listener, shouldReconnect=${String(s.shouldReconnect)}`),
      );
      await ctx.until('close', closes(ctx, 1));
      await ctx.settle();
      ctx.note('order', decisions);
      ctx.note('connections', server.connections);
      ctx.call('reconnect()', () => s.reconnect());
      await ctx.within(() => server.connections >= 2, 2_000);
      await ctx.settle();
      ctx.note('connections after reconnect()', server.connections);
      await closeAndSettle(ctx, s);
    },
  },
  {
    name: 'connection timeout',
    about: 'a server that never answers the upgrade',
    async run(ctx) {
      const server = await ctx.silentServer();
      const s = ctx.make(server.url, undefined, ctx.options({ connectionTimeout: 200 }));
      await ctx.within(closes(ctx, 2), 3_000);
      ctx.call('close()', () => s.close());
      await ctx.settle();
      ctx.note('two attempts timed out', server.connections >= 2);
    },
  },
  {
    name: 'debug and debugLogger',
    about: 'where debug lines go',
    async run(ctx) {
      const server = await ctx.wsServer();
      const s = ctx.make(server.url, undefined, ctx.options({ debug: true, debugLogger: true }));
      await ctx.until('open', opens(ctx, 1));
      await closeAndSettle(ctx, s);
      ctx.note('debugLogger got lines', ctx.debugLines.length > 0);
      ctx.note(
        'every line starts with RWS>',
        ctx.debugLines.every((line) => line.startsWith('RWS>')),
      );
    },
  },
];
