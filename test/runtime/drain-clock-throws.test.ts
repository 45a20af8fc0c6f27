/**
 * A user clock that throws, met by a link's close that drains (src/runtime/attempt.ts): the drain
 * polls `bufferedAmount` on the clock while the socket still holds unsent bytes; its later polls
 * run in the clock's own timer callback, outside the link's actor, and the poll timer is cleared
 * when the attempt ends. Before: a `setTimeout` throwing in a later poll escaped as an uncaught
 * exception, and a `clearTimeout` throwing as the attempt ended failed the link's actor and left
 * the socket open for good (the attempt had let go of it before the throw). Now the drain's clock
 * is guarded (as the supervisor's own actors' clock, src/runtime/guarded-clock.ts): the throw is
 * reported (LV_ERR_LISTENER, option `clock`), the drain waits no longer, the close the application
 * asked for ends the link `closed`, its socket gone, close() settled. Real `ws` server on loopback
 * whose socket reads nothing (so the client's bytes stay buffered).
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { Clock, LinkvisorError } from '../../src/index.js';
import { DRAIN_POLL_MS } from '../../src/runtime/attempt.js';
import { recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

/** Real timers; the drain's poll delay throws from its `nth` setTimeout on, or its clearTimeout. */
function drainClock(which: 'setTimeout' | 'clearTimeout', nth: number): Clock {
  const polls = new Set<unknown>();
  let count = 0;
  return {
    now: () => performance.now(),
    setTimeout: (fn, ms) => {
      if (ms === DRAIN_POLL_MS && which === 'setTimeout' && ++count >= nth)
        throw new Error('this clock cannot count the drain');
      const handle = setTimeout(fn, ms);
      if (ms === DRAIN_POLL_MS) polls.add(handle);
      return handle;
    },
    clearTimeout: (handle) => {
      clearTimeout(handle as ReturnType<typeof setTimeout>);
      if (which === 'clearTimeout' && polls.has(handle))
        throw new Error('this clock cannot forget the drain');
    },
  };
}

const BIG = 'x'.repeat(8 * 1024 * 1024);
const CLOSE_TIMEOUT_MS = 300;

describe("a link's draining close meets a clock that throws", () => {
  const h = useHarness();

  for (const which of ['setTimeout', 'clearTimeout'] as const) {
    it(`its ${which} throws: reported, the link closed, its socket gone, close() settles`, async () => {
      const uncaught: unknown[] = [];
      const onUncaught = (error: unknown) => uncaught.push(error);
      process.on('uncaughtException', onUncaught);
      try {
        const held: { pause(): void; resume(): void }[] = [];
        const server = await h.wsServer({
          onConnection: (ws: WebSocket) => {
            const raw = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
            raw.pause();
            held.push(raw);
          },
        });
        const supervisor = h.supervisor({
          ...FAST,
          closeTimeoutMs: CLOSE_TIMEOUT_MS,
          clock: drainClock(which, 2),
        });
        const link = supervisor.connect(server.url);
        const log = recordEvents(link);
        const actorErrors: unknown[] = [];
        link.actor.subscribe({ error: (error) => actorErrors.push(error) });
        await link.ready();
        link.send(BIG);
        link.send(BIG);
        await waitFor(() => server.clients.size === 1, { message: 'the server holds the socket' });
        await link.close();
        expect(uncaught).toEqual([]);
        // The close the application asked for ends it (its actor never errors): closed, reported.
        expect(link.state).toBe('closed');
        expect(actorErrors).toEqual([]);
        const errors = log.of<LinkvisorError>('error');
        expect(errors.map((e) => [e.code, e.option])).toEqual([['LV_ERR_LISTENER', 'clock']]);
        expect(errors[0]?.cause).toMatchObject({ message: expect.stringMatching(/the drain/) });
        // The server reads again: it sees the client's socket end (a leaked one stays).
        for (const raw of held) raw.resume();
        await waitFor(() => server.clients.size === 0, {
          message: 'the server holds no socket',
          timeoutMs: 5_000,
        });
        await supervisor.close();
      } finally {
        process.off('uncaughtException', onUncaught);
      }
    });
  }
});
