/**
 * What a link tells its listeners and its callers: the result of `send()` and every event of a
 * `Link` with its payload (docs/links.md), and their names (`link.on` refuses any other). The wire
 * (./link-wire.ts) emits them.
 */
import type { LinkStateChange } from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import type { Incoming, Payload } from '../transports/payload.js';
import type { EventName } from '../util/emitter.js';
import type { LinkvisorError } from '../util/errors.js';

/** The result of `send()`, where the message is now: written (`sent`: not delivered; with
 * resume, kept for replay until acknowledged, a `dropped` event if never), held in the queue
 * (`queued`: the backlog), or dropped by the overflow policy. */
export type SendResult = 'sent' | 'queued' | 'dropped';

/** The events of a `Link`, by name, with what each listener receives (docs/links.md). */
export interface LinkEvents {
  [key: string]: unknown;
  state: LinkStateChange;
  ready: { readyCount: number };
  message: Incoming;
  reconnecting: { attempt: number; delayMs: number; reason: Reason };
  lost: { reason: Reason };
  /** Restarted more often than its intensity allows: it rests `delayMs` in `coolingDown`. */
  escalated: { escalation: number; delayMs: number; reason: Reason };
  failed: { reason: Reason };
  closed: { reason: Reason | null };
  /** The application paused reading (`pause()`: `paused: true`) or resumed it (`resume()`:
   * `paused: false`, told before what was kept is delivered); `unread`: messages read and not
   * delivered yet (read while paused, or a newer socket's held until an older terminated socket
   * has handed over what it had read: those come after it). A link that ends paused tells no resume: its unread messages are
   * reported `dropped` (`unread`) before `closed` or `failed`. */
  reading: { paused: boolean; unread: number };
  /** The resumable session came back: `replayedIn` messages arrive again, `replayedOut` are sent
   * again; nothing was lost (resume option). */
  resumed: { replayedIn: number; replayedOut: number };
  /** The server no longer had the session (expired, restarted, overflowed): a new one started;
   * resynchronise. Messages never acknowledged were reported `dropped` (reason `reset`) first. */
  reset: { reason: string };
  /** A message that was accepted by send() but never written: the queue overflowed, the link
   * ended, or (`invalid`, with the `error`) the socket refused it when the queue was flushed.
   * With `resume`: written but never acknowledged when the session was reset (`reset`) or the link
   * ended (`closed`): it may or may not have arrived. Inbound (`unread`): a message read from a
   * socket while the application held reading paused, when the link ended before `resume()`. */
  dropped: {
    data: Payload;
    reason: 'overflow' | 'closed' | 'invalid' | 'reset' | 'unread';
    error?: LinkvisorError;
  };
  error: LinkvisorError;
}

/** The names of LinkEvents, for the emitter's check of `link.on(event)` (test/util/event-names.test.ts
 * proves the list and the interface name the same events). */
export const LINK_EVENTS: readonly string[] = Object.freeze([
  'state',
  'ready',
  'message',
  'reconnecting',
  'lost',
  'escalated',
  'failed',
  'closed',
  'reading',
  'resumed',
  'reset',
  'dropped',
  'error',
] satisfies EventName<LinkEvents>[]);
