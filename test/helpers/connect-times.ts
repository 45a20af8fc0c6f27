/**
 * A transport wrapper for tests that check when attempts start: it records the clock time of every
 * connect the runtime asks for, then delegates to the wrapped transport.
 */
import type { Transport } from '../../src/index.js';

/** `inner`, recording `clock.now()` into `connects` at every connect. */
export function recordingConnects(inner: Transport, clock: { now(): number }, connects: number[]): Transport {
  return {
    name: inner.name,
    inProcess: inner.inProcess,
    protocolPing: inner.protocolPing,
    schemes: inner.schemes,
    connect(target, handlers, context) {
      connects.push(clock.now());
      return inner.connect(target, handlers, context);
    },
  };
}
