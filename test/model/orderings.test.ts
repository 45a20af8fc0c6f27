/**
 * Orderings (fast-check `scheduler`): the per-attempt URL function, the handshake's await, a
 * server drop, a message and `close()` complete in every order the scheduler picks. Whatever the
 * order: `close()` resolves, the link ends `closed`, no event follows `closed`, no socket and no
 * timer is left, and a message is either received once or reported `dropped`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork, settle, TestClock } from '../../src/testing/index.js';

describe('orderings of concurrent work', () => {
  it('close(), drops, slow URL and handshake in any order leave nothing behind', async () => {
    const seed = Number(process.env.LV_SEED ?? Date.now() % 2 ** 31);
    console.log(`orderings.test seed: ${seed}`);
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const clock = new TestClock();
        const network = createMemoryNetwork({ clock, inProcess: false });
        const server = network.listen('mem://svc');
        const received: string[] = [];
        server.onConnection((peer) =>
          peer.onMessage((data) => {
            if (data === 'hello') peer.send('ok');
            else received.push(String(data));
          }),
        );
        const supervisor = createSupervisor({
          transport: network.transport,
          clock,
          heartbeat: false,
          backoff: { initialDelayMs: 10, maxDelayMs: 10, jitter: 'none' },
          handshake: async ({ send, next }) => {
            await s.schedule(Promise.resolve('before hello'));
            send('hello');
            if (String(await next()) !== 'ok') throw new Error('bad ack');
          },
        });
        const link = supervisor.connect(() => s.schedule(Promise.resolve('mem://svc'), 'resolve URL'));
        const events: string[] = [];
        let closedAt = -1;
        for (const name of [
          'state',
          'ready',
          'message',
          'reconnecting',
          'lost',
          'dropped',
          'failed',
        ] as const) {
          link.on(name, () => events.push(name));
        }
        link.on('closed', () => {
          events.push('closed');
          closedAt = events.length;
        });
        let dropped = false;
        link.on('dropped', () => {
          dropped = true;
        });
        expect(link.send('m1')).toBe('queued');
        let closing: Promise<void> | null = null;
        s.schedule(Promise.resolve(), 'server drop').then(() => server.dropAll(1006));
        s.schedule(Promise.resolve(), 'close()').then(() => {
          closing = link.close();
        });
        // Let the scheduler release everything, with time passing between releases.
        for (let i = 0; i < 50 && (s.count() > 0 || !closing); i++) {
          if (s.count() > 0) await s.waitOne();
          await clock.advance(5);
        }
        await s.waitAll();
        for (let i = 0; i < 100 && link.state !== 'closed'; i++) await clock.advance(10);
        await closing;
        await settle();
        expect(link.state).toBe('closed');
        expect(events.length, `events after closed: ${events.join(',')}`).toBe(closedAt);
        expect(server.peers.length).toBe(0);
        expect(clock.pending).toBe(0);
        const m1 = received.filter((m) => m === 'm1').length;
        expect(m1 <= 1, 'm1 delivered twice').toBe(true);
        expect(m1 === 1 || dropped || server.lost.includes('m1'), 'm1 vanished').toBe(true);
        await supervisor.terminate();
      }),
      { seed, numRuns: 100 },
    );
  });
});
