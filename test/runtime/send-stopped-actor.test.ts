/**
 * A defineLink link whose actor is stopped inside its transport's send(): the end cannot wait for
 * that send() to return (release in src/runtime/define-link.ts drops what is queued at once), so
 * the message is reported when it returns, if the transport did not take it (`dropped`, `closed`,
 * once; send() returns 'dropped'), and never if it did ('sent'). A guard for the review's smaller
 * form of LinkWire.afterWrite (i37wirerev: the end that ran already leaves an empty list of steps,
 * and the outermost send() reports what it did not write). Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { defineLink, type Transport, type TransportConnection, wsTransport } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { sleep } from '../helpers/wait.js';

/** ws, except that a send() of `marked` writes it, calls `hook`, then says `says` (written or not). */
function endsInSend(marked: string, hook: () => void, says: boolean): Transport {
  const base = wsTransport;
  return {
    ...base,
    name: 'ends-in-send',
    connect(target, handlers, context) {
      const inner: TransportConnection = base.connect(target, handlers, context);
      return {
        send(data) {
          if (data !== marked) return inner.send(data);
          const written = inner.send(data);
          hook();
          return says && written;
        },
        ping: () => inner.ping(),
        close: (code, reason) => inner.close(code, reason),
        terminate: () => inner.terminate(),
        get bufferedAmount() {
          return inner.bufferedAmount;
        },
      };
    },
  };
}

describe('a defineLink actor stopped inside its transport send()', () => {
  const h = useHarness();

  for (const says of [false, true]) {
    it(`the transport says ${says}: ${says ? "'sent', never dropped" : "'dropped', reported once"}`, async () => {
      const server = await h.wsServer();
      let stop = () => {};
      const feed = defineLink(
        server.url,
        { heartbeat: false },
        { transport: endsInSend('m', () => stop(), says) },
      );
      const actor = createActor(feed.machine, { input: feed.input({ id: 'stopped-in-send' }) });
      stop = () => actor.stop();
      actor.start();
      h.defer(() => actor.stop());
      await sleep(0);
      const link = feed.handle(actor);
      const dropped: string[] = [];
      link.on('dropped', ({ data, reason }) => dropped.push(`${String(data)} ${reason}`));
      await link.ready();
      expect(link.send('m')).toBe(says ? 'sent' : 'dropped');
      await sleep(50);
      expect(dropped).toEqual(says ? [] : ['m closed']);
    });
  }
});
