/**
 * A `message` listener of a link that is NOT paused ends or reconnects the link while ws hands over
 * one read's batch of messages (several frames parsed from one TCP read; compressed ones inflated
 * on zlib's threads, one after the other; with `allowSynchronousEvents: false`, one a turn): every
 * message of the batch is delivered (in order, once) or reported `dropped` (`unread`), none is lost. Before, the socket was terminated and ws's later
 * `message` events swallowed. Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { defineLink, type Link, type Supervisor } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { batchServer, READS, writeOneRead } from './one-read.js';
import { deliveredAndUnread } from './unread-reports.js';

const N = 12;
const AT = 3;
const BATCH = Array.from({ length: N }, (_, i) => `${i} ${'x'.repeat(40)}`);
const ALL = Array.from({ length: N }, (_, i) => i);

type End = (link: Link, supervisor: Supervisor) => void;
/** How each end treats the rest: a close reads on until the peer answers its close frame (ws
 * hands over the rest meanwhile: delivered); a terminate delivers nothing more (reported). */
const ENDS: [string, End, 'delivered' | 'reported'][] = [
  ['link.close()', (link) => void link.close(), 'delivered'],
  ['supervisor.close()', (_, supervisor) => void supervisor.close(), 'delivered'],
  ['supervisor.terminate()', (_, supervisor) => void supervisor.terminate(), 'reported'],
];

describe.each(READS)(
  'one read of %s messages, a listener ends or reconnects the link',
  (_, compressed, synchronous) => {
    const h = useHarness();

    async function open() {
      const { server, sockets } = await batchServer(h, compressed);
      const supervisor = h.supervisor({ ...FAST, networkSignals: false });
      const link = supervisor.connect(server.url, { wsOptions: { allowSynchronousEvents: synchronous } });
      await link.ready();
      return { sockets, supervisor, link };
    }

    it.each(ENDS)(
      '%s: every message delivered or reported unread, nothing after the end',
      async (_, end, rest) => {
        const { sockets, supervisor, link } = await open();
        const { delivered, unread } = deliveredAndUnread(link);
        let ended = false;
        let afterEnd = 0;
        link.on('message', (data) => {
          if (ended) afterEnd++;
          if (String(data).startsWith(`${AT} `)) end(link, supervisor);
        });
        link.on('dropped', () => {
          if (ended) afterEnd++;
        });
        writeOneRead(sockets[0], BATCH, compressed);
        await link.ended();
        ended = true;
        await sleep(100);
        const split = rest === 'delivered' ? N : AT + 1;
        expect({ delivered, unread, afterEnd }).toEqual({
          delivered: ALL.slice(0, split),
          unread: ALL.slice(split),
          afterEnd: 0,
        });
      },
    );

    it('a reconnect: the rest of the batch delivered in order, before the new socket’s', async () => {
      const { sockets, link } = await open();
      const seen: string[] = [];
      const { unread } = deliveredAndUnread(link);
      link.on('message', (data) => {
        seen.push(String(data).split(' ')[0] as string);
        if (String(data).startsWith(`${AT} `)) link.actor.send({ type: 'link.reconnect' });
      });
      writeOneRead(sockets[0], BATCH, compressed);
      await waitFor(() => sockets.length === 2 && link.state === 'ready', { message: 'the new socket' });
      sockets[1]?.send('new');
      await waitFor(() => seen.includes('new'), { message: 'the new socket’s message' });
      await sleep(50);
      expect({ seen, unread }).toEqual({ seen: [...ALL.map(String), 'new'], unread: [] });
    });

    it('a defineLink actor stopped by the listener: the rest reported unread before ended() resolves', async () => {
      const { server, sockets } = await batchServer(h, compressed);
      const feed = defineLink(server.url, {
        heartbeat: false,
        wsOptions: { allowSynchronousEvents: synchronous },
      });
      const actor = createActor(feed.machine, { input: feed.input() }).start();
      h.defer(() => actor.stop());
      const link = feed.handle(actor);
      const { delivered, unread } = deliveredAndUnread(link);
      link.on('message', (data) => String(data).startsWith(`${AT} `) && actor.stop());
      await link.ready();
      writeOneRead(sockets[0], BATCH, compressed);
      await link.ended();
      const atEnd = { delivered: [...delivered], unread: [...unread] };
      await sleep(100);
      expect({ delivered, unread }).toEqual({ delivered: ALL.slice(0, AT + 1), unread: ALL.slice(AT + 1) });
      expect(atEnd).toEqual({ delivered, unread });
    });
  },
);
