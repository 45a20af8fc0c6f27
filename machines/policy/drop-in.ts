/**
 * The drop-in `ReconnectingWebSocket`'s compatibility defaults: the numbers it uses when an option
 * of reconnecting-websocket 4.4 / partysocket 1.3 is not given. They mimic the peers except where
 * docs/migration.md gives a reason to differ; each number says which. The drop-in maps them onto
 * the link's own policy (backoff.ts, timeouts.ts), so the chart runs them like any other link's.
 *
 *   option                        rws 4.4        partysocket 1.3   ours
 *   minReconnectionDelay          1000–5000 (*)  3000              1000
 *   maxReconnectionDelay          10000          10000             10000
 *   reconnectionDelayGrowFactor   1.3            1.3               1.3
 *   minUptime                     5000           5000              5000
 *   connectionTimeout             4000           4000              4000
 *   maxRetries                    Infinity       Infinity          Infinity
 *   maxEnqueuedMessages           Infinity       Infinity          1000
 *   (jitter)                      none           none              'equal'
 *   (*) reconnecting-websocket 4.4 draws it once per process, uniform in 1000–5000 ms; ours is a fixed number.
 */
import type { JitterStrategy } from './backoff.js';
import { QUEUE_DEFAULTS } from './queue.js';

/** The drop-in's defaults for the options of reconnecting-websocket / partysocket it honours. */
export interface DropInDefaults {
  /** First retry delay (before jitter), in ms. */
  minReconnectionDelay: number;
  /** Cap of the retry delay, in ms. */
  maxReconnectionDelay: number;
  /** Growth of the delay per retry. */
  reconnectionDelayGrowFactor: number;
  /** Time open before the retry schedule starts again, in ms. */
  minUptime: number;
  /** Time an attempt may take to open, in ms. */
  connectionTimeout: number;
  /** Retries before giving up. */
  maxRetries: number;
  /** Messages buffered while not OPEN. */
  maxEnqueuedMessages: number;
  /** How each delay is randomised. */
  jitter: JitterStrategy;
}

/** Used by `linkvisor/ws` when an option is not given; see the file header for theirs. */
export const DROP_IN_DEFAULTS: Readonly<DropInDefaults> = Object.freeze({
  // The low end of reconnecting-websocket's documented 1000–5000 ms range (partysocket: 3000). Not
  // drawn once per process as theirs is (every client of one process then retries in lockstep):
  // the jitter below spreads each delay instead.
  minReconnectionDelay: 1_000,
  // Both peers: a user waits at most 10 s for a retry after a long outage.
  maxReconnectionDelay: 10_000,
  // Both peers: 1 s → 10 s in 9 retries.
  reconnectionDelayGrowFactor: 1.3,
  // Both peers: a connection that stayed open 5 s resets the schedule (DESIGN.md's stableAfter: a
  // server that accepts then drops at once is not hammered).
  minUptime: 5_000,
  // Both peers: an attempt not open after 4 s is abandoned and retried.
  connectionTimeout: 4_000,
  // Both peers: never give up unless told to (maxRetries, shouldReconnectOnClose, a fatal code).
  maxRetries: Number.POSITIVE_INFINITY,
  // Theirs is unbounded (a long outage grows memory without limit); the link queue's bound. Beyond
  // it send() drops the message and returns false, which partysocket's send() returns anyway.
  maxEnqueuedMessages: QUEUE_DEFAULTS.maxMessages,
  // Theirs has none: a fleet of clients dropped by one server restart retries in lockstep.
  // 'equal' keeps each delay within [d/2, d], so the schedule stays recognisably theirs.
  jitter: 'equal',
});
