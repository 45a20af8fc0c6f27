/**
 * The connection statechart: the lifecycle of ONE peer link.
 *
 * Owns: when to open a socket, how long each phase may take, the application handshake, the
 * heartbeat, when and how soon to retry (through machines/policy), and the order of teardown.
 * Does not own: the socket itself, payloads, the outbound queue or listeners. Those live in the
 * runtime (src/), behind the transport actions (`openTransport` on entering `attempt`,
 * `closeTransport` on leaving it, and its commands) that `src/` supplies with `.provide()`.
 * Scope boundary: a parent (the socket chart, or an application machine that spawned this one)
 * learns of this link only through the `link.*` events it reports; it never reads this context.
 *
 *   idle ─link.connect→ attempt ──────────────────────────────────────────────┐
 *                        ├ connecting ─transport.open→ handshaking ─ok→ ready   │ opens the transport
 *                        │  after connectTimeout        after handshakeTimeout  │ (leaving `attempt`
 *                        │  → connectGrace              → handshakeGrace        │
 *                        │              └─[resumes]→ resuming ─resume.done→ ready │
 *                        │                           after resumeTimeout         │
 *                        │                           → resumeGrace (*Grace: 1 I/O turn)
 *                        ├ ready { settling → settled, beating ⇄ awaitingPong → │  closes it: a stale
 *                        │   graceTurn, unmonitored, paused }: ≤ 1 live timer   │  socket cannot talk)
 *                        └ closing { draining ─transport.drained→ closeSent }   │
 *                           (drain, close frame, its echo; after closeTimeout)  │
 *   attempt ─down→ disconnected ─[shouldRetry]→ reconnecting ─after reconnectDelay→ attempt
 *                               └─[else]──────→ failed (final, with the reason)
 *   attempt (ready too) ─down [backoffRetry]→ reconnecting: the usual retry, taken at once and
 *         judged as disconnected judges it (connection-retry.ts), without its microstep.
 *   reconnecting ─[reconnect disabled by the parent]→ suspended ─reconnect.enable→ reconnecting
 *   reconnecting | suspended ─network.online→ rejoining ─after rejoinDelay (0–1 s)→ attempt
 *   disconnected ─[shouldRefresh]→ attempt (credentials rejected: one fresh attempt at once per stable period)
 *   ready ─link.restart→ disconnected ─[groupRestart]→ attempt (a sibling was lost: the group
 *         restarts this member at once; reason kind `group`, not counted by the intensity)
 *   Both retries at once are announced as any retry (announceRetryAtOnce): `reconnecting` with
 *   delayMs 0 (policy/backoff.ts) and the reason, on the transition, as `reconnecting` announces
 *   its wait on entry; the fresh attempt keeps the retry number (the schedule does not move).
 *   disconnected ─[intensityExceeded]→ coolingDown ─after coolDown→ attempt   (then: 'cool-down')
 *                ─[intensityExceeded, intensityFails]→ failed (reason kind `intensity`)
 *   any ─link.close→ closing → closed (final) · any ─link.terminate→ closed (no drain)
 *   closing.draining ─link.close [namesCloseCode]→ / recordCloseCode, drainAndClose: the link's own
 *         close after its supervisor's (which names no code) still sets the code of the frame, as
 *         long as the frame is not written (the transport reports transport.drained when it is);
 *         in closeSent a later close only waits.
 *   attempt ─transport.error→ / armErrorClose: a `transport.closed` (1006, no close came) raised
 *         after errorCloseGrace unless the socket's own close ends the attempt first (a socket that
 *         errs and never closes, a non-conforming polyfill, would hang an open link forever); the
 *         attempt is marked (`socketErred`, cleared when the next attempt starts).
 *   attempt ─resume.unacked→ ack timer (re)started: resume.ackDue after ackDelay ─/ sendAck
 *   any ─link.pause→ / holdReading (the link's, across sockets) · ready ─link.pause→ ready.paused
 *   ─link.resume→ ready.resting; a paused link's socket enters ready.paused (connection-transitions.ts).
 *
 * The ack timer and the error-close timer are not drawn as an `after` of a state: each is the
 * socket's (it dies with `attempt`) and (re)starts without re-entering a state, so each is `after`'s
 * mechanism by hand: a delayed raise with a named delay (`armAck`, `armErrorClose`), cancelled on
 * leaving `attempt` only where armed (`disarmAck` if the link `resumes`, `disarmErrorClose` if
 * `errorCloseArmed`): a featureless link whose socket never erred cancels neither (round 47
 * (disarm)). A parallel region would draw them, at the price of every state path of `attempt`.
 *
 * A timeout that decides the peer is silent (connect, handshake, resume, pong) first waits one
 * I/O turn (ioTurn, policy/timeouts.ts) in a grace state of its own (connectGrace, handshakeGrace,
 * resumeGrace, ready.graceTurn): after a stall of the event loop, expired timers run before the
 * sockets are read, so the answer may be there, unread. A grace state takes the events of the state
 * it extends (the same transition objects) and names it in `meta.graceFor`; after ioTurn it takes
 * the timeout's own transition. The attempt's grace states report the public name of the state
 * they extend (link-state.ts).
 * An in-process transport skips connecting and handshaking (idle → ready); per-attempt functions settle in resolving.
 * Idempotent: `link.close` (in closing it does nothing but set the code of a frame not yet written;
 * in closed and failed nothing), the transport's reports (the first reason of a disconnect wins; a
 * stopped transport's late events are dropped).
 * Pure: no I/O, timers, clock reads or randomness; every wait is a named delay whose value
 * comes from machines/policy.
 * Drawn: a grace state (meta.graceFor) shows its own edges; its sibling's copies are a note on it.
 *
 * Beside this file: its vocabulary (connection-types.ts), its initial context and shared policy
 * (connection-context.ts), the retry decision and plan (connection-retry.ts), and the state names
 * a link reports (link-state.ts), its helpers and setup — every action, guard and delay by name
 * (connection-setup.ts), the transitions several of its states share, `closing` and `disconnected`
 * (connection-transitions.ts).
 * This file holds the chart, written through uniform-transitions.ts (fewer hidden classes for XState),
 * as ONE config with slots for the features (the handshake, the resume and its ack timer, a group's
 * restart, network signals and `rejoining`, an intensity that fails): `connectionMachine` is it with
 * the slots filled (connection-feature-states.ts; their guards, delays and actions in
 * connection-features.ts), `connectionChart` — the drop-in's — with every slot empty, so a bundle
 * of the drop-in leaves the feature modules out (BENCHMARKS.md round 46 (bundle)).
 */
