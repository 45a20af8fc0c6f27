/**
 * The overflow both shared-store overflow tests drive (./shared-store-overflow.test.ts, with
 * `putOwned`; ./shared-store-overflow-claim.test.ts, with `claimOwned`): with m0 buffered and the
 * client away, m1 still fits and m2 overflows (maxMessages 2); A's copy ends `overflow` having
 * reported each message `dropped` once, and A's `close()` after it reports nothing more.
 */
import { expect } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import type { oneSessionOnA } from './one-session-on-a.js';

type SessionOnA = Awaited<ReturnType<typeof oneSessionOnA>>;

export async function overflowThenClose({ a, onA, events }: Pick<SessionOnA, 'a' | 'onA' | 'events'>) {
  expect(onA.send('m1')).toBe('buffered');
  onA.send('m2');
  await waitFor(() => events.includes('close overflow'), { message: 'overflowed' });
  await a.close();
  expect(events).toEqual([
    'dropped m0 overflow',
    'dropped m1 overflow',
    'dropped m2 overflow',
    'close overflow',
  ]);
}
