/**
 * The connection chart's shared transitions: the transition objects more than one of its states
 * takes, written once (machines/connection.machine.ts places them). A state and the grace state that
 * extends it (`attemptGrace`, `meta.graceFor`) hold the very same objects, so an event in the grace
 * turn does what it does in the state extended, and the inspector can tell a copy from an edge of
 * the grace state's own. Plain data: every action, guard and delay is named here and implemented in
 * connection-setup.ts. Written with `literal` (./connection-literal.ts), not `as const`: Stryker
 * mutates nothing under a type assertion (test/mutation/chart-mutants.test.ts).
 */
import { and, not } from 'xstate';
import { literal } from './connection-literal.js';
import { drainCommand } from './connection-setup.js';

/**
 * Where a link goes when its socket is up: through the feature's first choices (`first`: the
 * resume or the handshake, ./connection-feature-states.ts), or straight to ready. The usual link
 * (heartbeat on, a stable wait shorter than the interval) enters ready's first quiet interval at
 * once: what `starting` and `resting` would decide for a fresh ready link, in one step instead of
 * three (each an XState microstep: ~9 KB of garbage, BENCHMARKS.md round 11).
 */
const afterOpen = literal([
  {
    guard: 'readingPaused',
    target: 'ready',
    description: 'The application holds reading paused: ready waits paused, judging no pong.',
  },
  {
    guard: 'settlesFirst',
    target: 'ready.settling',
    description: 'Heartbeat on, and the stable wait ends within the first quiet interval.',
  },
  { target: 'ready' },
]);

/** A close while nothing is open yet: dropping the pending socket. */
const closeUnopened = literal({ target: '#connection.closed', actions: 'recordUserClose' });

/** What a pending socket (connecting, and its connect timeout's I/O turn) does with events; `first`:
 * the features' first choices once it is up (none in the drop-in's chart). */
export function connectingEvents<const First extends readonly object[]>(first: First) {
  return literal({ 'transport.open': [...first, ...afterOpen], 'link.close': closeUnopened });
}

/**
 * `attempt.resolving`, entered only by links with a per-attempt function (`resolvesTarget`): the
 * transport asked to open the resolved target (`transport.opening`) starts the socket's connect
 * timeout; `resolveTimeout` bounds a function that never settles. A rejection is the attempt's
 * `transport.closed` (its reason `LV_ERR_RESOLVE`), as in `connecting`.
 */
export const resolvingState = literal({
  tags: ['pending'],
  description:
    "A per-attempt URL, protocols, headers or wsOptions function is settling (a token fetched): its time is not the socket's. Public: connecting.",
  after: {
    resolveTimeout: {
      target: '#connection.disconnected',
      actions: 'recordResolveTimeout',
      description: 'The functions never settled: the attempt ends (reason timeout, phase resolve).',
    },
  },
  on: {
    'transport.opening': 'connecting',
    // Nothing is asked of the transport yet: closing means dropping the attempt.
    'link.close': closeUnopened,
  },
});

/**
 * An attempt's socket closed (in any state of `attempt` without its own edge): the reason recorded
 * (the first wins), then `disconnected` decides. The usual retry is taken in the same microstep,
 * straight to `reconnecting`: the guard asks connection-retry.ts what `disconnected` would decide
 * (`retriesThroughBackoff`), so the two cannot disagree (BENCHMARKS.md round 20 (drop)). Every
 * edge into `reconnecting` plans the retry before its entry announces it: this one in the reason's
 * assign (`recordReasonAndPlanRetry`).
 */
export const attemptEnded = literal([
  {
    guard: 'backoffRetry',
    target: '#connection.reconnecting',
    actions: 'recordReasonAndPlanRetry',
  },
  { target: '#connection.disconnected', actions: 'recordReason' },
]);

/**
 * A ready link's socket closed: the loss (its reason and a restart in the intensity window, one
 * assign) announced as `lost`; on to `reconnecting` at once when that is what `disconnected` would
 * decide (as `attemptEnded`), the retry planned in the same assign (`recordLossAndPlanRetry`: a
 * mass drop runs it once a link), otherwise to `disconnected`.
 */
export const readyLost = literal([
  {
    guard: 'backoffRetry',
    target: '#connection.reconnecting',
    actions: ['recordLossAndPlanRetry', 'announceLost'],
  },
  { target: '#connection.disconnected', actions: ['recordLoss', 'announceLost'] },
]);

