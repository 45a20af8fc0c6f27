/**
 * A user clock whose setTimeout or clearTimeout throws, met by the supervisor's own actors: the
 * socket actor (its linger timer) and a health watcher (its probe, poll and retry timers). Neither
 * actor ends in XState's `error` status; the throw is reported on the supervisor's `error` event
 * (LV_ERR_LISTENER, option `clock`); what the timer was for ends: a close whose linger cannot be
 * counted ends every link at once (as terminate()), a watcher that cannot count its next probe
 * stops (state `stopped`, not ready). Before, each actor failed silently: the socket actor in
 * `error` with nothing reported, and the watcher kept saying `ready` for ever while nothing probed
 * (it had even left the supervisor's watchers). Links meeting such a clock fail on their own
 * (test/integration/write-errors-transport.test.ts). Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { Clock, LinkvisorError } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

/** The real timers, but `setTimeout` (or `clearTimeout`) throws for one delay: `bad` ms. */
function clockFailingAt(bad: number, which: 'setTimeout' | 'clearTimeout'): Clock {
  const delays = new Map<unknown, number>();
  return {
    now: () => performance.now(),
    setTimeout: (fn, ms) => {
      if (which === 'setTimeout' && ms === bad) throw new Error(`this clock cannot count to ${bad}`);
      const handle = setTimeout(fn, ms);
      delays.set(handle, ms);
      return handle;
    },
    clearTimeout: (handle) => {
      const ms = delays.get(handle);
      delays.delete(handle);
      clearTimeout(handle as ReturnType<typeof setTimeout>);
      if (which === 'clearTimeout' && ms === bad) throw new Error(`this clock cannot forget ${bad}`);
    },
  };
}

const LINGER_MS = 4_999;
const POLL_MS = 7_777;
const PROBE_TIMEOUT_MS = 6_666;

describe("a clock that throws, met by the supervisor's own actors", () => {
  const h = useHarness();

  it('the linger timer: the socket actor does not error, the throw is reported, close() ends every link at once', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({
      ...FAST,
      lingerMs: LINGER_MS,
      clock: clockFailingAt(LINGER_MS, 'setTimeout'),
    });
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (error) => errors.push(error));
    const link = supervisor.connect(server.url);
    await link.ready();
    const socket = (supervisor as unknown as { socket: { getSnapshot(): { status: string } } }).socket;
    await supervisor.close();
    expect(socket.getSnapshot().status).not.toBe('error');
    expect(errors.map((e) => [e.code, e.option])).toEqual([['LV_ERR_LISTENER', 'clock']]);
    expect(errors[0]?.message).toMatch(/linger/);
    expect(link.state).toBe('closed');
    expect(supervisor.list()).toEqual([]);
  });

  for (const [which, bad, what] of [
    ['setTimeout', POLL_MS, 'its poll timer'],
    ['clearTimeout', PROBE_TIMEOUT_MS, 'the probe timeout it cancels'],
  ] as const) {
    it(`a watcher whose clock's ${which} throws (${what}): it stops, reported, never stays ready`, async () => {
      const supervisor = h.supervisor({ ...FAST, clock: clockFailingAt(bad, which) });
      const errors: LinkvisorError[] = [];
      supervisor.on('error', (error) => errors.push(error));
      const watcher = supervisor.watch({
        name: 'db',
        probe: async () => {},
        pollIntervalMs: POLL_MS,
        probeTimeoutMs: PROBE_TIMEOUT_MS,
      });
      await waitFor(() => errors.length > 0, { message: 'the error event' });
      await waitFor(() => watcher.status().state === 'stopped', { message: 'the watcher stopped' });
      expect(watcher.actor.getSnapshot().status).not.toBe('error');
      expect(watcher.isReady()).toBe(false);
      expect(watcher.status()).toMatchObject({ state: 'stopped', ready: false });
      expect(errors.map((e) => [e.code, e.option])).toEqual([['LV_ERR_LISTENER', 'clock']]);
      expect(errors[0]?.message).toMatch(/watcher 'db'/);
      expect(supervisor.watcher('db')).toBeUndefined();
      await watcher.stop();
      await supervisor.close();
    });
  }
});
