/**
 * What the differential harness's scenarios (scenarios-*.ts) share: the conditions they wait for
 * (opens, closes), close() and the wait until everything is closed, and a server that closes its
 * first connections with a code.
 */
import type { Scenario, ScenarioContext, SocketLike } from './record.js';

export const opens = (ctx: ScenarioContext, n: number) => () => ctx.count('open') >= n;

/** close(), recorded, then until everything is closed (bounded: a peer that reconnects after
 * close() never gets there), then a short window for late events. A fixed window alone missed
 * close events and close frames on a busy machine (load 10–14). */
export async function closeAndSettle(ctx: ScenarioContext, s: SocketLike): Promise<void> {
  ctx.call('close()', () => s.close());
  await ctx.within(() => ctx.allClosed(), 5_000);
  await ctx.settle(1);
}
export const closes = (ctx: ScenarioContext, n: number) => () => ctx.count('close') >= n;

/** A server that closes its first `times` connections with `code` right after they open. */
export function serverCloses(code: number, times: number): Scenario {
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
