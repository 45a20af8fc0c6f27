/**
 * A link's status() timestamps (`lastChange`, `readySince`) are read through its supervisor's
 * clock, as a watcher's are: under the simulated clock the gaps between them are simulated time,
 * not the few real milliseconds the test took.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';

describe('link status timestamps', () => {
  it('move with the supervisor clock: simulated time shows in lastChange and readySince', async () => {
    const clock = new TestClock();
    const network = createMemoryNetwork({ clock, inProcess: false });
    const server = network.listen('mem://svc');
    const supervisor = createSupervisor({ transport: network.transport, clock });
    const link = supervisor.connect('mem://svc');
    await clock.advance(0);
    await link.ready();
    const ready = link.status();
    const readySince = Date.parse(ready.readySince ?? '');
    expect(Date.parse(ready.lastChange ?? '')).toBe(readySince);

    await clock.advance(60_000);
    // Still ready: readySince stays; the minute passed only on the simulated clock.
    expect(Date.parse(link.status().readySince ?? '')).toBe(readySince);
    const lostAt = clock.now();
    server.dropAll(1006);
    await clock.advance(0);
    const down = link.status();
    expect(down.state).not.toBe('ready');
    expect(Date.parse(down.lastChange ?? '') - readySince).toBeGreaterThanOrEqual(60_000);
    expect(Date.parse(down.lastChange ?? '') - readySince).toBeLessThan(
      60_000 + (clock.now() - lostAt) + 1_000,
    );
    await supervisor.close();
  });
});
