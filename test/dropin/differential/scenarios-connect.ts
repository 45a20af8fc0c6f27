/**
 * Scenarios of connecting: sends before open, the getters before a socket, server closes
 * (4000, 1000, 1011, 1008), HTTP 401 on the upgrade, a server down then up.
 * Part of the differential harness's scenarios (scenarios.ts lists them all, in order).
 */
import type { Scenario } from './record.js';
import { closeAndSettle, closes, opens, serverCloses } from './scenario-fixtures.js';

export const CONNECT_SCENARIOS: Scenario[] = [
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
      // Back on the same port: a kept one, which no other process can take while the server is down.
      const kept = await ctx.keptPort();
      const first = await ctx.wsServer({ ...kept.behind });
      const s = ctx.make(
        kept.url(),
        undefined,
        ctx.options({ minReconnectionDelay: 150, maxReconnectionDelay: 300 }),
      );
      await ctx.until('open', opens(ctx, 1));
      await first.stop();
      await ctx.until('dropped and refused twice', closes(ctx, 3));
      ctx.call("send('while down')", () => s.send('while down'));
      const second = await ctx.wsServer({ ...kept.behind });
      await ctx.until('open again', opens(ctx, 2));
      await ctx.until('received', () => second.received.length >= 1);
      await closeAndSettle(ctx, s);
    },
  },
];
