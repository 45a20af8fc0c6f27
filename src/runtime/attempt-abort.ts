/**
 * The reason an attempt's signal aborts with, a link feature (./link-features.ts): an
 * LV_ERR_ABORTED whose message says why the attempt ended (the link closed, the attempt timed
 * out, a newer attempt superseded it, the socket closed, resolving the connection details failed,
 * the attempt failed). The signal reaches
 * the user's per-attempt `url`, `protocols`, `headers` and `wsOptions` functions and `handshake`;
 * the drop-in's URL and protocols providers take none, so its links go without this feature and
 * its bundle without these words (their signal, which nobody sees, aborts with the platform's
 * AbortError). test/integration/attempt-signal-reason.test.ts holds the words.
 */
import type { ConnectionContext } from '../../machines/connection.machine.js';
import type { Reason } from '../../machines/policy/close-reason.js';
import { LinkvisorError } from '../util/errors.js';

/** Why the chart leaves `attempt` (the event of the transition; a link closing waits in
 * `attempt.closing` with its close recorded): the words of the abort reason. */
function endedBy({
  context,
  event: { type, reason },
}: {
  context: ConnectionContext;
  event: { type: string; reason?: Reason };
}): string {
  if (type === 'link.close' || type === 'link.terminate' || context.reason?.kind === 'user')
    return 'the link closed';
  if (type === 'link.reconnect' || type === 'link.restart') return 'a newer attempt superseded it';
  if (type.startsWith('xstate.after')) return 'the attempt timed out';
  // A part that threw, rejected or gave an invalid URL (./attempt-target.ts targetFailure) while
  // another still awaits.
  const code = reason?.errorCode;
  if (code === 'LV_ERR_RESOLVE' || code === 'LV_ERR_INVALID_URL')
    return 'resolving the connection details failed';
  if (type === 'transport.closed') return 'the socket closed';
  return 'the attempt failed';
}

/** The feature: the words when the chart leaves `attempt`, and the reason built from them
 * (`why` absent: the link itself ended it, stopped or closed, outside the chart's transitions).
 * Never a secret: fixed words. */
export const ATTEMPT_ABORT = {
  endedBy,
  reason: (attempt: number, why = 'the link closed'): LinkvisorError =>
    new LinkvisorError('LV_ERR_ABORTED', `attempt ${attempt} aborted: ${why}`),
};

export type AttemptAbort = typeof ATTEMPT_ABORT;
