/**
 * The connection chart provided with the runtime's implementations: the transport actions
 * (./transport-actor.ts), the user's shouldReconnect hook, a custom backoff function and the clock
 * time of restarts. Shared by the supervisor, `defineLink` and standalone links.
 */
import { type AnyActorRef, assign } from 'xstate';
import {
  type ConnectionContext,
  type connectionChart,
  connectionMachine,
  escalateAt,
  lossAt,
  planRetry,
  type RetryView,
  restartAt,
  retryAfterFloorMs,
  retryGuards,
  type ShouldReconnect,
  type TransportInput,
  withReason,
  withRetryPlanned,
} from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { MAX_TIMER_MS } from '../../machines/policy/timeouts.js';
import { describe } from '../util/describe.js';
import { LinkvisorError } from '../util/errors.js';
import { isThenable } from '../util/thrown.js';
import type { LinkWire } from './link-wire.js';
import { featureCommandActions, transportActions } from './transport-actor.js';

/** Retry planning with the link's custom backoff function, if it has one. */
function planWithFunction(context: RetryView, wire: LinkWire | undefined): Partial<ConnectionContext> {
  const planned = planRetry(context);
  const fn = wire?.config.backoffFn;
  if (!fn || !planned.retry) return planned;
  let delayMs: unknown;
  /** It threw (`delayMs` is the error: reported as the cause, not as a value it returned). */
  let threw = false;
  try {
    delayMs = fn(planned.retry.attempt);
  } catch (error) {
    delayMs = error;
    threw = true;
  }
  if (
    threw ||
    typeof delayMs !== 'number' ||
    !Number.isFinite(delayMs) ||
    delayMs < 0 ||
    delayMs > MAX_TIMER_MS
  ) {
    // A NaN, infinite or too long delay would fire at once (DESIGN.md §8): keep the policy's, report.
    // An async function's promise is no delay either; its rejection is handled here.
    const shown = threw
      ? 'threw'
      : `returned ${handled(delayMs) ? 'a promise' : typeof delayMs === 'number' ? String(delayMs) : typeof delayMs}`;
    queueMicrotask(() =>
      wire?.reportError(
        new LinkvisorError(
          'LV_ERR_INVALID_DELAY',
          `backoff(${planned.retry?.attempt}) ${shown}; used the policy delay of ${planned.nextDelayMs} ms instead`,
          { option: 'backoff', cause: threw ? delayMs : undefined },
        ),
      ),
    );
    return planned;
  }
  return { ...planned, nextDelayMs: Math.max(Math.round(delayMs), retryAfterFloorMs(context)) };
}

/** Whether a hook's answer is a promise (any thenable), its rejection then handled here; never
 * throws (an answer's `then` may be a getter that throws: then it is no promise). */
function handled(answer: unknown): boolean {
  try {
    if (!isThenable(answer)) return false;
    Promise.resolve(answer).catch(() => {});
    return true;
  } catch {
    return false;
  }
}

/** The link's clock time, in ms (0 for a wire already gone: the link is ending anyway). */
function nowOf(wire: LinkWire | undefined): number {
  return wire ? wire.config.clock.now() : 0;
}

/** What `answered` throws for an answer that is not a boolean: how that answer is shown. */
class WrongAnswer {
  constructor(readonly shown: string) {}
}

/**
 * The link's `shouldReconnect` taking only true or false for an answer: any other (a promise, whose
 * rejection is then handled here, never unhandled; undefined; a number) throws a WrongAnswer, which
 * the retry decision hands to `reportHookError` as it does a throw: the close table decides.
 */
function answered(hook: ShouldReconnect | undefined): ShouldReconnect | undefined {
  return (
    hook &&
    ((reason, attempt) => {
      const answer: unknown = hook(reason, attempt);
      if (typeof answer === 'boolean') return answer;
      throw new WrongAnswer(handled(answer) ? 'a promise' : describe(answer));
    })
  );
}

/** A throwing `shouldReconnect` (LV_ERR_LISTENER), or one answering neither true nor false
 * (LV_ERR_INVALID_OPTION), reported after the step (listeners see the state change first); the
 * close table decided meanwhile. */
function reportHookError(wire: LinkWire | undefined, error: unknown): void {
  const wrong = error instanceof WrongAnswer;
  // The drop-in's shouldReconnectOnClose, which threw, is named as the application gave it.
  const dropIn = error instanceof LinkvisorError && error.option === 'shouldReconnectOnClose';
  queueMicrotask(() =>
    wire?.reportError(
      dropIn
        ? error
        : new LinkvisorError(
            wrong ? 'LV_ERR_INVALID_OPTION' : 'LV_ERR_LISTENER',
            `shouldReconnect() ${wrong ? `returned ${error.shown}, not a boolean` : 'threw'}; the close table decided instead`,
            { option: 'shouldReconnect', ...(wrong ? {} : { cause: error }) },
          ),
    ),
  );
}

/**
 * How the implementations find a link's wire: by its id and its `parent` input (a supervisor's links
 * are told apart by their socket actor, their parent: ids repeat across supervisors), so that one
 * provided chart serves every supervisor of the process (./link-starter.ts).
 */
