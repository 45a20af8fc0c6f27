/**
 * Scenarios of close(): while OPEN, while CONNECTING, right after the constructor, during the
 * backoff wait, inside a close listener, in a message listener before the socket dispatched the
 * server's close (round 36: partysocket's behaviour exactly; reconnecting-websocket's close event
 * waits for the socket's, with the server's code: sync-close), twice. close() in an error
 * listener, before its close: test/dropin/error-without-close.test.ts (the peers fire no error there).
 * Part of the differential harness's scenarios (scenarios.ts lists them all, in order).
 */
import type { Scenario } from './record.js';
import { closeAndSettle, closes, opens } from './scenario-fixtures.js';

export const CLOSE_SCENARIOS: Scenario[] = [
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
      const kept = await ctx.keptPort(); // refused until a server listens behind it
      const s = ctx.make(kept.url(), undefined, ctx.options({ minReconnectionDelay: 150 }));
      await ctx.until('refused', closes(ctx, 1));
      ctx.call('close()', () => s.close());
      const server = await ctx.wsServer({ ...kept.behind });
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
    name: 'close() in a message listener, the server close frame right behind',
    about: "the socket has not dispatched its close yet: one close event, close()'s, CLOSED in the listener",
    async run(ctx) {
      const server = await ctx.wsServer({
        onConnection: (ws) => {
          ws.send('last');
          ws.close(4000, 'go');
        },
      });
      const s = ctx.make(server.url, undefined, ctx.options());
      s.addEventListener('message', () => {
        ctx.call("close(4001, 'mine')", () => s.close(4001, 'mine'));
        ctx.snapshot('after close() in the listener', s);
      });
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
];
