/**
 * Network signals: THE home of the number that decides how soon links come back when the network
 * does (`supervisor.signal('online' | 'wake')`).
 *
 * A link waiting for a retry (`reconnecting`, or `suspended` by an `offline` signal) skips the rest
 * of its backoff and attempts after `rejoinDelay`: uniform in [0, rejoinJitterMs]. The backoff
 * may have grown to 30 s while the network was gone; the network is back now, so waiting longer
 * helps nobody — but a thousand tabs that see `online` in the same instant must not all connect
 * in that instant. One second of uniform jitter spreads them (no 100 ms slice gets much more than
 * a tenth of them) while a user barely notices it. The connection chart refers to this module
 * through its state `rejoining` and the named delay `rejoinDelay`. Pure: the PRNG state travels in
 * and out.
 */
import { nextRandom, type RandomState } from './random.js';
import { MAX_TIMER_MS } from './timeouts.js';

/** The numbers of how soon waiting links come back when the network does. */
export interface NetworkOptions {
  /** After `online` / `wake`, a waiting link attempts within [0, rejoinJitterMs], in ms. */
  rejoinJitterMs: number;
}

/** The default rejoin window (the reason is in this module's header). */
export const NETWORK_DEFAULTS: Readonly<NetworkOptions> = Object.freeze({
  rejoinJitterMs: 1_000,
});

/** The delay before a waiting link attempts after the network came back, and the PRNG after it. */
export function rejoinDelay(
  random: RandomState,
  options: NetworkOptions,
): { delayMs: number; random: RandomState } {
  if (options.rejoinJitterMs <= 0) return { delayMs: 0, random };
  const draw = nextRandom(random);
  const delayMs = Math.min(MAX_TIMER_MS, Math.round(draw.value * options.rejoinJitterMs));
  return { delayMs, random: draw.state };
}

/**
 * Time jumps seen by several links' heartbeats (the machine slept) raise ONE `wake`: a wake within
 * this long of the previous one is the same wake, in ms. Every link's heartbeat notices the same
 * jump on its next send or timer; one signal per jump, not one per link.
 */
export const WAKE_COALESCE_MS = 1_000;
