/**
 * The connection chart's feature actions: what only a link with a feature runs — the resumable
 * session (`recordResumeTimeout`, `armAck`, `announceResume`), a group that restarts its members
 * (`recordGroupRestart`), network signals (`planRejoin`) and an intensity that fails the link
 * (`recordIntensityFailure`). The core setup (./connection-setup.ts) names them as no-ops;
 * `connectionMachine` is the chart with these, so every test, inspector and supervisor runs the
 * whole chart. The drop-in class, whose links have none of the features, runs the same chart
 * without them (`connectionChart`), so its bundle leaves this file out
 * (test/size/bundle-size.test.ts). Pure, like the rest of the chart.
 */
import { cancel, raise } from 'xstate';
import { announce } from './connection-announce.js';
import { intensityFailure, withReason } from './connection-retry.js';
import { ACK_TIMER, connectionCoreSetup as core, type EventOf } from './connection-setup.js';
import { rejoinDelay } from './policy/network.js';

export const CONNECTION_FEATURE_ACTIONS = {
  recordResumeTimeout: core.assign(({ context }) =>
    withReason(context, {
      kind: 'timeout',
      phase: 'resume',
      // Stryker disable next-line OptionalChaining: recorded only in resuming, which a link without resume never enters
      message: `no answer to the resume request within ${context.policy.resume?.resumeTimeoutMs ?? 0} ms`,
    }),
  ),
  /** Restarted by its group: the reason names the group and the member that was lost. */
  recordGroupRestart: core.assign(({ context, event }) => {
    const { group, cause } = event as EventOf<'link.restart'>;
    return withReason(context, {
      kind: 'group',
      cause,
      message: `restarted with group ${group}: ${cause} was lost`,
    });
  }),
  recordIntensityFailure: core.assign(({ context }) => ({ failure: intensityFailure(context) })),
  /** The network is back: a short jittered delay instead of the rest of the backoff. */
  planRejoin: core.assign(({ context }) => {
    const { delayMs, random } = rejoinDelay(context.retry.random, context.policy.network);
    return { nextDelayMs: delayMs, retry: { ...context.retry, random } };
  }),
  /** The ack timer of the socket: `resume.ackDue` after ackDelay, restarted by a new window
   * (what `after` does for a state, for a timer that must restart without re-entering one). */
  armAck: core.enqueueActions(({ enqueue }) => {
    enqueue(cancel(ACK_TIMER));
    enqueue(raise({ type: 'resume.ackDue' }, { id: ACK_TIMER, delay: 'ackDelay' }));
  }),
  /** The resume's outcome: `resumed` or `reset` (a first session is neither). */
  announceResume: core.enqueueActions(({ context, enqueue, event }) => {
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
 * The connection chart's `setup()` with every implementation: the core's and the feature actions
 * (the transport actions still do nothing: provide them, or use `defineLink`).
 */
export const connectionSetup = /* @__PURE__ */ core.extend({ actions: CONNECTION_FEATURE_ACTIONS });