import { type ActorRefFrom, and } from 'xstate';
import { createConnectionContext } from './connection-context.js';
import { CHART_FEATURES } from './connection-feature-states.js';
import { connectionSetup } from './connection-features.js';
import { connectionCoreSetup } from './connection-setup.js';
import {
  attemptEnded,
  attemptGrace,
  closingState,
  connectingEvents,
  disconnectedState,
  drainOnClose,
  pausedState,
  pauseReading,
  pongArrived,
  quietEvents,
  readingHold,
  readyLost,
  readyStart,
  reconnectNow,
  resolvingState,
  startAttempt,
} from './connection-transitions.js';
import type { ConnectionInput } from './connection-types.js';
import { uniformTransitions } from './uniform-transitions.js';

export * from './connection-context.js';
export { connectionSetup } from './connection-features.js';
export * from './connection-retry.js';
export type * from './connection-types.js';
export * from './link-state.js';

// ─── The chart ──────────────────────────────────────────────────────────────────────────────

/**
 * Where the chart's features go (./connection-feature-states.ts `CHART_FEATURES` fills them; the
 * names are short because a bundle keeps them): `on` the chart's own events, `exit`, `attempt` and
 * `states` the socket state's exit actions, events and states (between connectGrace and ready),
 * `open` the first choices once the socket is up, `ready` ready's events, `restart` and `fails`
 * `disconnected`'s branches before the cool-down's, `suspended` and `reconnecting` those states'
 * events, `root` the chart's states between suspended and reconnecting.
 */
export interface ChartFeatureSlots {
  on: object;
  exit: readonly string[];
  attempt: object;
  open: readonly object[];
  states: object;
  ready: object;
  restart: readonly object[];
  fails: readonly object[];
  suspended: object;
  root: object;
  reconnecting: object;
}

/**
 * The connection chart's config, the one source of both charts: the core states and transitions
 * with the features' slots `f` in their places (./connection-feature-states.ts has them; the
 * drop-in's chart leaves every slot empty).
 */
