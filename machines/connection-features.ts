/**
 * The connection chart's feature implementations: the guards, delays and actions only a link with a
 * feature runs — the application handshake, the resumable session (`recordResumeTimeout`, `armAck`,
 * `announceResume`, its timers), a group that restarts its members (`recordGroupRestart`), network
 * signals (`planRejoin`, `rejoinDelay`) and an intensity that fails the link
 * (`recordIntensityFailure`). Their states and transitions are ./connection-feature-states.ts;
 * `connectionMachine` is the chart with both, so every test, inspector and supervisor runs the
 * whole chart. The drop-in class, whose links have none of the features, runs the same chart
 * without them (`connectionChart`), so its bundle leaves this file out
 * (test/size/dropin-chart.test.ts). Pure, like the rest of the chart.
 */
import { cancel, raise } from 'xstate';
import { announce } from './connection-announce.js';
import { intensityFailure, withReason } from './connection-retry.js';
import { connectionCoreSetup as core, type EventOf, transportEffect } from './connection-setup.js';
import { rejoinDelay } from './policy/network.js';

/** The id of the ack timer (a delayed `resume.ackDue`): the name of its delay. */
export const ACK_TIMER = 'ackDelay';

/** The core setup with the features' guards and delays (their actions below use them). */
const features = /* @__PURE__ */ core.extend({
  guards: {
    hasHandshake: ({ context }) => context.policy.hasHandshake,
    resumes: ({ context }) => context.policy.resume !== null,
    /** Lost because its group restarted it (a sibling was lost): attempt at once. */
    // Stryker disable next-line OptionalChaining: disconnected is entered only by a transition whose action recorded a reason
    groupRestart: ({ context }) => context.reason?.kind === 'group',
    // Stryker disable next-line OptionalChaining: evaluated only once intensityExceeded held, so intensity is on
    intensityFails: ({ context }) => context.policy.intensity?.then === 'fail',
  },
  delays: {
    handshakeTimeout: ({ context }) => context.policy.timeouts.handshakeTimeoutMs,
    // Stryker disable next-line OptionalChaining: scheduled only in resuming, which a link without resume never enters
    resumeTimeout: ({ context }) => context.policy.resume?.resumeTimeoutMs ?? 0,
    /** From the first message not yet acknowledged to its ack (policy/resume.ts). */
    // Stryker disable next-line OptionalChaining: armed only by resume.unacked, which a link without resume never receives
    ackDelay: ({ context }) => context.policy.resume?.ackDelayMs ?? 0,
    /** The short jittered wait after the network came back (policy/network.ts). */
    rejoinDelay: ({ context }) => context.nextDelayMs ?? 0,
  },
});

/** The actions only links with a feature run. */
export const CONNECTION_FEATURE_ACTIONS = {
  recordHandshakeTimeout: features.assign(({ context }) =>
    withReason(context, {
      kind: 'timeout',
      phase: 'handshake',
      message: `handshake not done within ${context.policy.timeouts.handshakeTimeoutMs} ms`,
    }),
  ),
  recordResumeTimeout: features.assign(({ context }) =>
    withReason(context, {
      kind: 'timeout',
      phase: 'resume',
      // Stryker disable next-line OptionalChaining: recorded only in resuming, which a link without resume never enters
      message: `no answer to the resume request within ${context.policy.resume?.resumeTimeoutMs ?? 0} ms`,
    }),
  ),
  /** Restarted by its group: the reason names the group and the member that was lost. */
  recordGroupRestart: features.assign(({ context, event }) => {
    const { group, cause } = event as EventOf<'link.restart'>;
    return withReason(context, {
      kind: 'group',
      cause,
      message: `restarted with group ${group}: ${cause} was lost`,
    });
  }),
  recordIntensityFailure: features.assign(({ context }) => ({ failure: intensityFailure(context) })),
  /** The network is back: a short jittered delay instead of the rest of the backoff. */
  planRejoin: features.assign(({ context }) => {
    const { delayMs, random } = rejoinDelay(context.retry.random, context.policy.network);
    return { nextDelayMs: delayMs, retry: { ...context.retry, random } };
  }),
  /** The ack timer of the socket: `resume.ackDue` after ackDelay, restarted by a new window
   * (what `after` does for a state, for a timer that must restart without re-entering one). Only
   * on a link that resumes, whose exit disarms it (`disarmAck`): a stray `resume.unacked` on any
   * other link arms nothing that would outlive its attempt. */
  armAck: features.enqueueActions(({ check, enqueue }) => {
    if (!check('resumes')) return;
    enqueue(cancel(ACK_TIMER));
    enqueue(raise({ type: 'resume.ackDue' }, { id: ACK_TIMER, delay: 'ackDelay' }));
  }),
  /** Leaving the socket's state: its ack timer goes with it, on a link that resumes (only a
   * resumable session's transport reports `resume.unacked`, which arms it; a link without resume
   * cancels nothing: no action reaches the scheduler). */
  disarmAck: features.enqueueActions(({ check, enqueue }) => {
    if (check('resumes')) enqueue(cancel(ACK_TIMER));
  }),
  /** The resume's outcome: `resumed` or `reset` (a first session is neither). */
  announceResume: features.enqueueActions(({ context, enqueue, event }) => {
    const done = event as EventOf<'resume.done'>;
    if (done.outcome === 'new') return;
    if (done.outcome === 'resumed') {
      const { replayedIn, replayedOut } = done;
      announce(enqueue, context, { type: 'resumed', linkId: context.linkId, replayedIn, replayedOut });
    } else {
      announce(enqueue, context, { type: 'reset', linkId: context.linkId, reason: done.reason });
    }
  }),
};

/**
 * The connection chart's `setup()` with every implementation: the core's and the features' guards,
 * delays and actions (the transport actions still do nothing: provide them, or use `defineLink`).
 */
export const connectionSetup = /* @__PURE__ */ features.extend({
  actions: {
    ...CONNECTION_FEATURE_ACTIONS,
    // The feature's transport commands: src/runtime/transport-actor.ts provides them.
    startHandshake: transportEffect,
    startResume: transportEffect,
    sendAck: transportEffect,
  },
});
