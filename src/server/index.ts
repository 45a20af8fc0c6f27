/**
 * linkvisor/server: the server side of resumable sessions (docs/resume.md) for a `ws`
 * WebSocketServer. `resumable(wss, options)` emits `session` objects that survive their client's
 * reconnects (at most `maxAwaySessions` waiting, `maxSessions` in all); `memoryStore()` is the default session store,
 * `SessionStore` the interface for a durable one.
 */
export type { AppData, ResetReason } from '../resume/frames.js';
export type { Entry, ResumeStream, StreamState } from '../resume/resume-stream.js';
export { type ResumableEvents, type ResumableServer, resumable } from './resumable.js';
export type { ResumableOptions } from './resumable-options.js';
export {
  ResumableSession,
  type SessionEndReason,
  type SessionEvents,
  type SessionHost,
  type SessionStatus,
} from './resumable-session.js';
export type { ResumableStatus } from './session-cap.js';
export {
  type MemoryStore,
  memoryStore,
  type RecordVersion,
  type SessionRecord,
  type SessionStore,
} from './session-store.js';
export type { Moved } from './session-types.js';
