/**
 * A paused link that ends outside its chart's teardown (its actor failed: a user clock that throws;
 * or its actor was stopped from outside: a defineLink root actor whose handle was taken before it
 * started, so the link hears the stop before its definition does) terminates its socket as it ends; a compressed socket (permessage-deflate: ws inflates on zlib's
 * threads) then hands over late what Node had read. Every such message is reported `dropped`
 * (`unread`) before the link's `failed` event and before `ended()` resolves: nothing comes after
 * the end (DESIGN.md: "a link that ends reports dropped before closed/failed, and nothing after").
 * On a real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { createActor } from 'xstate';
import { defineLink } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep } from '../helpers/wait.js';
import { numbered, sendAll } from './send-all.js';
import { unreadReports } from './unread-reports.js';

const BODY = 'x'.repeat(300);
const HEARTBEAT_MS = 321;

describe('a paused link whose actor fails, with compressed messages read', () => {
  const h = useHarness();

  it('every late message is reported dropped (unread) before failed and before ended() resolves', async () => {
    const sockets: WebSocket[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => sockets.push(ws),
      perMessageDeflate: { threshold: 0 },
    });
    let broken = false;
    const clock = {
      now: () => Date.now(),
      setTimeout: (fn: () => void, ms: number): unknown => {
        if (broken && ms === HEARTBEAT_MS) throw new Error('the clock broke');
        return setTimeout(fn, ms);
      },
      clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    const supervisor = h.supervisor({ ...FAST, clock, networkSignals: false });
    const link = supervisor.connect(server.url, { heartbeat: { intervalMs: HEARTBEAT_MS, timeoutMs: 300 } });
    const { unread, events } = unreadReports(link);
    await link.ready();
    expect(link.pause()).toBe(true);
    await sendAll(sockets[0], numbered(0, 20, BODY));
    // The paused link's next probe (every heartbeat interval) fails its actor.
    broken = true;
    await link.ended();
    const atEnd = { unread: [...unread], events: [...events] };
    await sleep(150);
    expect(link.state).toBe('failed');
    expect({ unread, events }).toEqual({
      unread: Array.from({ length: 20 }, (_, i) => i),
      events: ['dropped', 'failed'],
    });
    expect(atEnd).toEqual({ unread, events });
  });

  it('a defineLink root actor stopped from outside: every late message is reported before ended() resolves', async () => {
    const sockets: WebSocket[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => sockets.push(ws),
      perMessageDeflate: { threshold: 0 },
    });
    const feed = defineLink(server.url, { heartbeat: { intervalMs: 200, timeoutMs: 300 } });
    const actor = createActor(feed.machine, { input: feed.input({ id: 'root' }) });
    // Its handle first: the link observes the actor before the definition's own watch (made at
    // the first attempt), so the stop reaches the link first.
    const link = feed.handle(actor);
    actor.start();
    h.defer(() => actor.stop());
    const unread: number[] = [];
    let ended = false;
    let afterEnd = 0;
    link.on('dropped', ({ data, reason }) => {
      expect(reason).toBe('unread');
      unread.push(Number.parseInt(String(data), 10));
      if (ended) afterEnd++;
    });
    await link.ready();
    expect(link.pause()).toBe(true);
    await sendAll(sockets[0], numbered(0, 20, BODY));
    actor.stop();
    await link.ended();
    ended = true;
    const atEnd = [...unread];
    await sleep(150);
    expect({ unread, afterEnd }).toEqual({ unread: Array.from({ length: 20 }, (_, i) => i), afterEnd: 0 });
    expect(atEnd).toEqual(unread);
  });
});
