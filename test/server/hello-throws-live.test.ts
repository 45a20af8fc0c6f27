/**
 * ./unaccepted.ts's path for a session live before the hello (shared-store-claim-throws covers a
 * session made for it): the client of a live session on A, its socket half-open, connects again;
 * the new socket's `send` throws as the welcome goes out. Reported, that socket terminated, and
 * the session, attached to it by the hello, is let go as if it had closed (1006): `away`, its TTL
 * runs, and at its expiry what it held is reported (m0: acknowledged by the hello; m1, sent since). Real `ws` server on 127.0.0.1 port 0, TTL on a
 * simulated clock.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { oneSessionOnA } from './one-session-on-a.js';

describe("a hello for a live session whose welcome's send throws", () => {
  const h = useHarness();

  it('the session is let go (away), expires after its TTL and reports what it held', async () => {
    const clock = new TestClock();
    const { server, a, errors, events, onA, client } = await oneSessionOnA(h, {
      store: memoryStore({ clock }),
      sessionTtlMs: 5_000,
      clock,
    });
    onA.on('away', () => events.push('away'));
    client.leaveHalfOpen();
    server.wss.prependListener('connection', (ws) => {
      ws.send = () => {
        throw new Error('send failed');
      };
    });
    await expect(client.connect(server.url)).rejects.toThrow();
    await waitFor(() => errors.length > 0, { message: 'reported' });
    expect(errors.map((e) => e.message).join()).toMatch(/answering a resume hello failed/);
    await waitFor(() => events.includes('away'), { message: 'away' });
    expect(a.size).toBe(1);
    expect(onA.send('m1')).toBe('buffered');
    await clock.advance(5_000);
    await waitFor(() => events.at(-1)?.startsWith('close') === true, { message: 'expired' });
    expect(events).toEqual(['away', 'dropped m1 expired', 'close expired']);
    expect(a.size).toBe(0);
  });
});
