/**
 * `supervisor.terminate()` from a `message` listener while messages read behind the application
 * handshake are still being delivered after the ready step (src/runtime/held-messages.ts): the
 * ones not delivered are reported `dropped` (reason `unread`), and in the order every link's end
 * tells it (docs/lifecycle.md: within one step `state` first; `dropped` before `closed`, nothing
 * after): `state → closed`, then the `dropped`, then `closed`. Before, the `dropped` came ahead of
 * the `state` event, from inside the terminating step. Real ws server on 127.0.0.1 port 0.
 */
import { describe, expect, it } from 'vitest';
import { FAST, useHarness } from '../helpers/harness.js';
import { settled } from '../helpers/settled.js';
import { useStrayErrors } from '../helpers/stray-errors.js';
import { until } from './gaps.js';

describe('terminate() while held messages are delivered', () => {
  const h = useHarness();
  const stray = useStrayErrors({ exceptions: true });

  for (const at of [0, 3, 8] as const) {
    it(`terminate() in the listener of held message #${at}: state, then dropped, then closed`, async () => {
      const server = await h.wsServer({
        onConnection: (ws) => {
          ws.send('welcome');
          for (let i = 0; i < 10; i++) ws.send(`m${i}`);
        },
      });
      const supervisor = h.supervisor(FAST);
      const link = supervisor.connect(server.url, {
        handshake: async (session) => {
          await session.next();
        },
      });
      const seen: string[] = [];
      let closing: Promise<{ outcome: string }> | null = null;
      let messages = 0;
      link.on('message', (data) => {
        seen.push(String(data));
        if (messages++ === at) closing = settled(supervisor.terminate());
      });
      link.on('state', ({ to }) => seen.push(`state ${to}`));
      link.on('dropped', ({ data, reason }) => seen.push(`dropped ${String(data)} ${reason}`));
      link.on('closed', () => seen.push('closed'));
      await until(() => closing !== null);
      expect((await (closing as unknown as Promise<{ outcome: string }>)).outcome).toBe('resolved');
      const delivered = Array.from({ length: at + 1 }, (_, i) => `m${i}`);
      const dropped = Array.from({ length: 9 - at }, (_, i) => `dropped m${at + 1 + i} unread`);
      expect(seen).toEqual([
        'state connecting',
        'state handshaking',
        'state ready',
        ...delivered,
        'state closed',
        ...dropped,
        'closed',
      ]);
      expect(stray).toEqual([]);
    });
  }
});