/** `link.reconnect` in an attempt: a fresh attempt at once (re-entered), no backoff wait. */
export const reconnectNow = literal([
  {
    guard: 'isInProcess',
    target: '#connection.attempt.ready',
    reenter: true,
    description: 'Reconnect now: a fresh socket, no backoff wait.',
  },
  { guard: 'resolvesTarget', target: '#connection.attempt.resolving', reenter: true },
  { target: '#connection.attempt.connecting', reenter: true },
]);

/** A close on an open socket: drain the queue, then the close handshake. */
export const drainOnClose = literal({
  target: 'closing',
  actions: ['recordUserClose', { type: 'drainAndClose', params: drainCommand }],
});

/**
 * The I/O turn an attempt's timeout grants (a grace state): the events of the state it extends,
 * `graceFor` (its very transition objects, `on`), whose public name it reports (link-state.ts), and
 * after `ioTurn` the timeout's own transition: the attempt ends, `timedOut` recording why.
 */
export function attemptGrace<const On, const TimedOut extends string>(
  graceFor: 'connecting' | 'handshaking' | 'resuming',
  on: On,
  timedOut: TimedOut,
) {
  return literal({
    tags: 'pending',
    meta: { graceFor },
    description: `Timed out: one I/O turn for an answer read late (a stalled loop). Public: ${graceFor}.`,
    after: { ioTurn: { target: '#connection.disconnected', actions: timedOut } },
    on,
  });
}

/** Starting an attempt: in-process links have nothing to connect or shake hands with; a link with a
 * per-attempt function resolves it before its socket opens. */
export const startAttempt = literal([
  { guard: 'isInProcess', target: '#connection.attempt.ready' },
  { guard: 'resolvesTarget', target: '#connection.attempt.resolving' },
  { target: '#connection.attempt.connecting' },
]);

/**
 * The pong of the ping that is out, or any message (proof of the path): straight into the next
 * quiet interval, split if the stable wait ends within it (what `resting` decides, without its
 * microstep: BENCHMARKS.md round 13 (heartbeat)).
 */
export const pongArrived = literal([
  { guard: 'stableWithinRest', target: 'settling', actions: ['recordPong', 'flushQueue'] },
  { target: 'beating', actions: ['recordPong', 'flushQueue'] },
]);

/** What a quiet interval of ready (settling, settled, beating) does with heartbeat events. */
export const quietEvents = literal({
  'heartbeat.overdue': {
    target: 'awaitingPong',
    actions: 'markPingOutstanding',
    description:
      'Timers were suspended (sleep), or a network signal (offline, online, wake): check the peer now.',
  },
  'heartbeat.pong': {
    guard: 'pingOutstanding',
    actions: ['recordPong', 'flushQueue'],
    description: 'A late pong still proves the peer: release sends held by an overdue check.',
  },
});

/**
 * `attempt.closing`: the drain, the close frame, its echo (after closeTimeout: closed). While the
 * queue drains (no frame written yet) the link's own close, which names its code, sets the frame's
 * code; once the transport reports `transport.drained` (the frame written) a later close only waits.
 */
export const closingState = literal({
  description: 'Drain the queue, close handshake; terminate after closeTimeout.',
  after: { closeTimeout: '#connection.closed' },
  on: {
    'transport.closed': '#connection.closed',
    'link.close': {},
    'link.reconnect': {},
  },
  initial: 'draining',
  states: {
    draining: {
      description: 'The queue drains; no close frame yet: its code may change.',
      on: {
        'transport.drained': 'closeSent',
        'link.close': {
          guard: 'namesCloseCode',
          actions: ['recordCloseCode', { type: 'drainAndClose', params: drainCommand }],
          description: "The link's own close after its supervisor's: the frame takes its code.",
        },
      },
    },
    // The close frame is written (its code final): wait for the echo.
    closeSent: {},
  },
});

/**
 * The link's hold on reading, in every state (the chart's root): `link.pause` records it, so the
 * next socket enters ready paused (`readyStart`, `afterOpen`), and `link.resume` clears it. The
 * runtime holds the socket itself (src/runtime/attempt.ts): a socket that opens for a paused link
 * reads only its handshake or resume exchange, then no message until the resume.
 */
