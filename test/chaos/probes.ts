/**
 * Measuring instruments of the chaos suite: a transport wrapper that sees every socket a link
 * opens and ends (attempt times, live sockets per link), the scaled policy the scenarios run
 * with, and small statistics.
 */
import { performance } from 'node:perf_hooks';
import type { Reason } from '../../machines/policy/close-reason.js';
import type { SupervisorOptions, Transport, TransportConnection } from '../../src/index.js';
import { wsTransport } from '../../src/index.js';

/** The policy of the chaos runs, scaled for CI: 100 ms initial backoff, 1 s cap, heartbeat
 * 250 ms + 500 ms. */
export const CHAOS = {
  backoff: { initialDelayMs: 100, maxDelayMs: 1_000, multiplier: 2, jitter: 'full', stableAfterMs: 500 },
  heartbeat: { intervalMs: 250, timeoutMs: 500, maxMissed: 1 },
  connectTimeoutMs: 1_000,
  handshakeTimeoutMs: 1_000,
  closeTimeoutMs: 1_000,
  // The scenarios bounce servers many times a minute on purpose; restart intensity has its own
  // scenario (intensity.chaos.ts).
  intensity: false,
} as const satisfies SupervisorOptions;

export interface Attempt {
  link: string;
  at: number;
}

/**
 * Wraps a transport: every `connect()` is an attempt (time, link); a socket is live from
 * `connect()` until the transport reports it closed or the runtime terminates it. A second live
 * socket for one link is recorded as a violation.
 */
export class TransportProbe {
  readonly attempts: Attempt[] = [];
  readonly closes: { link: string; at: number; reason: Reason }[] = [];
  readonly violations: string[] = [];
  private readonly live = new Map<string, number>();
  /** Most sockets live at once for any one link. */
  maxLivePerLink = 0;
  /** Most sockets live at once overall. */
  maxLive = 0;
  private liveTotal = 0;
  readonly transport: Transport;

  /** Attempts made so far (also when the log is not kept). */
  attemptCount = 0;

  constructor(
    base: Transport = wsTransport,
    private readonly linkOf: (url: string) => string = (url) => new URL(url).searchParams.get('link') ?? url,
    /** Keep every attempt and close (false for long runs whose memory is measured). */
    private readonly keepLog = true,
  ) {
    const probe = this;
    this.transport = {
      name: base.name,
      inProcess: base.inProcess,
      protocolPing: base.protocolPing,
      schemes: base.schemes,
      connect(target, handlers, context): TransportConnection {
        const link = probe.linkOf(target.url);
        const release = probe.open(link);
        const connection = base.connect(
          target,
          {
            ...handlers,
            closed: (reason) => {
              release();
              if (probe.keepLog) probe.closes.push({ link, at: performance.now(), reason });
              handlers.closed(reason);
            },
          },
          context,
        );
        return {
          send: (data) => connection.send(data),
          ping: () => connection.ping(),
          close: (code, reason) => connection.close(code, reason),
          terminate: () => {
            release();
            connection.terminate();
          },
          get bufferedAmount() {
            return connection.bufferedAmount;
          },
        };
      },
    };
  }

  /** Sockets live now for `link` (or overall). */
  liveCount(link?: string): number {
    return link === undefined ? this.liveTotal : (this.live.get(link) ?? 0);
  }

  /** Attempt times (ms, performance.now()) since `from`, optionally of one link. */
  attemptsSince(from: number, link?: string): number[] {
    return this.attempts
      .filter((a) => a.at >= from && (link === undefined || a.link === link))
      .map((a) => a.at);
  }

  private open(link: string): () => void {
    this.attemptCount++;
    if (this.keepLog) this.attempts.push({ link, at: performance.now() });
    const n = (this.live.get(link) ?? 0) + 1;
    this.live.set(link, n);
    this.liveTotal++;
    this.maxLive = Math.max(this.maxLive, this.liveTotal);
    this.maxLivePerLink = Math.max(this.maxLivePerLink, n);
    if (n > 1 && this.violations.length < 100) {
      this.violations.push(`link ${link}: ${n} live sockets at ${performance.now().toFixed(1)} ms`);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.liveTotal--;
      this.live.set(link, (this.live.get(link) ?? 1) - 1);
    };
  }
}

/** The most events within any window [t, t + widthMs) (sliding, starting at an event). */
export function peakInWindow(times: readonly number[], widthMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= widthMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

export function max(values: readonly number[]): number {
  return values.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY);
}

/** `?link=<n>` URLs of a proxy for links 0..count-1. */
export function linkUrl(base: string, n: number | string): string {
  return `${base}${base.includes('?') ? '&' : '?'}link=${n}`;
}

/**
 * The poll period of `watchLoop()`'s timer, ms: a stall is a tick that came later than this.
 */
export const LOOP_TICK_MS = 2;
/**
 * Lateness of a tick below this (ms) is not recorded as a stall: timer jitter on a healthy loop.
 * What it hides is covered by each scenario's own slack.
 */
export const STALL_MIN_MS = 3;
/**
 * A run during which the event loop stalled longer than this, in one piece, measured the machine
 * more than the library: the scenarios that compare against a server-side clock (herd) report it
 * and check the server-side figure only when no stall was this long.
 */
export const STALL_LIMIT_MS = 50;

/** One stall of the event loop: from when the watcher's tick was due to when it ran (ms, performance.now()). */
export interface Stall {
  from: number;
  to: number;
}

/** What `watchLoop()` returns: the stalls seen, and the stall time inside a measured interval. */
export interface LoopWatch {
  /** Every stall seen so far, in order. */
  readonly stalls: readonly Stall[];
  /** Stall time (ms) inside [from, to]: what the loop could not run of that interval. */
  stalledWithin(from: number, to: number): number;
  /** The longest stall seen so far (ms; 0 if none). */
  longest(): number;
  /** Stops watching; returns the longest stall seen (ms). */
  stop(): number;
}

/**
 * Watches the event loop with a timer every LOOP_TICK_MS: a tick that runs more than
 * STALL_MIN_MS late records the time between when it was due and when it ran as a stall (the
 * process was descheduled, a GC paused it, or one callback ran that long). A timer of the library
 * due inside a stall fires at its end at the earliest, so a measured interval that holds stalls is
 * late by at most their time inside it: `stalledWithin()` is what a timing check subtracts
 * before comparing with a bound computed from the policy (never the lower bound: a stall only
 * makes intervals longer). The watcher's own interval is `unref`ed.
 */
export function watchLoop(): LoopWatch {
  const stalls: Stall[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const due = last + LOOP_TICK_MS;
    if (now - due > STALL_MIN_MS) stalls.push({ from: due, to: now });
    last = now;
  }, LOOP_TICK_MS);
  timer.unref();
  const longest = () => stalls.reduce((m, s) => Math.max(m, s.to - s.from), 0);
  let stopped = false;
  return {
    stalls,
    stalledWithin(from, to) {
      let total = 0;
      for (const s of stalls) total += Math.max(0, Math.min(to, s.to) - Math.max(from, s.from));
      return total;
    },
    longest,
    stop() {
      if (!stopped) {
        stopped = true;
        // A stall still under way at the end is seen by one last look.
        const now = performance.now();
        if (now - (last + LOOP_TICK_MS) > STALL_MIN_MS) stalls.push({ from: last + LOOP_TICK_MS, to: now });
        clearInterval(timer);
      }
      return longest();
    },
  };
}
