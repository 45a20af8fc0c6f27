/**
 * The supervisor's `whenUp()` calls waiting for a first ready link (./supervisor.ts): each resolves
 * on the next `up` and is forgotten then (none kept until close); those still waiting when the
 * supervisor has closed are rejected (LV_ERR_SUPERVISOR_CLOSED).
 */
import type { LinkvisorError } from '../util/errors.js';

export class UpWaiters {
  /** Rejections of the calls waiting. */
  private readonly waiting = new Set<() => void>();

  constructor(
    /** Adds a listener of the supervisor's `up`; returns the function that removes it. */
    private readonly onUp: (listener: () => void) => () => void,
    private readonly closedError: () => LinkvisorError,
  ) {}

  /** A promise of the next `up`. */
  wait(): Promise<void> {
    return new Promise((resolve, reject) => {
      const offUp = this.onUp(() => {
        offUp();
        this.waiting.delete(fail);
        resolve();
      });
      const fail = () => reject(this.closedError());
      this.waiting.add(fail);
    });
  }

  /** Rejects every call still waiting (the supervisor has closed). */
  failAll(): void {
    for (const fail of this.waiting) fail();
  }
}
