/**
 * XState's development build (the one vitest loads) warns when an action creator such as
 * `assign()`, `emit()` or `sendTo()` is called while a custom action is executing. The supervisor
 * runs its links as root actors and drives them from the socket chart's custom actions
 * (`spawnPeer`, `tellPeers`, `closePeer`), so each link that starts or reacts inside
 * one of those must not trip that warning: an application in development would see one line per
 * link (40,000 lines for 10,000 links). This test runs the whole lifecycle and expects silence.
 */
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { createSupervisor } from '../../src/index.js';
import { createMemoryNetwork, TestClock } from '../../src/testing/index.js';

describe('no XState development warnings', () => {
  let warn: MockInstance<typeof console.warn>;
  let error: MockInstance<typeof console.error>;

  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    error = vi.spyOn(console, 'error').mockImplementation(() => {});
  });

  afterEach(() => {
    warn.mockRestore();
    error.mockRestore();
  });

  /** The distinct first lines of what was printed. */
  function printed(): string[] {
    const lines = [...warn.mock.calls, ...error.mock.calls].map(
      (args) => String(args[0]).split('\n')[0] ?? '',
    );
    return [...new Set(lines)];
  }

  it('connect, ready, reconnect switch, drop, peer removal, close and terminate (also after the end) print nothing', async () => {
    const clock = new TestClock();
    const network = createMemoryNetwork({ clock });
    const server = network.listen('mem://svc');
    const supervisor = createSupervisor({
      clock,
      transport: network.transport,
      heartbeat: false,
      backoff: { initialDelayMs: 100, maxDelayMs: 100, jitter: 'none' },
    });
    const links = [0, 1, 2].map((i) => supervisor.connect('mem://svc', { id: `l${i}` }));
    await clock.advance(0);
    expect(links.map((l) => l.state)).toEqual(['ready', 'ready', 'ready']);

    supervisor.setReconnect(false);
    server.dropAll();
    await clock.advance(0);
    expect(links.map((l) => l.state)).toEqual(['suspended', 'suspended', 'suspended']);
    supervisor.setReconnect(true);
    await clock.advance(100);
    expect(links.map((l) => l.state)).toEqual(['ready', 'ready', 'ready']);

    await links[0]?.close();
    await supervisor.close();
    expect(supervisor.list()).toEqual([]);

    const other = createSupervisor({ clock, transport: network.transport, heartbeat: false });
    other.connect('mem://svc', { id: 'x' });
    await clock.advance(0);
    await other.terminate();
    // After the end: terminate() and setReconnect() on a closed supervisor are no-ops, not
    // events sent to a stopped actor.
    await supervisor.terminate();
    await other.terminate();
    supervisor.setReconnect(false);

    expect(printed()).toEqual([]);
  });
});
