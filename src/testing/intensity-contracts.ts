/**
 * What restart intensity's actions must do (for link-action-contracts.ts): a lost ready link is
 * one restart in the window; one too many escalates. Intensity's window is clock time.
 */
import type { ConnectionContext, ConnectionEvent } from '../../machines/connection.machine.js';
import { escalate, recordRestart } from '../../machines/policy/intensity.js';
import type { ActionContract } from './chart-step-check.js';
import { firstReason } from './link-contract-reasons.js';

type Context = ConnectionContext;

type Contract = ActionContract<Context, ConnectionEvent>;

/** The intensity's options; an action that needs them runs only where the chart has them. */
export function intensityOf(context: Context) {
  const options = context.policy.intensity;
  if (!options) throw new Error('an intensity action ran with restart intensity off');
  return options;
}

/** Restart intensity: a lost ready link is one restart in the window; one too many escalates. */
export function intensityContracts(nowMs: number): Record<string, Contract> {
  return {
    recordRestart: {
      assigns: (context) =>
        context.policy.intensity
          ? { intensity: recordRestart(context.intensity, nowMs, context.policy.intensity) }
          : {},
    },
    // A ready link's socket closed: the reason (the first wins) and one restart, as one update.
    recordLoss: {
      assigns: (context, event) => ({
        ...(event.type === 'transport.closed' ? firstReason(context, event.reason) : {}),
        ...(context.policy.intensity
          ? { intensity: recordRestart(context.intensity, nowMs, context.policy.intensity) }
          : {}),
      }),
    },
    escalate: {
      assigns: (context) => {
        const { delayMs, state, random } = escalate(
          context.intensity,
          nowMs,
          context.retry.random,
          intensityOf(context),
        );
        return { intensity: state, nextDelayMs: delayMs, retry: { ...context.retry, random } };
      },
    },
  };
}
