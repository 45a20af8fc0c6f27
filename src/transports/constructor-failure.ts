/**
 * What an exception of a WebSocket constructor means for the link (WHATWG's, `ws`'s or a
 * polyfill's). A `SyntaxError` (or Node's `ERR_INVALID_URL`) refuses the URL or the subprotocols:
 * fatal, naming the one it is about (LV_ERR_INVALID_URL for `url`, LV_ERR_INVALID_OPTION for
 * `protocols`). A `SecurityError` (an insecure ws: from an https: page, a blocked port): fatal,
 * error code `SecurityError`, naming `url`, not called an invalid URL. Anything else (a polyfill's
 * transient resource error, whatever a user class throws) is retryable: its own system code
 * (EMFILE…) or LV_ERR_TRANSPORT. The thrown text is redacted (it may quote the URL and its token).
 */
import type { Reason } from '../../machines/policy/close-reason.js';
import { redactUrlsIn } from '../util/redact.js';
import { describeThrown } from '../util/thrown.js';
import type { TransportTarget } from './transport.js';

/** The reason for the exception `error` of the constructor asked to open `target`. */
export function constructorFailure(
  error: unknown,
  { url, protocols }: TransportTarget,
  redact: (text: string) => string,
): Reason {
  let name: unknown;
  let code: unknown;
  try {
    ({ name, code } = error as { name?: unknown; code?: unknown });
  } catch {
    // null, undefined, or a getter that throws: neither is known.
  }
  const reason = (kind: Reason['kind'], errorCode: unknown, what: string): Reason => ({
    kind,
    errorCode: typeof errorCode === 'string' ? errorCode : 'LV_ERR_TRANSPORT',
    // The link's own secrets, and the query values and user info of any URL quoted in it.
    message: `${what} the WebSocket constructor (${String(name)}: ${redact(redactUrlsIn(describeThrown(error)))})`,
  });
  if (name === 'SecurityError') return reason('invalid', name, 'url: refused by');
  if (name !== 'SyntaxError' && code !== 'ERR_INVALID_URL') return reason('error', code, 'thrown by');
  // About the URL, unless subprotocols were given with a URL a WebSocket takes (ws: or wss:, no
  // fragment; the target's URL is as `new URL()` wrote it): those then.
  return protocols.length > 0 && /^wss?:[^#]*$/.test(url)
    ? reason('invalid', 'LV_ERR_INVALID_OPTION', 'protocols: refused by')
    : reason('error', 'LV_ERR_INVALID_URL', 'url: refused by');
}
