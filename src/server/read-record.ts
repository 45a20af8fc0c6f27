/**
 * What a session store returned, checked before the server builds on it: a store is the
 * application's code (Redis, a database, a file), and a record that lost its Uint8Arrays in a JSON
 * round trip, a truncated row or one of another version would otherwise fail deep in a replay, and
 * one whose messages are not numbered as sent (a row edited or merged by hand) would replay a
 * message twice or skip one; one whose sizes are not its messages' would bound the replay buffer
 * wrong; one whose `version` is no count would make every claim of it fail (or match another write).
 */
import { appDataBytes } from '../resume/frames.js';
import { byteLengthOf } from '../transports/payload.js';
import type { SessionRecord } from './session-store.js';

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function isEntry(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { seq, data, bytes } = value as Record<string, unknown>;
  if (!isCount(seq) || !(typeof data === 'string' || data instanceof Uint8Array)) return false;
  // Its size as sent: a record that says otherwise would count the replay buffer wrong (its
  // bounds passed unseen, or every later send refused as an overflow).
  return bytes === appDataBytes(data, byteLengthOf);
}

/** Whether `value` is a `SessionRecord` the server can restore (its numbers, its entries' data). */
export function isSessionRecord(value: unknown): value is SessionRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  // Its write counter, when it has one (src/server/session-store.ts, RecordVersion): a count;
  // null (a nullable column read back, a record written before versions) is none, as undefined.
  if (record.version !== undefined && record.version !== null && !isCount(record.version)) return false;
  if (record.kind === 'overflowed') return true;
  if (record.kind !== 'session' || typeof record.stream !== 'object' || record.stream === null) return false;
  const { sentSeq, receivedSeq, unacked } = record.stream as Record<string, unknown>;
  return (
    isCount(sentSeq) &&
    isCount(receivedSeq) &&
    Array.isArray(unacked) &&
    unacked.every(isEntry) &&
    isTail(unacked as { seq: number }[], sentSeq)
  );
}

/** Whether `entries` are the last messages sent, one each, in order: sentSeq − n + 1 … sentSeq
 * (a replay of any other numbering would deliver a message twice or skip one). */
function isTail(entries: readonly { seq: number }[], sentSeq: number): boolean {
  const first = sentSeq - entries.length + 1;
  return first >= 1 && entries.every((entry, i) => entry.seq === first + i);
}
