/**
 * The drop-in's queue written on open (partysocket's: queued messages go out before `open` is
 * dispatched). A message the socket refuses is skipped and reported (a `dropped` event, reason
 * `invalid`): it never keeps the others from going out. Each is the queue's own copy, taken at
 * send(): the socket sends it as is, compressing or not (src/transports/owned-payload.ts).
 */
import type { Link } from '../runtime/link.js';
import { markOwned, takeOwned } from '../transports/owned-payload.js';
import type { Payload } from '../transports/payload.js';
import type { LinkvisorError } from '../util/errors.js';
import { DroppedEvent } from './ws-events.js';

/** Sends `queued` in order on `link`; the `dropped` events of those refused, to dispatch. */
export function flushQueue(
  link: Link,
  queued: readonly Payload[],
  debug: (...args: unknown[]) => void,
): DroppedEvent[] {
  const refused: DroppedEvent[] = [];
  for (const data of queued) {
    markOwned(data);
    try {
      link.send(data);
    } catch (error) {
      const reason = error as LinkvisorError;
      debug('dropped a queued message', reason.code, reason.message);
      refused.push(new DroppedEvent({ data, reason: 'invalid', error: reason }));
    } finally {
      takeOwned(data); // a refused one goes to a `dropped` listener: the mark must not stay
    }
  }
  return refused;
}
