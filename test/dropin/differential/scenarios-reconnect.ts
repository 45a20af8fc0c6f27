/**
 * Scenarios of reconnect(): during the backoff wait, inside a close listener, while OPEN or
 * CONNECTING, after close(), after maxRetries ran out, after startClosed.
 * Part of the differential harness's scenarios (scenarios.ts lists them all, in order).
 */
import type { Scenario } from './record.js';
import { closeAndSettle, closes, opens } from './scenario-fixtures.js';

export const RECONNECT_SCENARIOS: Scenario[] = [
  {
    name: 'reconnect() during the backoff wait',
    about: 'connects at once instead of waiting',
    async run(ctx) {
      const kept = await ctx.keptPort(); // refused until a server listens behind it
      const long = { minReconnectionDelay: 30_000, maxReconnectionDelay: 30_000 };
      const s = ctx.make(kept.url(), undefined, ctx.options(long));
      await ctx.until('refused', closes(ctx, 1));
      const server = await ctx.wsServer({ ...kept.behind });
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
      const kept = await ctx.keptPort(); // refused until a server listens behind it
      const s = ctx.make(kept.url(), undefined, ctx.options({ maxRetries: 2 }));
      await ctx.until('3 attempts', closes(ctx, 3));
      await ctx.settle();
      ctx.note('closes', ctx.count('close'));
      ctx.snapshot('gave up', s);
      const server = await ctx.wsServer({ ...kept.behind });
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
];
