/**
 * Binary messages no application holds: a queue's own copy (the drop-in's, taken at send() while
 * not OPEN, being written on open; a link's, src/runtime/outbound-queue.ts, taken at send() while
 * not ready, being flushed). A transport that copies a message because its socket reads it later
 * (compressing) skips the copy for one of these: it was copied once already, at send(). The mark
 * is taken by the first look (takeOwned), or by the queue once the message is written, so a
 * buffer handed back to the application afterwards (drainQueuedMessages, a `dropped` event) is
 * copied again when sent.
 */
import type { Payload } from './payload.js';

const owned = new WeakSet<object>();

/** Marks `data` (binary) as a copy no application holds, until takeOwned. */
export function markOwned(data: Payload): void {
  if (typeof data !== 'string') owned.add(data);
}

/** Whether `data` was marked (markOwned); the mark is taken. */
export function takeOwned(data: Payload): boolean {
  return typeof data !== 'string' && owned.delete(data);
}
