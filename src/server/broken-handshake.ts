/**
 * The `error` a `resumable` server reports when a socket without a session breaks the resume
 * protocol (./resumable.ts closes it with 1002 and counts it in `status().brokenHandshakes`).
 */
import { LinkvisorError } from '../util/errors.js';

/** LV_ERR_RESUME naming what broke (`why`: the kind of frame, never its content: a hello carries
 * session ids, which are bearer secrets). */
export function brokenHandshakeError(why: string): LinkvisorError {
  return new LinkvisorError(
    'LV_ERR_RESUME',
    `a client broke the resume protocol before it had a session (${why}): its socket closed with 1002`,
  );
}
