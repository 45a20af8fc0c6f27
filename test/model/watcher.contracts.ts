/**
 * What each named action and delay of the watcher chart must do, written apart from the chart:
 * the oracle of the per-step check of the watcher's generated paths (src/testing/chart-step-check.ts).
 */
import type { EventObject } from 'xstate';
import { nextDelay } from '../../machines/policy/backoff.js';
import { WATCHER_DEFAULTS } from '../../machines/policy/watcher.js';
import type { WatcherContext, WatcherInput } from '../../machines/watcher.machine.js';
import type { ChartContracts } from '../../src/testing/chart-step-check.js';

/** A probe's failure as the watcher keeps it: its message (or the thrown value as text), its code,
 * its numeric status. */
function probeError(event: EventObject): WatcherContext['lastError'] {
  const error = (event as { error?: { message?: unknown; code?: unknown; status?: unknown } }).error;
  const message = typeof error?.message === 'string' ? error.message : String(error);
  return {
    message,
    ...(typeof error?.code === 'string' ? { code: error.code } : {}),
    ...(typeof error?.status === 'number' ? { status: error.status } : {}),
  };
}

export const WATCHER_CONTRACTS: ChartContracts<WatcherContext> = {
  where: 'test/model/watcher.contracts.ts',
  actions: {
    countProbe: { assigns: (context) => ({ probes: context.probes + 1 }) },
    countStartupProbe: { assigns: (context) => ({ startupProbes: context.startupProbes + 1 }) },
    recordSuccess: { assigns: (context) => ({ failures: 0, successes: context.successes + 1 }) },
    recordError: {
      assigns: (context, event) => ({
        failures: context.failures + 1,
        successes: 0,
        lastError: probeError(event),
      }),
    },
    recordTimeout: {
      assigns: (context) => ({
        failures: context.failures + 1,
        successes: 0,
        lastError: { message: `probe timed out after ${context.probeTimeoutMs} ms`, timeout: true },
        // The timed-out probe was aborted; it may ignore that and run on.
        abandonedProbe: true,
      }),
    },
    recordHeld: {
      assigns: () => ({
        lastError: { message: 'the last probe ignored its abort and is still running', timeout: true },
      }),
    },
    recordHeldFailure: {
      // A ready watcher's poll with the timed-out probe still running: a failure, no probe (its
      // timeout reset `successes`: no probe ran since).
      assigns: (context) => ({
        failures: context.failures + 1,
        lastError: { message: 'the last probe ignored its abort and is still running', timeout: true },
      }),
    },
    clearAbandoned: { assigns: () => ({ abandonedProbe: false }) },
    planRetry: {
      assigns: (context) => {
        const { delayMs, state } = nextDelay(context.retry, context.backoff);
        return { retry: state, nextDelayMs: delayMs };
      },
    },
    announceReady: { emits: (context) => ({ type: 'watcher.ready', name: context.name }) },
    announceDown: {
      emits: (context) => ({
        type: 'watcher.down',
        name: context.name,
        error: context.lastError ?? { message: 'unknown' },
      }),
    },
  },
  // Another startup probe is allowed while fewer than maxAttempts have been made.
  // No new probe while a timed-out one is still running (at most one in flight).
  guards: {
    startupProbesLeft: (context) => context.startupProbes < context.backoff.maxAttempts,
    abandonedProbeRunning: (context) => context.abandonedProbe,
    // A ready watcher goes down at its failuresBeforeDown-th consecutive failure, not before.
    failureTolerated: (context) => context.failures + 1 < context.failuresBeforeDown,
    // A down watcher goes ready at its successesBeforeUp-th consecutive success, not before.
    successTolerated: (context) => context.successes + 1 < context.successesBeforeUp,
  },
  delays: {
    retryDelay: (context) => context.nextDelayMs ?? 0,
    pollInterval: (context) => context.pollIntervalMs,
    probeTimeout: (context) => context.probeTimeoutMs,
  },
};

/** The context a watcher must start with, from its input (the random seed's state from `actual`). */
export function initialWatcherContext(input: WatcherInput, actual: WatcherContext): WatcherContext {
  return {
    name: input.name,
    backoff: { ...WATCHER_DEFAULTS.backoff, ...input.backoff },
    pollIntervalMs: input.pollIntervalMs ?? WATCHER_DEFAULTS.pollIntervalMs,
    probeTimeoutMs: input.probeTimeoutMs ?? WATCHER_DEFAULTS.probeTimeoutMs,
    failuresBeforeDown: input.failuresBeforeDown ?? WATCHER_DEFAULTS.failuresBeforeDown,
    successesBeforeUp: input.successesBeforeUp ?? WATCHER_DEFAULTS.successesBeforeUp,
    retry: { attempt: 0, previousDelayMs: 0, random: actual.retry.random },
    nextDelayMs: null,
    startupProbes: 0,
    failures: 0,
    successes: 0,
    lastError: null,
    probes: 0,
    abandonedProbe: false,
  };
}
