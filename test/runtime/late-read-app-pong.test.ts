/**
 * Application heartbeat (`heartbeat.mode: 'app'`, the app's own ping/pong messages): a pong among
 * the messages a terminated socket hands over late (the rest of one read a `message` listener
 * interrupted by a reconnect: ./batch-end.test.ts) is the heartbeat's, as on every other path: never
 * delivered to the application as a message, never reported `dropped`. Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { batchServer, READS, writeOneRead } from './one-read.js';

const AT = '1';
const BATCH = ['0', '1', '2', 'pong', '4', '5'];

describe.each(READS)(
  'app heartbeat: a pong in the rest of a read a listener interrupted (%s)',
  (_, compressed, synchronous) => {
    const h = useHarness();

    async function open() {
      const { server, sockets } = await batchServer(h, compressed);
      const supervisor = h.supervisor({ ...FAST, networkSignals: false });
      const link = supervisor.connect(server.url, {
        heartbeat: {
          mode: 'app',
          intervalMs: 60_000,
          timeoutMs: 60_000,
          ping: () => 'ping',
          isPong: (d) => d === 'pong',
        },
        wsOptions: { allowSynchronousEvents: synchronous },
      });
      await link.ready();
      return { sockets, supervisor, link };
    }

    it('a reconnect: taken as the pong, never delivered, never reported', async () => {
      const { sockets, link } = await open();
      const delivered: string[] = [];
      const dropped: string[] = [];
      link.on('message', (data) => {
        delivered.push(String(data));
        if (String(data) === AT && sockets.length === 1) link.actor.send({ type: 'link.reconnect' });
      });
      link.on('dropped', ({ data }) => dropped.push(String(data)));
      writeOneRead(sockets[0], BATCH, compressed);
      await waitFor(() => sockets.length === 2 && link.state === 'ready', { message: 'the new socket' });
      await waitFor(() => delivered.length >= BATCH.length - 1, { message: 'the rest delivered' });
      await sleep(50);
      expect({ delivered, dropped }).toEqual({ delivered: ['0', '1', '2', '4', '5'], dropped: [] });
    }, 30_000);

    it('a terminate: the rest reported unread, but not the pong', async () => {
      const { sockets, supervisor, link } = await open();
      const delivered: string[] = [];
      const dropped: string[] = [];
      link.on('message', (data) => {
        delivered.push(String(data));
        if (String(data) === AT) void supervisor.terminate();
      });
      link.on('dropped', ({ data }) => dropped.push(String(data)));
      writeOneRead(sockets[0], BATCH, compressed);
      await waitFor(() => delivered.length + dropped.length >= BATCH.length - 1, {
        message: 'all accounted',
      });
      await sleep(50);
      expect({ delivered, dropped }).toEqual({ delivered: ['0', '1'], dropped: ['2', '4', '5'] });
    }, 30_000);
  },
);
