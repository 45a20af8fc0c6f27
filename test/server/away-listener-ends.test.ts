/**
 * A session ended by its own `away` listener (the application gives up on a client that dropped:
 * `session.on('away', () => session.close())`) on a real `ws` server (127.0.0.1, port 0): it is
 * over, so the server's away order must not take it in. Before the fix it did: `status()` counted
 * it away (attached -1), and the next departure beyond `maxAwaySessions` "evicted" it again (an
 * `evicted` event and count for a session already closed), while a live session away stayed.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore, type ResumableSession, resumable } from '../../src/server/index.js';
import { TestClock } from '../../src/testing/index.js';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { RawResumeClient } from './raw-resume-client.js';

describe('a session closed by its away listener', () => {
  const h = useHarness();

  it('is not counted away, never evicted, and leaves nothing in the cap or the store', async () => {
    const server = await h.wsServer();
    const clock = new TestClock();
    const store = memoryStore({ clock });
    const rs = resumable(server.wss, { maxAwaySessions: 1, clock, store });
    h.defer(() => rs.close());
    const sessions: ResumableSession[] = [];
    const events: string[] = [];
    rs.on('session', (s) => {
      const n = sessions.push(s) - 1;
      s.on('close', ({ reason }) => events.push(`${n} close ${reason}`));
      // The first session's application gives up on its client as soon as it leaves.
      if (n === 0) s.on('away', () => s.close());
    });
    rs.on('evicted', (s) => events.push(`${sessions.indexOf(s)} evicted`));

    const first = new RawResumeClient();
    const second = new RawResumeClient();
    h.defer(() => first.close());
    h.defer(() => second.close());
    expect(await first.connect(server.url)).toEqual({ outcome: 'new' });
    expect(await second.connect(server.url)).toEqual({ outcome: 'new' });

    first.drop();
    await waitFor(() => events.includes('0 close closed'), { message: 'the first session closed' });
    expect(rs.status()).toMatchObject({ sessions: 1, attached: 1, away: 0, evicted: 0 });

    // One away is within maxAwaySessions 1: the second session waits, nothing is evicted.
    second.drop();
    await waitFor(() => !(sessions[1] as ResumableSession).connected, { message: 'second away' });
    expect(rs.status()).toMatchObject({ sessions: 1, attached: 0, away: 1, evicted: 0 });
    expect(events).toEqual(['0 close closed']);
    expect(store.size).toBe(1);

    // The second client comes back to its session: nothing was lost to a wrong eviction.
    expect(await second.connect(server.url)).toMatchObject({ outcome: 'resumed' });
    await rs.close();
    expect(clock.pending).toBe(0);
    expect(store.size).toBe(0);
  });
});
