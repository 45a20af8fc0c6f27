/**
 * A paused link whose actor completes (a defineLink child, a drop-in's root actor with `inspect`:
 * ./link-observer.ts's LinkObserver, which ends the link on the actor's `complete` right after its
 * final snapshot) ends only once its terminated compressed socket has handed over what it had read:
 * every late message is reported `dropped` (`unread`) before `closed` and before `ended()` resolves,
 * as for a supervisor's link (./pause-unread.test.ts); so too when its parent stops it (its socket is
 * terminated as its transport actor stops, before the link's end). On a real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createActor, sendTo, setup, stopChild } from 'xstate';
import { defineLink } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { sleep } from '../helpers/wait.js';
import { numbered, sendAll } from './send-all.js';
import { unreadReports } from './unread-reports.js';

const BODY = 'x'.repeat(300);

describe('a paused defineLink child terminated with compressed messages read', () => {
  const h = useHarness();

  for (const how of ['end', 'stop'] as const) {
    it(`${how === 'end' ? 'terminated (link.terminate)' : 'stopped by its parent'}: every late message is reported before ended() resolves`, async () => {
      const sockets: WebSocket[] = [];
      const server = await h.wsServer({
        onConnection: (ws) => sockets.push(ws),
        perMessageDeflate: { threshold: 0 },
      });
      const feed = defineLink(server.url, { heartbeat: { intervalMs: 200, timeoutMs: 300 } });
      const app = createActor(
        setup({ actors: { feed: feed.machine } }).createMachine({
          invoke: { id: 'feed', src: 'feed', input: () => feed.input({ id: 'late' }) },
          on: {
            end: { actions: sendTo('feed', { type: 'link.terminate' }) },
            stop: { actions: stopChild('feed') },
          },
        }),
      ).start();
      h.defer(() => app.stop());
      const link = feed.handle(app.getSnapshot().children.feed as never);
      const { unread, events } = unreadReports(link);
      await link.ready();
      expect(link.pause()).toBe(true);
      await sendAll(sockets[0], numbered(0, 20, BODY));
      app.send({ type: how });
      await link.ended();
      const atEnd = { unread: [...unread], events: [...events] };
      await sleep(150);
      expect({ unread, events }).toEqual({
        unread: Array.from({ length: 20 }, (_, i) => i),
        // A stopped actor reaches no closed state: no closed event.
        events: how === 'end' ? ['dropped', 'closed'] : ['dropped'],
      });
      expect(atEnd).toEqual({ unread, events });
    });
  }
});