function connectionConfig<
  const On extends object = {},
  const Exit extends readonly string[] = readonly [],
  const Attempt extends object = {},
  const Open extends readonly object[] = readonly [],
  const States extends object = {},
  const Ready extends object = {},
  const Restart extends readonly object[] = readonly [],
  const Fails extends readonly object[] = readonly [],
  const Suspended extends object = {},
  const Root extends object = {},
  const Reconnecting extends object = {},
>(f: {
  on?: On;
  exit?: Exit;
  attempt?: Attempt;
  open?: Open;
  states?: States;
  ready?: Ready;
  restart?: Restart;
  fails?: Fails;
  suspended?: Suspended;
  root?: Root;
  reconnecting?: Reconnecting;
}) {
  const connecting = connectingEvents(f.open ?? ([] as const));
  // No `as const` over the config: Stryker does not mutate under a type assertion
  // (test/mutation/chart-mutants.test.ts); uniformTransitions' `const` parameter keeps the literals.
  return uniformTransitions({
    id: 'connection',
    context: ({ input }: { input: ConnectionInput }) => createConnectionContext(input),
    initial: 'idle',
    on: {
      'reconnect.disable': { actions: 'disableReconnect' },
      'reconnect.enable': { actions: 'enableReconnect' },
      ...f.on,
      ...readingHold,
      'link.terminate': {
        target: '.closed',
        actions: 'recordTerminate',
        description: 'Hard end (supervisor terminate, linger ran out): no drain, the socket is destroyed.',
      },
    },
    states: {
      idle: {
        description: 'Created, not connecting yet (autoConnect: false).',
        always: [
          { guard: and(['autoConnect', 'isInProcess']), target: '#connection.attempt.ready' },
          { guard: and(['autoConnect', 'resolvesTarget']), target: '#connection.attempt.resolving' },
          { guard: 'autoConnect', target: '#connection.attempt.connecting' },
        ],
        on: {
          'link.connect': startAttempt,
          'link.close': { target: 'closed', actions: 'recordUserClose' },
        },
      },
      attempt: {
        description: 'One socket: it lives exactly as long as this state.',
        entry: ['startAttempt', 'openTransport'],
        exit: [...(f.exit ?? []), 'disarmErrorClose', 'closeTransport'],
        on: {
          'transport.closed': attemptEnded,
          'transport.error': {
            actions: 'armErrorClose',
            description:
              'The socket fired error: its close must follow within errorCloseGrace, or the attempt ends as 1006.',
          },
          ...f.attempt,
          'link.reconnect': reconnectNow,
        },
        initial: 'connecting',
        states: {
          resolving: resolvingState,
          connecting: {
            tags: ['pending'],
            after: {
              connectTimeout: 'connectGrace',
            },
            on: connecting,
          },
          connectGrace: attemptGrace('connecting', connecting, 'recordConnectTimeout'),
          ...f.states,
          ready: {
            tags: ['connected'],
            entry: ['markReady', 'flushQueue', 'announceReady'],
            exit: 'reportUnready',
            on: {
              'transport.closed': readyLost,
              'link.close': drainOnClose,
              ...f.ready,
              'link.pause': pauseReading,
            },
            initial: 'starting',
            states: {
              starting: readyStart,
              unmonitored: {
                description: 'Heartbeat off: only the transport can tell the link is gone.',
                after: {
                  stableAfter: {
                    actions: ['resetRetry', 'reportRecovered'],
                    description: 'Stayed up long enough: the next loss starts the schedule again.',
                  },
                },
              },
              settling: {
                description:
                  'Quiet, not stable yet: the one timer waits for stableAfter, then for the rest of the interval.',
                after: {
                  stableAfter: {
                    target: 'settled',
                    actions: ['resetRetry', 'reportRecovered'],
                    description: 'Stayed up long enough: the next loss starts the schedule again.',
                  },
                },
                on: quietEvents,
              },
              settled: {
                description: 'Stable: the rest of the quiet interval before the next ping.',
                after: { heartbeatRest: { target: 'awaitingPong', actions: 'markPingOutstanding' } },
                on: quietEvents,
              },
              beating: {
                after: {
                  heartbeatInterval: {
                    target: 'awaitingPong',
                    actions: 'endRest',
                    description: 'A quiet interval: it counts toward stableAfter until the link is stable.',
                  },
                },
                on: quietEvents,
              },
              awaitingPong: {
                // Every edge in marks the ping outstanding (endRest, markPingOutstanding): one assign.
                entry: 'sendPing',
                on: {
                  'heartbeat.pong': pongArrived,
                },
                after: {
                  heartbeatTimeout: 'graceTurn',
                },
              },
              graceTurn: {
                meta: { graceFor: 'awaitingPong' },
                description: 'Timed out: one I/O turn for a pong read late (a stalled loop).',
                on: {
                  'heartbeat.pong': pongArrived,
                },
                after: {
                  ioTurn: [
                    {
                      guard: 'peerNeverAnswered',
                      target: 'resting',
                      description: 'The peer never answered a ping: it may not speak the protocol.',
                    },
                    {
                      guard: 'tooManyMissed',
                      target: '#connection.disconnected',
                      actions: ['recordHeartbeatLoss', 'announceLost', 'recordRestart'],
                    },
                    { target: 'resting', actions: 'countMissed' },
                  ],
                },
              },
              paused: pausedState,
              resting: {
                description:
                  'Before a quiet interval (entering ready, after a missed pong, reading resumed): split it if the stable wait ends within it.',
                always: [{ guard: 'stableWithinRest', target: 'settling' }, { target: 'beating' }],
              },
            },
          },
          closing: closingState,
        },
      },
      disconnected: disconnectedState(f.restart ?? [], f.fails ?? []),
      suspended: {
        description: 'Down, and the parent disabled reconnecting: wait until it enables it again.',
        // The disconnect's reason (and its Retry-After hint) stays until the retry is planned.
        on: {
          'reconnect.enable': {
            target: 'reconnecting',
            actions: ['enableReconnect', 'planRetry'],
            description: 'Resume through a jittered delay, so a fleet does not come back at once.',
          },
          'link.reconnect': startAttempt,
          'link.close': { target: 'closed', actions: ['clearReason', 'recordUserClose'] },
          ...f.suspended,
        },
      },
      ...f.root,
      reconnecting: {
        tags: ['pending'],
        // Every edge in plans the retry (planRetry, or recordLossAndPlanRetry: a ready link's loss
        // and its plan in one assign); the entry announces it.
        entry: 'announceReconnecting',
        after: { reconnectDelay: startAttempt },
        on: {
          'reconnect.disable': { target: 'suspended', actions: 'disableReconnect' },
          ...f.reconnecting,
          'link.reconnect': startAttempt,
          // The disconnect was handled; the close is a new, final reason.
          'link.close': { target: 'closed', actions: ['clearReason', 'recordUserClose'] },
        },
      },
      coolingDown: {
        tags: ['pending'],
        description:
          'Restarted too often within the window: rest for a cool-down that grows with each consecutive escalation, then try again with a fresh window.',
        entry: ['reportSick', 'escalate', 'announceEscalated'],
        after: {
          coolDown: [{ guard: 'reconnectDisabled', target: 'suspended' }, ...startAttempt],
        },
        on: {
          'link.reconnect': startAttempt,
          'link.close': { target: 'closed', actions: ['clearReason', 'recordUserClose'] },
        },
      },
      failed: {
        type: 'final',
        entry: ['reportRecovered', 'announceFailed'],
      },
      closed: {
        type: 'final',
        entry: ['reportRecovered', 'announceClosed'],
      },
    },
  });
}

