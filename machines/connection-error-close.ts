/**
 * The connection chart's error-close timer: a socket that fires `error` must fire `close` soon
 * after (a conforming WebSocket queues both; `ws` closes the socket it errored). One that never
 * does (a non-conforming polyfill passed as the drop-in's `WebSocket`) would leave an open link
 * hanging forever, heartbeat off. So `transport.error` (the transport reports it once an attempt)
 * arms a delayed `transport.closed` of the chart's own — an abnormal close, 1006, whose reason says
 * no close came — after the named delay `errorCloseGrace` (policy/timeouts.ts ERROR_CLOSE_GRACE_MS);
 * the socket's own close ends the attempt first, and leaving `attempt` cancels it (a later error
 * restarts it, one timer: the WebSocket constructor's transport reports one a socket). The attempt
 * then ends as after any drop (`attemptEnded`, ready's `readyLost`), and its socket is terminated.
 * Like the ack timer (`armAck`), it is `after`'s mechanism by hand: the timer belongs to the
 * socket, not to one state of it. Only an error arms it, and marks the attempt (`socketErred`, in
 * the context until the next attempt starts): leaving `attempt` cancels it only then (guard
 * `errorCloseArmed`), so a healthy link pays nothing, not even a cancel when it drops.
 * Pure: no I/O, timers, clock reads or randomness.
 */
import type { ConnectionEvent } from './connection-types.js';
import { ERROR_CLOSE_GRACE_MS } from './policy/timeouts.js';

/** The id of the error-close timer: the name of its delay. */
export const ERROR_CLOSE_TIMER = 'errorCloseGrace';

/** The abnormal close an attempt ends with when no `close` followed its socket's `error`. */
export const UNCLOSED_AFTER_ERROR: Extract<ConnectionEvent, { type: 'transport.closed' }> = {
  type: 'transport.closed',
  reason: {
    kind: 'close',
    code: 1006,
    message: `no close event within ${ERROR_CLOSE_GRACE_MS} ms of an error event`,
  },
};
