/**
 * Scenarios of the options: http: URLs, URL and protocols providers (async, throwing once),
 * maxEnqueuedMessages, binaryType, drainQueuedMessages(), shouldReconnectOnClose, the connection
 * timeout, debug and debugLogger.
 * Part of the differential harness's scenarios (scenarios.ts lists them all, in order).
 */
import type { Scenario, SocketLike } from './record.js';
import { closeAndSettle, closes, opens } from './scenario-fixtures.js';

export const OPTION_SCENARIOS: Scenario[] = [
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
