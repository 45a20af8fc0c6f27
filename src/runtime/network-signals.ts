/**
 * The network signals a supervisor raises by itself (option `networkSignals`, on by default): the
 * platform's network events (`transport.watchNetwork`: a browser page's online / offline,
 * visibility and freeze / resume) and a `wake` when a link's heartbeat sees time jump (the machine
 * slept), one for all links however many see it within WAKE_COALESCE_MS (machines/policy/network.ts).
 * What a signal does to the links is the socket chart's (`network.*`); `supervisor.signal()` raises
 * them, checked by `checkNetworkSignal`.
 */
import { WAKE_COALESCE_MS } from '../../machines/policy/network.js';
import type { Transport } from '../transports/transport.js';
import type { Clock } from '../util/clock.js';
import { describe } from '../util/describe.js';
import { LinkvisorError, optionError } from '../util/errors.js';
import { shownChoice } from '../util/option-checks.js';
import type { NetworkSignal } from './supervisor-types.js';

/** Throws LV_ERR_INVALID_OPTION (option `signal`) unless `kind` is a network signal. */
export function checkNetworkSignal(kind: NetworkSignal): void {
  if (kind !== 'offline' && kind !== 'online' && kind !== 'wake') {
    throw optionError(
      'signal',
      `must be 'offline', 'online' or 'wake', got ${shownChoice(kind, ['offline', 'online', 'wake'])}`,
    );
  }
}

/** The platform's network events wired to a supervisor, and the coalescing of its `wake`s. */
export class NetworkSignals {
  private lastWakeAt = Number.NEGATIVE_INFINITY;
  /** Unwires the platform's network events (close, terminate). */
  private unwatch?: () => void;
  /** Reports a failure of the unwiring (close, terminate). */
  private onError?: (error: LinkvisorError) => void;
  /** What the callback given to the transport reaches, until stop(): listeners a transport keeps
   * (no unwiring, or one that threw) then hold no supervisor (test/runtime/watch-network-unwire.test.ts). */
  private readonly relay: { to?: (kind: NetworkSignal) => void } = {};

  constructor(
    private readonly clock: Clock,
    /** Runs an effect after the socket's current step (./after-step.ts). */
    private readonly defer: (effect: () => void) => void,
  ) {}

  /** Wires the platform's network events, if the transport has any, to `raise`; what
   * `watchNetwork` throws reaches `onError` (LV_ERR_LISTENER) after the current step, and so does a
   * signal it raises that is none (LV_ERR_INVALID_OPTION naming `signal`), never thrown into the
   * transport's own event handler. */
  watch(
    transport: Transport,
    raise: (kind: NetworkSignal) => void,
    onError: (error: LinkvisorError) => void,
  ): void {
    if (!transport.watchNetwork) return;
    const checked = (kind: NetworkSignal) => {
      if (kind === 'offline' || kind === 'online' || kind === 'wake') raise(kind);
      else {
        const problem = `transport.watchNetwork() raised ${describe(kind)}: not 'offline', 'online' or 'wake'`;
        this.defer(() => onError(optionError('signal', problem)));
      }
    };
    this.relay.to = checked;
    this.onError = onError;
    try {
      const unwatch = transport.watchNetwork(relayTo(this.relay));
      if (typeof unwatch === 'function') this.unwatch = unwatch;
      else
        this.defer(() =>
          onError(new LinkvisorError('LV_ERR_LISTENER', 'transport.watchNetwork() gave no unwiring')),
        );
    } catch (error) {
      this.defer(() =>
        onError(new LinkvisorError('LV_ERR_LISTENER', 'transport.watchNetwork() threw', { cause: error })),
      );
    }
  }

  /** A `wake` was signalled now. */
  woke(): void {
    this.lastWakeAt = this.clock.now();
  }

  /** A link's heartbeat saw time jump (sleep): `wake` after the current step, unless one was
   * signalled within WAKE_COALESCE_MS (one `wake` for all links, not one per link). The wake
   * deferred counts from now: the links that notice the same jump before it runs (an application
   * sending on each of its links in one job) raise none (test/runtime/wake-one-per-jump.test.ts). */
  timeJumped(wake: () => void): void {
    if (this.clock.now() - this.lastWakeAt < WAKE_COALESCE_MS) return;
    this.woke();
    this.defer(wake);
  }

  /** Unwires the platform's network events (once: a terminate() after close() does not again). */
  stop(): void {
    const { unwatch, onError } = this;
    this.unwatch = this.onError = this.relay.to = undefined;
    try {
      unwatch?.();
    } catch (error) {
      onError?.(
        new LinkvisorError('LV_ERR_LISTENER', 'transport.watchNetwork() unwiring threw', { cause: error }),
      );
    }
  }
}

/** The callback a transport keeps: it reaches the supervisor through `relay` alone (a closure of
 * its own, not sharing watch()'s scope), so stop() can cut it. */
function relayTo(relay: { to?: (kind: NetworkSignal) => void }): (kind: NetworkSignal) => void {
  return (kind) => relay.to?.(kind);
}
