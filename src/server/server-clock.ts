/**
 * The application's clock as a `resumable` server uses it (./resumable.ts): the session charts'
 * `ackDelay` and `sessionTtl`, each socket's greeting chart's `helloTimeout`, and `now()` as a
 * session receives and acknowledges. A `setTimeout` of it that throws would throw inside the
 * chart's step and leave the actor in XState's `error` status: an away session never expiring,
 * its actor's error unhandled (it ends the process). Here the throw is caught and reported once
 * (LV_ERR_LISTENER, option `clock`), and the timer is set on the system clock instead, with the
 * same delay: an away session still lives its TTL, the ack waits its delay, a socket still has
 * its hello timeout (a timer run at once instead would expire every away session as it leaves and
 * close every new socket before its hello could arrive: no client could ever get a session).
 * A `clearTimeout` that throws is reported too, and its timer, still set on the clock, does
 * nothing when it fires: it would fire its chart's delayed event late, into a state entered again
 * since (an away session expiring before its TTL). A `now()` that throws (it would throw out of a
 * socket's `message` event and end the process) is reported, and the system clock's time taken
 * instead (the server's acks go out by its charts' timers, not by that time). The system clock
 * as it is (it does not throw).
 */
import { type Clock, systemClock } from '../util/clock.js';
import { LinkvisorError } from '../util/errors.js';

/** A timer as the server's charts hold it. */
interface ServerTimer {
  /** What it runs; dropped once cleared (a clock that cannot clear keeps no chart alive). */
  fn?: (() => void) | undefined;
  /** The clock's own timer, or the system clock's when its `setTimeout` threw. */
  id?: unknown;
  /** Set on the system clock (the application's threw). */
  system?: boolean;
}

/** `clock`, unable to throw (see the file header); `failed` hears the first throw. */
export function serverClock(clock: Clock, failed: (error: LinkvisorError) => void): Clock {
  if (clock === systemClock) return clock;
  let reported = false;
  const fail = (call: string, cause: unknown) => {
    if (reported) return;
    reported = true;
    failed(
      new LinkvisorError(
        'LV_ERR_LISTENER',
        `the clock's ${call} threw: a timer it cannot set is set on the system clock, one it cannot clear does nothing, a time it cannot tell is the system clock's`,
        { option: 'clock', cause },
      ),
    );
  };
  return {
    now: () => {
      try {
        return clock.now();
      } catch (error) {
        fail('now', error);
        return systemClock.now();
      }
    },
    setTimeout: (fn, ms) => {
      const timer: ServerTimer = { fn };
      const run = () => timer.fn?.();
      try {
        timer.id = clock.setTimeout(run, ms);
      } catch (error) {
        fail('setTimeout', error);
        timer.system = true;
        timer.id = systemClock.setTimeout(run, ms);
      }
      return timer;
    },
    clearTimeout: (handle) => {
      const timer = handle as ServerTimer;
      if (!timer.fn) return;
      timer.fn = undefined;
      if (timer.system) return systemClock.clearTimeout(timer.id);
      try {
        clock.clearTimeout(timer.id);
      } catch (error) {
        fail('clearTimeout', error);
      }
    },
  };
}
