/**
 * A link whose timers sit at setTimeout's ceiling (2^31 − 1 ms, the largest a `…Ms` option takes)
 * under the TestClock: its retry waits the whole delay, as under Node's setTimeout (which fires a
 * delay above the ceiling after 1 ms, never one at it). The TestClock's clamp (i27follow) must not
 * turn the library's own largest delays into 1 ms: they agree with the real clock.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';

const CEILING = 2 ** 31 - 1;

describe('a link at the timer ceiling under the TestClock', () => {
  it('a retry delay of 2^31 − 1 ms is pending as such and fires only when due', async () => {
    const clock = new TestClock();
    const network = createMemoryNetwork({ clock });
    const supervisor = createSupervisor({
      clock,
      transport: network.transport,
      heartbeat: false,
      networkSignals: false,
      backoff: {
        initialDelayMs: CEILING,
        maxDelayMs: CEILING,
        jitter: 'none',
        maxAttempts: Number.POSITIVE_INFINITY,
      },
      connectTimeoutMs: CEILING,
    });
    const link = supervisor.connect('mem://nobody');
    // When each attempt began, and when the link last went to wait for its retry.
    const attempts: number[] = [];
    let waitingSince = Number.NaN;
    link.on('state', ({ to }) => {
      if (to === 'reconnecting') waitingSince = clock.now();
      else attempts.push(clock.now());
    });
    await clock.advance(10);
    expect(link.state).toBe('reconnecting');
    expect(clock.pendingDelays()).toEqual([CEILING]); // not 1 ms: at the ceiling, not above it
    expect(attempts).toHaveLength(1);
    const due = waitingSince + CEILING;
    await clock.advance(due - 1 - clock.now());
    expect(attempts).toHaveLength(1); // 1 ms before it is due: not yet
    await clock.advance(1);
    expect(attempts).toEqual([0, due]);
    const closed = supervisor.close();
    await clock.advance(60_000);
    await closed;
  });
});