export const readingHold = literal({
  'link.pause': {
    guard: not('readingPaused'),
    actions: 'holdReading',
    description: 'The application holds reading paused: the link stays paused across its sockets.',
  },
  'link.resume': { guard: 'readingPaused', actions: 'releaseReading' },
});

/**
 * Ready's `link.pause`: the application stopped reading from the socket (`Link.pause`,
 * backpressure), so no pong can be read and none is awaited (with the heartbeat off there is
 * nothing to hold but the reading itself: the root's `readingHold`).
 */
export const pauseReading = literal({
  guard: and(['heartbeatEnabled', not('readingPaused')]),
  target: '.paused',
  actions: 'holdReading',
  description: 'The application stopped reading: no pong can be read, so none is awaited.',
});

/** Ready's first choice: paused (a new socket of a paused link), monitored or not. */
export const readyStart = literal({
  always: [
    { guard: and(['heartbeatEnabled', 'readingPaused']), target: 'paused' },
    { guard: 'heartbeatEnabled', target: 'resting' },
    { target: 'unmonitored' },
  ],
});

/**
 * `attempt.ready.paused`: reading is held by the application. The peer is never judged on pongs
 * the link could not read, however long the hold; but a paused socket notices its peer's end only
 * when it writes (a close frame, a FIN sit unread), so every heartbeat interval it writes a probe
 * (a ping whose pong nobody awaits): to a peer that is gone the write fails and the socket ends,
 * which ends the attempt (ready's own transitions). `link.resume` goes through `resting`: a whole quiet interval,
 * then a ping and its whole timeout, so a peer that is really gone is found one heartbeat window
 * (interval + timeout, policy/heartbeat.ts `livenessWindowMs`) after the resume. The hold is the
 * link's: a new socket of a paused link enters ready here (`readyStart`). The link is ready while
 * paused: a probe's interval that covers the rest of its stable wait (`stableWithinRest`: not
 * stable, and stableInMs ≤ intervalMs) makes it stable, as settling's stableAfter does (the
 * backoff and the refresh mark reset: a token that expires hours into a pause gets its fresh
 * attempt); the time it spent in ready before the pause is not counted (stable late, never early).
 */
export const pausedState = literal({
  description: 'Reading paused by the application: no pong judged until it reads again.',
  after: {
    heartbeatInterval: [
      {
        guard: 'stableWithinRest',
        target: 'paused',
        reenter: true,
        actions: ['sendProbe', 'resetRetry', 'reportRecovered'],
        description:
          'Paused for an interval that covers the rest of the stable wait: the link, ready all along, is stable.',
      },
      {
        target: 'paused',
        reenter: true,
        actions: 'sendProbe',
        description: 'A write, no pong awaited: a socket whose peer is gone fails it and ends.',
      },
    ],
  },
  on: { 'link.resume': { target: 'resting', actions: 'releaseReading' } },
});

/**
 * `disconnected`, transient: the one place that decides what follows a disconnect, in this order
 * (connection-retry.ts: `decideRetry`, `retriesAtOnce`, `shouldEscalate`; `retriesThroughBackoff`
 * asks the same of a disconnect for the straight edges of `attemptEnded` and `readyLost`, so the
 * usual retry skips this state's microstep). `restartAtOnce` and `intensityFails` are the
 * features' branches (a group's restart, an intensity that fails: ./connection-feature-states.ts),
 * none in the drop-in's chart.
 */
export function disconnectedState<
  const AtOnce extends readonly object[],
  const Fails extends readonly object[],
>(restartAtOnce: AtOnce, intensityFails: Fails) {
  return literal({
    description: 'The attempt ended: the one place that decides whether to retry.',
    always: [
      { guard: not('shouldRetry'), target: 'failed', actions: 'recordFailure' },
      {
        guard: and(['shouldRefresh', not('reconnectDisabled')]),
        target: '#connection.attempt.resolving',
        actions: 'announceRetryAtOnce',
        description:
          'Credentials rejected (verdict refresh): one attempt at once; its per-attempt function sees the reason and fetches fresh ones.',
      },
      ...restartAtOnce,
      ...intensityFails,
      { guard: 'intensityExceeded', target: 'coolingDown' },
      { guard: 'reconnectDisabled', target: 'suspended' },
      { target: 'reconnecting', actions: 'planRetry' },
    ],
  });
}
