/**
 * The application's clock as a `resumable` server's charts use it (./resumable.ts): the session
 * charts' `ackDelay` and `sessionTtl`, each socket's greeting chart's `helloTimeout`. A
 * `setTimeout` of it that throws would throw inside the chart's step and leave the actor in
 * XState's `error` status: an away session never expiring, its actor's error unhandled (it ends
 * the process). Here the throw is caught and reported once (LV_ERR_LISTENER, option `clock`), and
 * the timer runs at once (in a microtask, outside the step): an away session expires, the pending
 * ack goes out, a socket without a session is closed; a `clearTimeout` that throws counts as
 * cleared. The system clock as it is (it does not throw).
 */
import { type Clock, systemClock } from '../util/clock.js';
import { LinkvisorError } from '../util/errors.js';

/** A timer that the clock could not set: it runs in a microtask unless cleared first. */
interface RunAtOnce {
  cleared: boolean;
}

/** `clock`, its timer calls unable to throw (see the file header); `failed` hears the first throw. */
export function serverClock(clock: Clock, failed: (error: LinkvisorError) => void): Clock {
  if (clock === systemClock) return clock;
  let reported = false;
  const fail = (cause: unknown) => {
    if (reported) return;
    reported = true;
    failed(
      new LinkvisorError(
        'LV_ERR_LISTENER',
        "the clock's timer threw: the server's timers that it cannot set run at once (an away session expires, an ack goes out, a socket without a session closes)",
        { option: 'clock', cause },
      ),
    );
  };
  const atOnce = new WeakSet<RunAtOnce>();
  return {
    now: () => clock.now(),
    setTimeout: (fn, ms) => {
      try {
        return clock.setTimeout(fn, ms);
      } catch (error) {
        fail(error);
        const timer: RunAtOnce = { cleared: false };
        atOnce.add(timer);
        queueMicrotask(() => {
          if (!timer.cleared) fn();
        });
        return timer;
      }
    },
    clearTimeout: (id) => {
      if (atOnce.has(id as RunAtOnce)) {
        (id as RunAtOnce).cleared = true;
        return;
      }
      try {
        clock.clearTimeout(id);
      } catch (error) {
        fail(error);
      }
    },
  };
}
