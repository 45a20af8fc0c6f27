/**
 * How a promise settled, for tests of waits that may hang: `resolved`, the LinkvisorError's code
 * (and option) with its `cause`, or `hung` after a 5 s bound (generous: every call it is used on
 * settles at once or within a few event-loop turns).
 */
import type { LinkvisorError } from '../../src/index.js';

/** How a call settled: its code (and option), or 'resolved'; a 5 s bound reads 'hung'. */
export async function settled(promise: Promise<unknown>): Promise<{ outcome: string; cause?: unknown }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<{ outcome: string }>((resolve) => {
    timer = setTimeout(() => resolve({ outcome: 'hung' }), 5_000);
  });
  const done = promise.then(
    () => ({ outcome: 'resolved' }),
    (error: LinkvisorError) => ({
      outcome: `${error.code}${error.option ? ` ${error.option}` : ''}`,
      cause: error.cause,
    }),
  );
  return Promise.race([done, limit]).finally(() => clearTimeout(timer));
}
