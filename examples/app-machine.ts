/**
 * An application's own XState machine that spawns a linkvisor link with `spawnChild` and turns
 * the link's reports into a connection banner. Run: `npx tsx examples/app-machine.ts ws://…`.
 * Tested by test/examples/app-machine.test.ts against a real ws server, and along every path of
 * the link's lifecycle by examples/banner.model.test.ts.
 */
import { assign, createActor, sendTo, setup, spawnChild } from 'xstate';
import type { LinkReport } from '../src/entries/machines.js';
import { type DefineLinkEnv, defineLink, type LinkOptions } from '../src/index.js';

type BannerEvent = LinkReport | { type: 'link.message'; linkId: string; data: unknown } | { type: 'quit' };

export function createBannerMachine(url: string, options: LinkOptions = {}, env: DefineLinkEnv = {}) {
  const feed = defineLink(url, options, env);
  const machine = setup({
    // Stryker disable next-line ObjectLiteral: read by TypeScript only (XState ignores it at run time)
    types: {
      context: {} as { banner: string; messages: number },
      events: {} as BannerEvent,
    },
    actors: { feed: feed.machine },
  }).createMachine({
    // Stryker disable next-line StringLiteral: the machine's id only labels it in an inspector
    id: 'banner',
    context: { banner: 'connecting…', messages: 0 },
    entry: spawnChild('feed', {
      id: 'feed',
      // Stryker disable next-line StringLiteral: the link's name (its id in traces); no banner depends on it
      input: ({ self }) => feed.input({ id: 'feed', parent: self, forwardMessages: true }),
    }),
    on: {
      'link.ready': { actions: assign({ banner: 'online' }) },
      'link.reconnecting': {
        actions: assign({
          banner: ({ event }) =>
            `reconnecting in ${(event.delayMs / 1000).toFixed(1)} s (attempt ${event.attempt})`,
        }),
      },
      'link.failed': { actions: assign({ banner: ({ event }) => `offline: ${event.reason.message}` }) },
      'link.closed': { actions: assign({ banner: 'closed' }) },
      'link.message': { actions: assign({ messages: ({ context }) => context.messages + 1 }) },
      quit: { actions: sendTo('feed', { type: 'link.close' }) },
    },
  });
  return { machine, feed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.argv[2] ?? 'ws://127.0.0.1:8080';
  const { machine, feed } = createBannerMachine(url, { backoff: { maxAttempts: 5 } });
  const app = createActor(machine);
  let last = '';
  app.subscribe((snapshot) => {
    if (snapshot.context.banner === last) return;
    last = snapshot.context.banner;
    console.log(last);
  });
  app.start();
  const child = app.getSnapshot().children.feed;
  if (child) feed.handle(child).send('hello');
  process.once('SIGINT', () => app.send({ type: 'quit' }));
}
