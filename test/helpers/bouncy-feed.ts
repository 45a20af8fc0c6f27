/**
 * The first half of the trace tests' bouncy session, on the memory network and the simulated clock
 * (seed 41, clock from 1,000 ms): link `feed` (heartbeat 1 s + 400 ms, backoff from 100 ms) comes
 * up, its server drops it (1012 restart) and it comes back. The caller goes on with the returned
 * session and ends it with `finish()` (the trace).
 */
import { FEED_URL, startMemorySession } from '../trace/memory-session.js';

export async function startBouncyFeed() {
  const session = startMemorySession({ seed: 41, startMs: 1_000 });
  session.supervisor.connect(FEED_URL, {
    id: 'feed',
    heartbeat: { intervalMs: 1_000, timeoutMs: 400, maxMissed: 2 },
    backoff: { initialDelayMs: 100, maxDelayMs: 2_000 },
  });
  await session.clock.advance(2_500);
  session.server.dropAll(1012, 'restart');
  await session.clock.advance(3_000);
  return session;
}
