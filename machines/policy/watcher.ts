/**
 * Health watchers: the numbers of probing a service that has no socket (a database, an HTTP API).
 * Startup probes back off exponentially (2 s doubling to 60 s, at most 10 attempts, no jitter:
 * one watcher per process does not herd), then a probe every `pollIntervalMs`.
 */
import { BACKOFF_DEFAULTS, type BackoffOptions } from './backoff.js';

export interface WatcherPolicy {
  /** Startup schedule; `maxAttempts` is the number of startup probes before background polling. */
  backoff: BackoffOptions;
  /** Interval of background probes once started (ready or not), in ms. */
  pollIntervalMs: number;
  /** Bound of one probe; the probe's AbortSignal fires when it is reached, in ms. */
  probeTimeoutMs: number;
}

export const WATCHER_DEFAULTS: Readonly<WatcherPolicy> = Object.freeze({
  backoff: Object.freeze({
    ...BACKOFF_DEFAULTS,
    initialDelayMs: 2_000,
    multiplier: 2,
    maxDelayMs: 60_000,
    maxAttempts: 10,
    jitter: 'none' as const,
  }),
  pollIntervalMs: 60_000,
  probeTimeoutMs: 10_000,
});
