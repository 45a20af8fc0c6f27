/**
 * Health watchers: the numbers of probing a service that has no socket (a database, an HTTP API).
 * Startup probes back off exponentially (2 s doubling to 60 s, at most 10 attempts, no jitter:
 * one watcher per process does not herd), then a probe every `pollIntervalMs`. At most one probe
 * in flight: a timed-out probe still pending holds the next one back (the chart's `held` states;
 * no timer, so no number: it probes as soon as that one settles).
 */
import { BACKOFF_DEFAULTS, type BackoffOptions } from './backoff.js';

/**
 * A health watcher's schedule: startup probes with backoff, then background polls, each probe
 * bounded in time.
 */
export interface WatcherPolicy {
  /** Startup schedule; `maxAttempts` is the number of startup probes before background polling,
   * the first included: at least 1 (src/runtime/watcher.ts refuses 0; the chart always makes the first). */
  backoff: BackoffOptions;
  /** Interval of background probes once started (ready or not), in ms. */
  pollIntervalMs: number;
  /** Bound of one probe; the probe's AbortSignal fires when it is reached, in ms. */
  probeTimeoutMs: number;
  /** Consecutive failed probes (a timeout is one) that take a ready watcher down, at least 1
   * (Kubernetes' failureThreshold). */
  failuresBeforeDown: number;
  /** Consecutive successful probes that make a down watcher ready again, at least 1 (Kubernetes'
   * successThreshold). */
  successesBeforeUp: number;
}

/**
 * Watcher defaults: startup probes 2 s doubling to 60 s (10 at most, no jitter), then a probe every
 * 60 s, each aborted after 10 s; one failed probe takes a ready watcher down, one successful probe
 * makes a down one ready.
 */
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
  // One failure is down, as before this option: a watcher polls once a minute, so Kubernetes'
  // default of 3 would keep a dead service "ready" for two more minutes. Raise it for a flaky probe.
  failuresBeforeDown: 1,
  // One success is up, as before this option (and Kubernetes' default): raise it for a service
  // that answers once between crashes.
  successesBeforeUp: 1,
});

/** The largest `failuresBeforeDown` accepted: a watcher that tolerates more is never down. */
export const MAX_FAILURES_BEFORE_DOWN = 1_000;

/** The largest `successesBeforeUp` accepted: a watcher that asks more is never up again. */
export const MAX_SUCCESSES_BEFORE_UP = 1_000;

/**
 * Longest message (and code) of a probe error kept, in UTF-16 code units, the cut mark included: a
 * longer one is redacted whole, then cut at a character boundary and marked `… (cut from N)`, so a
 * 1 MB error does not go whole into status(), the health details and onDown.
 */
export const PROBE_ERROR_MAX_CHARS = 1_000;
