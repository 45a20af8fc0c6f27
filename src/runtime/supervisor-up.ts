/**
 * The supervisor's `whenUp()` calls waiting for a first ready link (./supervisor.ts): each resolves
 * on the next `up` and is forgotten then (none kept until close); those still waiting when the
 * supervisor has closed are rejected (LV_ERR_SUPERVISOR_CLOSED). Each may take an AbortSignal, as
 * `link.ready()` takes one (./ready-waiters.ts).
 */
import type { LinkvisorError } from '../util/errors.js';
import { abortableWait, readySignal } from './ready-waiters.js';

export class UpWaiters {
  /** Rejections of the calls waiting. */
  private readonly waiting = new Set<() => void>();

  constructor(
    /** Adds a listener of the supervisor's `up`; returns the function that removes it. */
    private readonly onUp: (listener: () => void) => () => void,
    private readonly closedError: () => LinkvisorError,
  ) {}

  /** A promise of the next `up` (`now`: up already, or closed, at the call), that the `signal` of
   * `options` (checked as `ready()`'s) aborts: an aborted one rejects first, whatever the state;
   * settled, it leaves no listener on the supervisor or the signal. */
  wait(options: unknown, now: 'up' | 'closed' | null): Promise<void> {
    return abortableWait<void>(readySignal(options), 'whenUp(): aborted', (resolve, reject) => {
      const fail = () => reject(this.closedError());
      if (now) {
        if (now === 'up') resolve();
        else fail();
        return () => {};
      }
      const offUp = this.onUp(() => resolve());
      this.waiting.add(fail);
      return () => {
        offUp();
        this.waiting.delete(fail);
      };
    });
  }

  /** Rejects every call still waiting (the supervisor has closed). */
  failAll(): void {
    for (const fail of [...this.waiting]) fail();
  }
}
