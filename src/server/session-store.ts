/**
 * Where a `resumable` server keeps sessions whose client is away (docs/resume-protocol.md §5):
 * the `SessionStore` interface (get/put/delete, sync or async, so Redis or a database fits) and
 * the in-memory store used by default, whose records expire after their TTL (its timers are
 * cleared by `close()`).
 */

import type { StreamState } from '../resume/resume-stream.js';
import { type Clock, systemClock } from '../util/clock.js';

/** What a store keeps of one session: its stream, or a note that it overflowed (kept until its
 * TTL so a returning client learns why it was reset). Plain data: strings and Uint8Arrays. */
export type SessionRecord = { kind: 'session'; stream: StreamState } | { kind: 'overflowed' };

/** Where sessions whose client is away are kept: implement it over Redis or a database to
 * resume sessions across server restarts (`durable: true`). */
export interface SessionStore {
  /** The record of a session, or undefined when there is none (expired, never stored, lost). */
  get(sessionId: string): SessionRecord | undefined | Promise<SessionRecord | undefined>;
  /** Keeps the record for at least `ttlMs` (a store may keep it longer; the server expires
   * sessions itself while it runs). */
  put(sessionId: string, record: SessionRecord, ttlMs: number): void | Promise<void>;
  delete(sessionId: string): void | Promise<void>;
  /** True when records survive this process (a server restart resumes its sessions). */
  readonly durable?: boolean;
  /** Releases the store's timers and memory (called by the server for its default store). */
  close?(): void;
}

/** The in-memory store (`memoryStore()`): its size, and `close()` to clear its TTL timers. */
export interface MemoryStore extends SessionStore {
  /** Records held now. */
  readonly size: number;
  close(): void;
}

/** Sessions in this process's memory, each for its TTL; lost when the process ends. */
export function memoryStore(options: { clock?: Clock } = {}): MemoryStore {
  const clock = options.clock ?? systemClock;
  const records = new Map<string, { record: SessionRecord; timer: unknown }>();
  const forget = (sessionId: string) => {
    const held = records.get(sessionId);
    if (!held) return;
    clock.clearTimeout(held.timer);
    records.delete(sessionId);
  };
  return {
    durable: false,
    get size() {
      return records.size;
    },
    get: (sessionId) => records.get(sessionId)?.record,
    put(sessionId, record, ttlMs) {
      forget(sessionId);
      records.set(sessionId, { record, timer: clock.setTimeout(() => records.delete(sessionId), ttlMs) });
    },
    delete: forget,
    close() {
      for (const sessionId of [...records.keys()]) forget(sessionId);
    },
  };
}
