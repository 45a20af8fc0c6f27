/**
 * An attempt's opening (./attempt.ts): its target resolved (the per-attempt URL and headers,
 * ./attempt-target.ts), its secrets noted, its socket opened through the transport.
 */
import type { Reason } from '../../machines/policy/close-reason.js';
import { connectMethods, errorReason, type TransportConnection } from '../transports/transport.js';
import type { Attempt } from './attempt.js';
import { type CheckedTarget, resolveTarget, targetFailure } from './attempt-target.js';

/** Resolves the target (`lastReason`: why the previous attempt ended, for a per-attempt URL or
 * header function) and opens it. */
export function openAttempt(attempt: Attempt, lastReason: Reason | null): void {
  const target = resolveTarget(attempt.wire.config, attempt, lastReason);
  if (target instanceof Promise) {
    target.then(
      (resolved) => {
        // The chart waits in `resolving` (its resolveTimeout) until now; the connect timeout
        // starts here, as the transport is asked to open the resolved target.
        attempt.report({ type: 'transport.opening' });
        openTarget(attempt, resolved);
      },
      (error) => attempt.fail(targetFailure(error, attempt.wire.redactUser)),
    );
  } else {
    openTarget(attempt, target);
  }
}

/** Opens the resolved target (the attempt is the transport's handlers and context). */
function openTarget(attempt: Attempt, { target, shownUrl, secrets }: CheckedTarget): void {
  if (attempt.disposed) return;
  const wire = attempt.wire;
  wire.addSecrets(target.url, target.headers, secrets);
  wire.lastUrl = shownUrl;
  let connection: TransportConnection;
  try {
    connection = (wire.config.connectWith ?? connectMethods)(wire.config.transport, target, attempt);
  } catch (error) {
    // A custom transport that throws instead of reporting: this attempt failed, the link retries.
    const reason = errorReason(error, wire.redactUser);
    attempt.fail({
      ...reason,
      errorCode: reason.errorCode ?? 'LV_ERR_TRANSPORT',
      message: `the transport's connect() threw: ${reason.message}`,
    });
    return;
  }
  attempt.connection = connection;
  wire.connection = connection;
  // In-process, ready before its socket: a paused link holds it at once.
  if (attempt.wasReady) wire.reading?.holdSocket();
  // In-process, the chart declared this attempt ready before a per-attempt URL resolved: the
  // queue waits for this socket (and sends keep queueing behind it) until it is flushed, also
  // what was queued before ready (the ready step's flush, with no socket, left it unwritable).
  // A close meanwhile disposed the attempt (its drain, with no socket, ends at once).
  if (attempt.wasReady && !attempt.disposed) wire.flush(true);
}
