/**
 * Heartbeat: how a ready link proves its peer is still there.
 *
 * `protocol` uses WebSocket ping/pong frames (Node `ws`; every conforming server answers them);
 * `app` sends an application ping and matches the pong (works in browsers); `off` disables it.
 * The chart refers to these numbers through the named delays `heartbeatInterval` and
 * `heartbeatTimeout`.
 *
 * Rules the chart enforces: a link is declared lost after `maxMissed` consecutive unanswered
 * pings, and never if the peer has not answered a single ping on this socket yet (it may not speak
 * the protocol, or the socket opened while the application held reading paused and could read no
 * answer): `pongSeen` belongs to one attempt. Once the endpoint has answered a ping on any socket,
 * any inbound message in answer to a ping counts as a pong on the next sockets (the runtime reports
 * it so), so a busy socket proves itself at its first ping.
 * Any inbound message while a pong is awaited also proves the path alive.
 * While the application holds reading paused (`Link.pause`, backpressure) no pong can be read:
 * the chart waits in `ready.paused` judging none, and reading again starts a whole window
 * (`livenessWindowMs`), so a peer that is really gone is found that long after the resume. A
 * paused socket reads no close either, so ready.paused writes a probe every `intervalMs` (the
 * `heartbeatInterval` delay: a paused link writes no more than a healthy one pings): to a peer that
 * is gone the write fails and the socket ends.
 */
export type HeartbeatMode = 'protocol' | 'app' | 'off';

/**
 * How a ready link checks its peer: the mode, the quiet time before a ping, the wait for its pong,
 * and the pongs it may miss (defaults: `HEARTBEAT_DEFAULTS`).
 */
export interface HeartbeatOptions {
  mode: HeartbeatMode;
  /** Quiet time in `ready` before a ping is sent, in ms. */
  intervalMs: number;
  /** Time to wait for the pong, in ms. */
  timeoutMs: number;
  /** Consecutive unanswered pings that make the link lost; at least 1. */
  maxMissed: number;
}

/**
 * Heartbeat defaults: protocol pings after 30 s of quiet, 10 s for the pong, one miss declares the
 * link lost.
 */
export const HEARTBEAT_DEFAULTS: Readonly<HeartbeatOptions> = Object.freeze({
  mode: 'protocol',
  intervalMs: 30_000,
  timeoutMs: 10_000,
  maxMissed: 1,
});

/** The longest a healthy ready link can go without any sign of its peer, in ms. */
export function livenessWindowMs(options: HeartbeatOptions): number {
  return options.intervalMs + options.timeoutMs;
}

/**
 * The stable wait (backoff.stableAfterMs) shares the heartbeat's timer, so a ready link holds
 * one live timer: a quiet interval in which the stable wait ends is split in two at that point
 * (`settling` for `stableInMs`, then `settled` for the rest); a quiet interval that ends first
 * counts toward it. Only whole quiet intervals are counted (not the time a ping waits for its
 * pong, nor an interval cut short by an overdue check after a sleep), so a link is stable after
 * at least stableAfterMs in ready (more when the wait spans pings or a sleep), never sooner.
 * With the heartbeat off the stable wait is the only timer.
 */
export function stableEndsWithinRest(
  stableInMs: number,
  options: Pick<HeartbeatOptions, 'intervalMs'>,
): boolean {
  return stableInMs <= options.intervalMs;
}

/** What is left of the quiet interval once the stable wait of `stableInMs` has ended, in ms. */
export function restAfterStableMs(stableInMs: number, options: Pick<HeartbeatOptions, 'intervalMs'>): number {
  return Math.max(0, options.intervalMs - stableInMs);
}

/** The stable wait left after a whole quiet interval, in ms. */
export function creditedStableInMs(
  stableInMs: number,
  options: Pick<HeartbeatOptions, 'intervalMs'>,
): number {
  return Math.max(0, stableInMs - options.intervalMs);
}