export type WireLookup = (
  linkId: string,
  parent: AnyActorRef | undefined,
  /** The link actor asking, when it is known (the transport actions): a defineLink wire serves
   * only the actor that first ran it (./define-link.ts). */
  self?: AnyActorRef,
) => LinkWire | undefined;

/**
 * The connection chart with the runtime's implementations, looking wires up by link id (and
 * parent), and a link's custom backoff function (`backoff` as a function) planning its retries.
 * `onAttempt` sees every attempt's input (the link actor ref included) before the wire is used.
 */
export function provideRuntime(wireOf: WireLookup, onAttempt: (input: TransportInput) => void = () => {}) {
  // One provide(), not two: each copies the chart's whole state-node tree (BENCHMARKS.md round 20).
  // The retry planned with the backoff function of the link whose context this is.
  const planOf = (context: ConnectionContext, self: AnyActorRef) => (view: RetryView) =>
    planWithFunction(view, wireOf(context.linkId, context.parent, self));
  return provideWith(connectionMachine, wireOf, onAttempt, planOf, {
    ...featureCommandActions(wireOf),
    planRetry: assign(({ context, self }) => planOf(context, self)(context)),
    recordReasonAndPlanRetry: assign(({ context, event, self }) =>
      withRetryPlanned(
        context,
        withReason(context, (event as { reason: Reason }).reason),
        planOf(context, self),
      ),
    ),
  });
}

/**
 * `chart` (connectionMachine, or connectionChart, the chart without its features: the drop-in's,
 * whose bundle then leaves the feature states and actions out) with the runtime's implementations,
 * but for a custom backoff function (provideRuntime's: the drop-in has none, its retries are the policy's).
 */
export function provideRuntimeTo<Chart extends AnyConnectionChart = typeof connectionChart>(
  chart: Chart,
  wireOf: WireLookup,
  onAttempt: (input: TransportInput) => void = () => {},
) {
  return provideWith(chart, wireOf, onAttempt, undefined, {});
}

/** The chart's implementations that the provided charts have in common
 * (provideRuntimeTo's, and `planRetry`, `recordReasonAndPlanRetry` when provideRuntime gives them). */
type ChartActions = NonNullable<Parameters<typeof connectionMachine.provide>[0]['actions']>;

/** Either connection chart: with its features (connectionMachine) or without (connectionChart). */
type AnyConnectionChart = typeof connectionChart | typeof connectionMachine;

/** `chart` with the runtime's implementations and `more` actions, in one provide(); `planOf` plans
 * a link's retry (by its context and actor) in a ready link's loss (`recordLossAndPlanRetry`, which
 * needs the clock) as `planRetry` does (none: the chart's own plan). The chart's own
 * `recordReasonAndPlanRetry` needs no runtime: the drop-in keeps it (BENCHMARKS.md round 36 (raise review)). */
function provideWith<Chart extends AnyConnectionChart>(
  chart: Chart,
  wireOf: WireLookup,
  onAttempt: (input: TransportInput) => void,
  planOf:
    | ((context: ConnectionContext, self: AnyActorRef) => (view: RetryView) => Partial<ConnectionContext>)
    | undefined,
  more: ChartActions,
) {
  // The actions find the wire of the actor they run in (a defineLink wire serves one actor).
  const wireFor = (context: ConnectionContext, self: AnyActorRef) =>
    wireOf(context.linkId, context.parent, self);
  // A guard is told no actor: it looks the wire up by input. A link that found no wire (a defineLink
  // actor refused a shared input: LV_ERR_NO_TRANSPORT) has no hook: the close table decides (its
  // reason is fatal), never the hook of the link that runs that input's wire.
  const hookWire = (context: ConnectionContext) =>
    context.reason?.kind === 'invalid' && context.reason.errorCode === NO_TRANSPORT
      ? undefined
      : wireOf(context.linkId, context.parent);
  // One provide() for either chart: typed as the full chart's (the core's implementations are a
  // subset of its names; a name the chart does not have is never run).
  return (chart as typeof connectionMachine).provide({
    guards: retryGuards(
      (context) => answered(hookWire(context)?.config.shouldReconnect),
      (context, error) => reportHookError(hookWire(context), error),
    ),
    actions: {
      ...transportActions(wireOf, onAttempt),
      // Restart intensity's window is in the link's clock time (the chart keeps no clock).
      recordRestart: assign(({ context, self }) => restartAt(context, nowOf(wireFor(context, self)))),
      recordLoss: assign(({ context, event, self }) =>
        lossAt(context, (event as { reason: Reason }).reason, nowOf(wireFor(context, self))),
      ),
      recordLossAndPlanRetry: assign(({ context, event, self }) =>
        withRetryPlanned(
          context,
          lossAt(context, (event as { reason: Reason }).reason, nowOf(wireFor(context, self))),
          planOf?.(context, self),
        ),
      ),
      escalate: assign(({ context, self }) => escalateAt(context, nowOf(wireFor(context, self)))),
      ...more,
    },
  }) as unknown as Chart;
}

/** The error code of a link that found no wire (./transport-actor.ts). */
const NO_TRANSPORT = 'LV_ERR_NO_TRANSPORT';

export type RuntimeMachine = ReturnType<typeof provideRuntime>;