/**
 * The connection statechart of one peer link WITHOUT its features (no handshake, resume, group
 * restart, network rejoin or failing intensity): the drop-in class's chart, whose links can reach
 * none of them (test/dropin/chart-features.test.ts), so its bundle leaves the feature modules out
 * (./connection-feature-states.ts, ./connection-features.ts). Every other link runs
 * `connectionMachine`, the same config with the feature slots filled.
 */
export const connectionChart = /* @__PURE__ */ connectionCoreSetup.createMachine(
  /* @__PURE__ */ connectionConfig({}),
);

/**
 * The connection statechart of one peer link, with every feature: idle → attempt (connecting,
 * handshaking, resuming, ready, closing) → disconnected → reconnecting / suspended / rejoining /
 * coolingDown / failed / closed, every timer a named delay. The supervisor, `defineLink`, the
 * inspector and the model-based tests run it. Pure: provide a transport to run it (see docs/lifecycle.md).
 */
export const connectionMachine = /* @__PURE__ */ connectionSetup.createMachine(
  /* @__PURE__ */ connectionConfig(CHART_FEATURES),
);

/** The type of `connectionMachine`. */
export type ConnectionMachine = typeof connectionMachine;
/** An actor running the connection chart (what `link.actor` is). */
export type ConnectionActorRef = ActorRefFrom<ConnectionMachine>;
