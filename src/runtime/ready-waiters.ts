/**
 * The `ready()` calls waiting on one link (./link.ts): settled by the link's own steps (ready, or
 * its end: `settleWaiters`), or by their abort signal, never through listeners.
 */
import { LinkvisorError } from '../util/errors.js';

/** How a waiting `ready()` ends: ready, ended (failed, closed, or stopped without either), aborted. */
export type WaitOutcome = 'ready' | 'ended' | 'aborted';

/** A link's waiting `ready()` calls (made on the first, dropped by the link when the last settles). */
export type ReadyWaiters = Set<(outcome: WaitOutcome) => void>;

/**
 * One `ready()` call of link `linkId`, waiting in `waiters`: resolves when it is ready, rejects
 * when it ends (with `overError()`'s error) or `signal` aborts. `emptied`: the last one settled.
 */
export function waitReady(
  waiters: ReadyWaiters,
  linkId: string,
  signal: AbortSignal | undefined,
  overError: () => LinkvisorError | null,
  emptied: () => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const waiter = (outcome: WaitOutcome) => {
      waiters.delete(waiter);
      if (waiters.size === 0) emptied();
      signal?.removeEventListener('abort', onAbort);
      if (outcome === 'ready') resolve();
      else if (outcome === 'aborted') {
        reject(new LinkvisorError('LV_ERR_ABORTED', `ready(): aborted for ${linkId}`));
      }
      // Failed, closed, or ended without either (stopped by its parent): never hang.
      else reject(overError() ?? new LinkvisorError('LV_ERR_LINK_CLOSED', `link ${linkId} ended`));
    };
    const onAbort = () => waiter('aborted');
    waiters.add(waiter);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Settles every waiting `ready()` (in the order of the calls). */
export function settleWaiters(waiters: ReadyWaiters | null, outcome: WaitOutcome): void {
  if (waiters) for (const waiter of [...waiters]) waiter(outcome);
}
