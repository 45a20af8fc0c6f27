/**
 * A defineLink link's end as its definition sees it first (`release` in src/runtime/define-link.ts:
 * the definition's watch of the actor, made at its first attempt, hears the stop before a handle
 * taken later): release ends the attempt and drops what is queued without waiting for the paused
 * socket's last read, while the handle's end (Link.finish) waits. A compressed socket (ws inflates
 * on zlib's threads, held here: ./thread-pool.ts) then hands its messages over after the stop:
 * each is reported `dropped` (`unread`), in order, none twice, none after `ended()` resolved
 * (the handle's end waits for the last read; release's drop only makes a late one reported at
 * once). This held before this test was written: a regression guard for the lead's question.
 * Without a handle no drop is heard at all (only messages are forwarded to a parent). Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createActor } from 'xstate';
import { defineLink } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { sleep } from '../helpers/wait.js';
import { numbered, sendAll } from './send-all.js';
import { holdThreadPool } from './thread-pool.js';

const BODY = 'x'.repeat(300);

describe('a defineLink link stopped while paused, its definition hearing the stop first', () => {
  const h = useHarness();

  for (const end of ['stop', 'close'] as const) {
    it(`${end}: every late message reported unread, in order, once, before ended() resolves`, async () => {
      const sockets: WebSocket[] = [];
      const server = await h.wsServer({
        onConnection: (ws) => sockets.push(ws),
        perMessageDeflate: { threshold: 0 },
      });
      const feed = defineLink(server.url, { heartbeat: false, closeTimeoutMs: 2_000 });
      const actor = createActor(feed.machine, { input: feed.input({ id: 'late' }) });
      actor.start();
      h.defer(() => actor.stop());
      // The handle after the first attempt: the definition watches the actor first.
      await sleep(0);
      const link = feed.handle(actor);
      const unread: number[] = [];
      const other: string[] = [];
      let ended = false;
      let afterEnd = 0;
      link.on('dropped', ({ data, reason }) => {
        if (reason !== 'unread') other.push(reason);
        else unread.push(Number.parseInt(String(data), 10));
        if (ended) afterEnd++;
      });
      link.on('message', (data) => other.push(`message ${String(data).slice(0, 3)}`));
      await link.ready();
      expect(link.pause()).toBe(true);
      await sendAll(sockets[0], numbered(0, 20, BODY));
      const pool = holdThreadPool();
      h.defer(() => pool.release());
      if (end === 'stop') actor.stop();
      else void link.close();
      const done = link.ended().then(() => {
        ended = true;
      });
      await sleep(100);
      // The pool held: nothing inflated yet, nothing reported, the end waits for the last read.
      expect({ held: pool.held(), unread: unread.length, ended }).toEqual({
        held: true,
        unread: 0,
        ended: false,
      });
      pool.release();
      await done;
      const atEnd = [...unread];
      await sleep(150);
      expect({ unread, other, afterEnd }).toEqual({
        unread: Array.from({ length: 20 }, (_, i) => i),
        other: [],
        afterEnd: 0,
      });
      expect(atEnd).toEqual(unread);
    });
  }
});
