/**
 * The application's clock as the runtime's own actors use it (the supervisor's socket actor, a
 * health watcher): a `setTimeout` or `clearTimeout` of it that throws would throw inside the
 * actor's step and leave the actor in XState's `error` status, failed without a word. Here the
 * throw is caught and handed to `failed`, once; the timer is not set (or counts as cleared), and
 * `failed` ends what it was for (./supervisor.ts: the linger, ./watcher.ts: the probing). Links
 * meet the clock through their own actor and fail on such a throw (docs/errors.md,
 * LV_ERR_LISTENER).
 */
import { type Clock, systemClock } from '../util/clock.js';
import { LinkvisorError } from '../util/errors.js';

/** `clock`, its timer calls unable to throw: the first throw is handed to `failed` as
 * LV_ERR_LISTENER (option `clock`) saying `what` became of it. The system clock as it is. */
export function guardedClock(clock: Clock, what: string, failed: (error: LinkvisorError) => void): Clock {
  if (clock === systemClock) return clock;
  let reported = false;
  const fail = (cause: unknown) => {
    if (reported) return;
    reported = true;
    failed(
      new LinkvisorError('LV_ERR_LISTENER', `the clock's timer threw: ${what}`, { option: 'clock', cause }),
    );
  };
  return {
    now: () => clock.now(),
    setTimeout: (fn, ms) => {
      try {
        return clock.setTimeout(fn, ms);
      } catch (error) {
        fail(error);
        return undefined;
      }
    },
    clearTimeout: (id) => {
      try {
        clock.clearTimeout(id);
      } catch (error) {
        fail(error);
      }
    },
  };
}
