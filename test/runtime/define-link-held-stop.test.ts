/**
 * docs/links.md: messages held behind a handshake (they came in one read with its reply) and a
 * defineLink actor stopped while they wait for their delivery, a microtask after the ready step
 * (HeldMessages.release): stopped by a `ready` listener (before the microtask) or by a `message`
 * listener among them. The stop ends the link as a terminated socket does (a defineLink actor
 * stopped mid-read: test/runtime/batch-end.test.ts): the messages before it are delivered, the
 * rest reported `dropped` (`unread`), in order, before `ended()` resolves; nothing reaches the
 * handle of a stopped actor. Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { defineLink } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { deliveredAndUnread } from './unread-reports.js';
import { welcomeHandshake, welcomeThen } from './welcome-handshake.js';

const N = 6;
const AT = 2;
const BATCH = Array.from({ length: N }, (_, i) => `${i} ${'x'.repeat(20)}`);

const onConnection = welcomeThen(BATCH);
const handshake = welcomeHandshake;

describe('a defineLink actor stopped while messages are held behind its handshake', () => {
  const h = useHarness();

  for (const where of ['ready', 'message'] as const) {
    it(`stopped by a ${where} listener`, async () => {
      const server = await h.wsServer({ onConnection });
      const feed = defineLink(server.url, { heartbeat: false, handshake });
      const actor = createActor(feed.machine, { input: feed.input({ id: 'held' }) }).start();
      h.defer(() => actor.stop());
      const link = feed.handle(actor);
      const { delivered, unread } = deliveredAndUnread(link);
      const events: string[] = [];
      link.on('ready', () => {
        events.push('ready');
        if (where === 'ready') actor.stop();
      });
      link.on('message', (data) => {
        events.push(`message ${String(data).split(' ')[0]} (${actor.getSnapshot().status})`);
        if (where === 'message' && String(data).startsWith(`${AT} `)) actor.stop();
      });
      link.on('dropped', ({ data }) => events.push(`dropped ${String(data).split(' ')[0]}`));
      await link.ended();
      const atEnd = [...events];
      await waitFor(() => server.clients.size === 0, { message: 'the socket gone on the server' });
      await sleep(100);
      // The stop ends the link as a terminated socket does (test/runtime/batch-end.test.ts): what
      // was held after it is reported `unread`, never delivered to a stopped actor's handle.
      const stoppedFrom = where === 'ready' ? 0 : AT + 1;
      expect(events).toEqual([
        'ready',
        ...BATCH.slice(0, stoppedFrom).map((_, i) => `message ${i} (active)`),
        ...BATCH.slice(stoppedFrom).map((_, i) => `dropped ${stoppedFrom + i}`),
      ]);
      expect({ delivered, unread }).toEqual({
        delivered: BATCH.slice(0, stoppedFrom).map((_, i) => i),
        unread: BATCH.slice(stoppedFrom).map((_, i) => stoppedFrom + i),
      });
      // All before ended() resolved, nothing after it.
      expect(atEnd).toEqual(events);
    });
  }
});
