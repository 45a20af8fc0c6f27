/**
 * A closing link's attempt (./attempt.ts; the chart's `transport.drain`): what is queued goes out,
 * the socket hands everything to the network, then the close handshake starts.
 */
import type { Attempt } from './attempt.js';
import { transportCall } from './guarded-call.js';

/** How often a closing link checks that its socket has flushed, in ms (bounded by closeTimeoutMs). */
export const DRAIN_POLL_MS = 10;

/**
 * Flushes what is queued (only if the link got to ready: a handshake that never finished must
 * not see application messages), waits until the socket has handed everything to the network,
 * then starts the close handshake. The chart's closeTimeout bounds all of it.
 */
export function drainAttempt(attempt: Attempt, code: number, reason: string): void {
  const wire = attempt.wire;
  const connection = attempt.connection;
  if (!connection) {
    // In-process, ready before a per-attempt URL resolved: no socket to drain or close, so the
    // close is over now (what is queued is reported dropped), not after closeTimeoutMs.
    attempt.report({
      type: 'transport.closed',
      reason: { kind: 'close', code, message: 'closed before its socket opened' },
    });
    return;
  }
  // A drain under way (the link's own close after its supervisor's): the frame gets this code.
  const draining = attempt.closeFrame !== null;
  attempt.closeFrame = { code, reason };
  if (draining) return;
  wire.writable = false;
  // A paused socket reads again (into the unread list) so that its close handshake can end.
  if (wire.paused) wire.reading?.readToClose();
  if (attempt.wasReady) wire.flush(false);
  // The peer learns what arrived before the close, and frees its replay buffer.
  wire.session?.ack();
  const check = () => {
    attempt.drainTimer = null;
    if (attempt.disposed) return;
    const buffered = transportCall(wire, 'bufferedAmount', () => connection.bufferedAmount);
    if (typeof buffered === 'number' && buffered > 0) {
      attempt.drainTimer = wire.config.clock.setTimeout(check, DRAIN_POLL_MS);
      return;
    }
    const frame = attempt.closeFrame as { code: number; reason: string };
    // The code is final now: the chart's closing leaves draining (a later close only waits).
    // Reported first, so the link hears it before whatever the close itself reports.
    attempt.report({ type: 'transport.drained' });
    transportCall(wire, 'close()', () => connection.close(frame.code, frame.reason));
  };
  check();
}
