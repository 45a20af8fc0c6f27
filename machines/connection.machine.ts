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
 *                        │              └─[resumes]→ resuming ─resume.done→ ready │
 *                        │                           after resumeTimeout         │
 *                        ├ ready { settling → settled, beating ⇄ awaitingPong,  │  closes it: a stale
 *                        │   unmonitored }: one live timer at a time            │  socket cannot talk)
 *                        └ closing (drain, close handshake; after closeTimeout) │
 *   attempt ─down→ disconnected ─[shouldRetry]→ reconnecting ─after reconnectDelay→ attempt
 *                               └─[else]──────→ failed (final, with the reason)
 *   reconnecting ─[reconnect disabled by the parent]→ suspended ─reconnect.enable→ reconnecting
 *   reconnecting | suspended ─network.online→ rejoining ─after rejoinDelay (0–1 s)→ attempt
 *   disconnected ─[shouldRefresh]→ attempt (credentials rejected: one fresh attempt at once)
 *   disconnected ─[intensityExceeded]→ coolingDown ─after coolDown→ attempt   (then: 'cool-down')
 *                ─[intensityExceeded, intensityFails]→ failed (reason kind `intensity`)
 *   any ─link.close→ closing → closed (final) · any ─link.terminate→ closed (no drain)
 *
 * An in-process transport skips connecting and handshaking (idle → ready).
 * Idempotent: `link.close` (in closing, closed and failed it does nothing), the transport's
 * reports (the first reason of a disconnect wins; a stopped transport's late events are dropped).
 * Pure: no I/O, timers, clock reads or randomness; every wait is a named delay whose value
 * comes from machines/policy.
 *
 * Beside this file: its vocabulary (connection-types.ts), its initial context and shared policy
 * (connection-context.ts), the retry decision and plan (connection-retry.ts), and the state names
 * a link reports (link-state.ts). This file holds the private helpers, the setup and the chart.
 */
import { type ActorRefFrom, type AnyActorRef, and, assign, enqueueActions, not, setup } from 'xstate';
import { createConnectionContext } from './connection-context.js';
import {
  decideRetry,
  escalateAt,
  failureReason,
  intensityFailure,
  planRetry,
  restartAt,
  shouldEscalate,
  shouldRefresh,
} from './connection-retry.js';
import type {
  ConnectionContext,
  ConnectionEmitted,
  ConnectionEvent,
  ConnectionInput,
  LinkReport,
  TransportCommand,
} from './connection-types.js';
import { resetBackoff } from './policy/backoff.js';
import { isErrorReason, type Reason } from './policy/close-reason.js';
import { creditedStableInMs, restAfterStableMs, stableEndsWithinRest } from './policy/heartbeat.js';
import { rejoinDelay } from './policy/network.js';

export * from './connection-context.js';
export * from './connection-retry.js';
export type * from './connection-types.js';
export * from './link-state.js';

// ─── Pure helpers ───────────────────────────────────────────────────────────────────────────

/** The user's close code and reason for the close handshake (1000, "" by default). */
const NORMAL_CLOSURE = 1000;

/** Ready time still to wait before the link is stable, in ms. */
function stableInMs(context: ConnectionContext): number {
  return context.stableInMs ?? context.policy.backoff.stableAfterMs;
}

/** The reason carried by an event that ends an attempt, if it carries one. */
function reasonOf(event: ConnectionEvent): Reason | null {
  if (
    event.type === 'transport.closed' ||
    event.type === 'handshake.failed' ||
    event.type === 'resume.failed'
  ) {
    return event.reason;
  }
  return null;
}

/** Records `reason` unless the current disconnect already has one: the first reason wins. */
function withReason(context: ConnectionContext, reason: Reason): Partial<ConnectionContext> {
  if (context.reason) return {};
  return {
    reason,
    lastError: isErrorReason(reason) ? reason : context.lastError,
  };
}

/** What `announce` needs of XState's `enqueue` (kept narrow so the helper stays typed). */
interface Announcer {
  emit(event: ConnectionEmitted): void;
  sendTo(ref: AnyActorRef, event: LinkReport): void;
}

/**
 * Emits `event` to listeners and, when the link has a parent, reports it there as `link.<type>`.
 * One place, so listeners and parent always see the same sequence.
 */
function announce(enqueue: Announcer, context: ConnectionContext, event: ConnectionEmitted): void {
  enqueue.emit(event);
  // Guarded: sendTo(undefined) would send to the link itself (DESIGN.md §8).
  if (context.parent) {
    enqueue.sendTo(context.parent, { ...event, type: `link.${event.type}` } as LinkReport);
  }
}

function unknownReason(): Reason {
  return { kind: 'invalid', message: 'unknown' };
}

/** The close handshake a `link.close` asks for (1000 and no reason unless the user gave them). */
function drainCommand({ event }: { event: ConnectionEvent }): DrainCommand {
  return {
    type: 'transport.drain',
    code: event.type === 'link.close' ? (event.code ?? NORMAL_CLOSURE) : NORMAL_CLOSURE,
    reason: event.type === 'link.close' ? (event.reason ?? '') : '',
  };
}

/**
 * The transport's actions (open, close, flush, ping, handshake, drain) do nothing here: the
 * chart stays pure, and src/ supplies them with `.provide()` (src/runtime/transport-actor.ts). Without
 * them a link waits in `connecting` until its connect timeout, then retries.
 */
function transportEffect(): void {}
function drainEffect(_args: unknown, _command: DrainCommand): void {}

type DrainCommand = Extract<TransportCommand, { type: 'transport.drain' }>;

// ─── Setup: every implementation by name ────────────────────────────────────────────────────

/**
 * The connection chart's `setup()`: its types and every action, guard, delay and actor by name. The
 * transport actor is a stub: provide one (`connectionMachine.provide({ actors: { transport } })`,
 * or use `defineLink`).
 */
export const connectionSetup = setup({
  types: {
    context: {} as ConnectionContext,
    events: {} as ConnectionEvent,
    input: {} as ConnectionInput,
    emitted: {} as ConnectionEmitted,
  },
  guards: {
    isInProcess: ({ context }) => context.inProcess,
    hasHandshake: ({ context }) => context.hasHandshake,
    resumes: ({ context }) => context.policy.resume !== null,
    heartbeatEnabled: ({ context }) => context.policy.heartbeat.mode !== 'off',
    /** The one place the retry decision is made; src/ wraps it with the user's hook. */
    shouldRetry: ({ context }) => decideRetry(context),
    /** Credentials rejected, a per-attempt function can fetch new ones, not twice in a row. */
    shouldRefresh: ({ context }) => shouldRefresh(context),
    autoConnect: ({ context }) => context.autoConnect,
    reconnectDisabled: ({ context }) => !context.reconnectEnabled,
    peerNeverAnswered: ({ context }) => !context.pongSeen,
    tooManyMissed: ({ context }) => context.missedPongs + 1 >= context.policy.heartbeat.maxMissed,
    pingOutstanding: ({ context }) => context.pingOutstanding,
    /** More restarts within the window than the link's intensity allows (policy/intensity.ts). */
    intensityExceeded: ({ context }) => shouldEscalate(context),
    intensityFails: ({ context }) => context.policy.intensity?.then === 'fail',
    /** The stable wait ends before the next ping is due: this rest is split at that point. */
    stableWithinRest: ({ context }) =>
      !context.stable && stableEndsWithinRest(stableInMs(context), context.policy.heartbeat),
  },
  delays: {
    connectTimeout: ({ context }) => context.policy.timeouts.connectTimeoutMs,
    handshakeTimeout: ({ context }) => context.policy.timeouts.handshakeTimeoutMs,
    resumeTimeout: ({ context }) => context.policy.resume?.resumeTimeoutMs ?? 0,
    closeTimeout: ({ context }) => context.policy.timeouts.closeTimeoutMs,
    reconnectDelay: ({ context }) => context.nextDelayMs ?? 0,
    /** The short jittered wait after the network came back (policy/network.ts). */
    rejoinDelay: ({ context }) => context.nextDelayMs ?? 0,
    /** The escalation's cool-down (grows with consecutive escalations, policy/intensity.ts). */
    coolDown: ({ context }) => context.nextDelayMs ?? 0,
    stableAfter: ({ context }) => stableInMs(context),
    heartbeatInterval: ({ context }) => context.policy.heartbeat.intervalMs,
    heartbeatRest: ({ context }) => restAfterStableMs(stableInMs(context), context.policy.heartbeat),
    heartbeatTimeout: ({ context }) => context.policy.heartbeat.timeoutMs,
  },
  actions: {
    startAttempt: assign(({ context }) => ({
      reason: null,
      missedPongs: 0,
      pingOutstanding: false,
      // The disconnect that led here, for the per-attempt functions (a fresh credentials fetch).
      ...(context.reason ? { previousReason: context.reason } : {}),
    })),
    /** The disconnect has been handled (announced, retry planned): a later event is a new one. */
    clearReason: assign({ reason: null }),
    recordReason: assign(({ context, event }) => {
      const reason = reasonOf(event);
      return reason ? withReason(context, reason) : {};
    }),
    recordConnectTimeout: assign(({ context }) =>
      withReason(context, {
        kind: 'timeout',
        phase: 'connect',
        message: `no connection within ${context.policy.timeouts.connectTimeoutMs} ms`,
      }),
    ),
    recordHandshakeTimeout: assign(({ context }) =>
      withReason(context, {
        kind: 'timeout',
        phase: 'handshake',
        message: `handshake not done within ${context.policy.timeouts.handshakeTimeoutMs} ms`,
      }),
    ),
    recordResumeTimeout: assign(({ context }) =>
      withReason(context, {
        kind: 'timeout',
        phase: 'resume',
        message: `no answer to the resume request within ${context.policy.resume?.resumeTimeoutMs ?? 0} ms`,
      }),
    ),
    recordHeartbeatLoss: assign(({ context }) =>
      withReason(context, {
        kind: 'heartbeat',
        message: `no pong for ${context.missedPongs + 1} ping(s) of ${context.policy.heartbeat.timeoutMs} ms`,
      }),
    ),
    recordUserClose: assign(({ context, event }) =>
      withReason(context, {
        kind: 'user',
        code: event.type === 'link.close' ? (event.code ?? NORMAL_CLOSURE) : NORMAL_CLOSURE,
        message: 'closed by the application',
      }),
    ),
    // Terminate is authoritative: it replaces a pending disconnect's reason.
    recordTerminate: assign({
      reason: { kind: 'user', code: 1006, message: 'terminated by the application' },
    }),
    recordFailure: assign(({ context }) => ({ failure: failureReason(context) })),
    recordIntensityFailure: assign(({ context }) => ({ failure: intensityFailure(context) })),
    /**
     * A ready link was lost: one restart in the intensity window. The chart keeps no clock, so
     * this pure default counts every restart at time 0 (the window never slides); the runtime
     * (src/link-runtime.ts) supplies it with its clock's time.
     */
    recordRestart: assign(({ context }) => restartAt(context, 0)),
    /** Escalate: the cool-down to rest (pure default at time 0, like recordRestart). */
    escalate: assign(({ context }) => escalateAt(context, 0)),
    /** Escalating a healthy link: the parent counts one sick link more (once per sick period). */
    reportSick: enqueueActions(({ context, enqueue }) => {
      if (context.intensity?.sick || !context.parent) return;
      enqueue.sendTo(context.parent, { type: 'link.sick', linkId: context.linkId });
    }),
    /** An escalated link proved stable (or ended): the parent counts one sick link fewer. */
    reportRecovered: enqueueActions(({ context, enqueue }) => {
      if (!context.intensity?.sick) return;
      enqueue.assign({ intensity: { ...context.intensity, sick: false } });
      if (context.parent) enqueue.sendTo(context.parent, { type: 'link.healed', linkId: context.linkId });
    }),
    disableReconnect: assign({ reconnectEnabled: false }),
    enableReconnect: assign({ reconnectEnabled: true }),
    reportUnready: enqueueActions(({ context, enqueue }) => {
      if (context.parent) enqueue.sendTo(context.parent, { type: 'link.unready', linkId: context.linkId });
    }),
    planRetry: assign(({ context }) => planRetry(context)),
    /** The network is back: a short jittered delay instead of the rest of the backoff. */
    planRejoin: assign(({ context }) => {
      const { delayMs, random } = rejoinDelay(context.retry.random, context.policy.network);
      return { nextDelayMs: delayMs, retry: { ...context.retry, random } };
    }),
    resetRetry: assign(({ context }) => ({ retry: resetBackoff(context.retry), stable: true })),
    markReady: assign(({ context }) => ({
      stable: false,
      ...(context.stableInMs === undefined ? {} : { stableInMs: undefined }),
      // Ready again: a later credentials rejection is a first one, not a second in a row.
      ...(context.previousReason === undefined ? {} : { previousReason: undefined }),
      readyCount: context.readyCount + 1,
      missedPongs: 0,
      nextDelayMs: null,
    })),
    recordPong: assign(({ context, event }) => {
      if (event.type !== 'heartbeat.pong') return {};
      return {
        missedPongs: 0,
        pingOutstanding: false,
        pongSeen: context.pongSeen || event.proof === 'pong',
        rttMs: event.rttMs ?? context.rttMs,
      };
    }),
    /** A whole quiet interval in ready counts toward the stable wait (until it is stable). */
    creditRest: assign(({ context }) =>
      context.stable ? {} : { stableInMs: creditedStableInMs(stableInMs(context), context.policy.heartbeat) },
    ),
    countMissed: assign(({ context }) => ({
      missedPongs: context.pongSeen ? context.missedPongs + 1 : 0,
    })),
    /** Opens this attempt's socket (entry of `attempt`); its reports come back as events. */
    openTransport: transportEffect,
    /** Ends this attempt's socket (exit of `attempt`): it can never talk to a later attempt. */
    closeTransport: transportEffect,
    flushQueue: transportEffect,
    markPingOutstanding: assign({ pingOutstanding: true }),
    sendPing: transportEffect,
    startHandshake: transportEffect,
    startResume: transportEffect,
    drainAndClose: drainEffect,
    announceReady: enqueueActions(({ context, enqueue }) =>
      announce(enqueue, context, {
        type: 'ready',
        linkId: context.linkId,
        readyCount: context.readyCount,
      }),
    ),
    /** The resume's outcome: `resumed` or `reset` (a first session is neither). */
    announceResume: enqueueActions(({ context, enqueue, event }) => {
      if (event.type !== 'resume.done' || event.outcome === 'new') return;
      if (event.outcome === 'resumed') {
        const { replayedIn, replayedOut } = event;
        announce(enqueue, context, { type: 'resumed', linkId: context.linkId, replayedIn, replayedOut });
      } else {
        announce(enqueue, context, { type: 'reset', linkId: context.linkId, reason: event.reason });
      }
    }),
    announceReconnecting: enqueueActions(({ context, enqueue }) =>
      announce(enqueue, context, {
        type: 'reconnecting',
        linkId: context.linkId,
        attempt: context.retry.attempt,
        delayMs: context.nextDelayMs ?? 0,
        reason: context.reason ?? unknownReason(),
      }),
    ),
    announceLost: enqueueActions(({ context, enqueue }) =>
      announce(enqueue, context, {
        type: 'lost',
        linkId: context.linkId,
        reason: context.reason ?? unknownReason(),
      }),
    ),
    announceEscalated: enqueueActions(({ context, enqueue }) =>
      announce(enqueue, context, {
        type: 'escalated',
        linkId: context.linkId,
        escalation: context.intensity?.escalations ?? 1,
        delayMs: context.nextDelayMs ?? 0,
        reason: context.reason ?? unknownReason(),
      }),
    ),
    announceFailed: enqueueActions(({ context, enqueue }) =>
      announce(enqueue, context, {
        type: 'failed',
        linkId: context.linkId,
        reason: context.failure ?? unknownReason(),
      }),
    ),
    announceClosed: enqueueActions(({ context, enqueue }) =>
      announce(enqueue, context, { type: 'closed', linkId: context.linkId, reason: context.reason }),
    ),
  },
});

// ─── The chart ──────────────────────────────────────────────────────────────────────────────

/** Where a link goes when its socket is up: straight to ready, or through the handshake. */
const afterOpen = [
  { guard: 'resumes', target: 'resuming' },
  { guard: 'hasHandshake', target: 'handshaking' },
  { target: 'ready' },
] as const;

/** Starting an attempt: in-process links have nothing to connect or shake hands with. */
const startAttempt = [
  { guard: 'isInProcess', target: '#connection.attempt.ready' },
  { target: '#connection.attempt.connecting' },
] as const;

/** What a quiet interval of ready (settling, settled, beating) does with heartbeat events. */
const quietEvents = {
  'heartbeat.overdue': {
    target: 'awaitingPong',
    description:
      'Timers were suspended (sleep), or a network signal (offline, online, wake): check the peer now.',
  },
  'heartbeat.pong': {
    guard: 'pingOutstanding',
    actions: ['recordPong', 'flushQueue'],
    description: 'A late pong still proves the peer: release sends held by an overdue check.',
  },
} as const;

/**
 * The connection statechart of one peer link: idle → attempt (connecting, handshaking, ready,
 * closing) → disconnected → reconnecting / suspended / failed / closed, every timer a named delay.
 * Pure: provide a transport to run it (see docs/lifecycle.md).
 */
export const connectionMachine = connectionSetup.createMachine({
  id: 'connection',
  context: ({ input }) => createConnectionContext(input),
  initial: 'idle',
  on: {
    'reconnect.disable': { actions: 'disableReconnect' },
    'reconnect.enable': { actions: 'enableReconnect' },
    'network.online': { actions: 'enableReconnect' },
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
      exit: 'closeTransport',
      on: {
        'transport.closed': { target: 'disconnected', actions: 'recordReason' },
        'link.reconnect': [
          {
            guard: 'isInProcess',
            target: '#connection.attempt.ready',
            reenter: true,
            description: 'Reconnect now: a fresh socket, no backoff wait.',
          },
          { target: '#connection.attempt.connecting', reenter: true },
        ],
      },
      initial: 'connecting',
      states: {
        connecting: {
          tags: ['pending'],
          after: {
            connectTimeout: { target: '#connection.disconnected', actions: 'recordConnectTimeout' },
          },
          on: {
            'transport.open': afterOpen,
            // Nothing is open yet: closing means dropping the pending socket.
            'link.close': { target: '#connection.closed', actions: 'recordUserClose' },
          },
        },
        handshaking: {
          tags: ['pending'],
          entry: 'startHandshake',
          after: {
            handshakeTimeout: {
              target: '#connection.disconnected',
              actions: 'recordHandshakeTimeout',
            },
          },
          on: {
            'handshake.ok': 'ready',
            'handshake.failed': { target: '#connection.disconnected', actions: 'recordReason' },
            'link.close': {
              target: 'closing',
              actions: ['recordUserClose', { type: 'drainAndClose', params: drainCommand }],
            },
          },
        },
        resuming: {
          tags: ['pending'],
          description: 'Resumable session: hello sent, waiting for the welcome; replay follows it.',
          entry: 'startResume',
          after: {
            resumeTimeout: { target: '#connection.disconnected', actions: 'recordResumeTimeout' },
          },
          on: {
            'resume.done': {
              target: 'ready',
              actions: 'announceResume',
              description: 'New, resumed or reset: resumed/reset are announced before ready.',
            },
            'resume.failed': { target: '#connection.disconnected', actions: 'recordReason' },
            'link.close': {
              target: 'closing',
              actions: ['recordUserClose', { type: 'drainAndClose', params: drainCommand }],
            },
          },
        },
        ready: {
          tags: ['connected'],
          entry: ['markReady', 'flushQueue', 'announceReady'],
          exit: 'reportUnready',
          on: {
            'transport.closed': {
              target: '#connection.disconnected',
              actions: ['recordReason', 'announceLost', 'recordRestart'],
            },
            'link.close': {
              target: 'closing',
              actions: ['recordUserClose', { type: 'drainAndClose', params: drainCommand }],
            },
          },
          initial: 'starting',
          states: {
            starting: {
              always: [{ guard: 'heartbeatEnabled', target: 'resting' }, { target: 'unmonitored' }],
            },
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
              after: { heartbeatRest: 'awaitingPong' },
              on: quietEvents,
            },
            beating: {
              after: {
                heartbeatInterval: {
                  target: 'awaitingPong',
                  actions: 'creditRest',
                  description: 'A quiet interval: it counts toward stableAfter until the link is stable.',
                },
              },
              on: quietEvents,
            },
            awaitingPong: {
              entry: ['markPingOutstanding', 'sendPing'],
              on: {
                'heartbeat.pong': { target: 'resting', actions: ['recordPong', 'flushQueue'] },
              },
              after: {
                heartbeatTimeout: [
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
            resting: {
              description: 'Before a quiet interval: split it if the stable wait ends within it.',
              always: [{ guard: 'stableWithinRest', target: 'settling' }, { target: 'beating' }],
            },
          },
        },
        closing: {
          description: 'Drain the queue, close handshake; terminate after closeTimeout.',
          after: { closeTimeout: '#connection.closed' },
          on: {
            'transport.closed': '#connection.closed',
            'link.close': {},
            'link.reconnect': {},
          },
        },
      },
    },
    disconnected: {
      description: 'The attempt ended: the one place that decides whether to retry.',
      always: [
        { guard: not('shouldRetry'), target: 'failed', actions: 'recordFailure' },
        {
          guard: and(['shouldRefresh', not('reconnectDisabled')]),
          target: 'attempt',
          description:
            'Credentials rejected (verdict refresh): one attempt at once; its per-attempt function sees the reason and fetches fresh ones.',
        },
        {
          guard: and(['intensityExceeded', 'intensityFails']),
          target: 'failed',
          actions: 'recordIntensityFailure',
          description: 'Restarted too often within the window, and the intensity says fail (OTP).',
        },
        { guard: 'intensityExceeded', target: 'coolingDown' },
        { guard: 'reconnectDisabled', target: 'suspended' },
        { target: 'reconnecting' },
      ],
    },
    suspended: {
      description: 'Down, and the parent disabled reconnecting: wait until it enables it again.',
      // The disconnect's reason (and its Retry-After hint) stays until the retry is planned.
      on: {
        'reconnect.enable': {
          target: 'reconnecting',
          actions: 'enableReconnect',
          description: 'Resume through a jittered delay, so a fleet does not come back at once.',
        },
        'link.reconnect': startAttempt,
        'link.close': { target: 'closed', actions: ['clearReason', 'recordUserClose'] },
        'network.online': {
          target: 'rejoining',
          actions: 'enableReconnect',
          description: 'The network is back (online, wake): attempt soon, not through the backoff.',
        },
      },
    },
    rejoining: {
      tags: ['pending'],
      description:
        'The network came back while the link waited for a retry: attempt after a short jittered delay (rejoinDelay) instead of the rest of its backoff.',
      entry: 'planRejoin',
      after: { rejoinDelay: startAttempt },
      on: {
        'reconnect.disable': { target: 'suspended', actions: 'disableReconnect' },
        'link.reconnect': startAttempt,
        'link.close': { target: 'closed', actions: ['clearReason', 'recordUserClose'] },
      },
    },
    reconnecting: {
      tags: ['pending'],
      entry: ['planRetry', 'announceReconnecting'],
      after: { reconnectDelay: startAttempt },
      on: {
        'reconnect.disable': { target: 'suspended', actions: 'disableReconnect' },
        'network.online': {
          target: 'rejoining',
          description: 'The network is back (online, wake): skip the rest of the backoff.',
        },
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

/** The type of `connectionMachine`. */
export type ConnectionMachine = typeof connectionMachine;
/** An actor running the connection chart (what `link.actor` is). */
export type ConnectionActorRef = ActorRefFrom<ConnectionMachine>;
