/**
 * What an exception of a WebSocket constructor means for the link (WHATWG's, `ws`'s or a
 * polyfill's). A `SyntaxError` (a DOMException's, or one whose text says URL or protocol) refuses
 * the URL or the subprotocols: fatal, naming the one it is about (LV_ERR_INVALID_URL for `url`,
 * LV_ERR_INVALID_OPTION for `protocols`). A `SecurityError` (an insecure ws: from an https: page, a
 * blocked port): fatal, error code LV_ERR_BLOCKED_URL, naming `url`, not called an invalid URL.
 * Anything else (a polyfill's transient resource error, whatever a user class throws, a
 * SyntaxError of its own) is retryable: its own system code (EMFILE…) or LV_ERR_TRANSPORT. The
 * thrown text, the error's name with it, is redacted (it may quote the URL and its token).
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
  let text = describeThrown(error);
  try {
    ({ name, code } = error as { name?: unknown; code?: unknown });
    text = `${name}: ${text}`;
  } catch {
    // null, undefined, a getter that throws, a name that cannot be a string: the text alone.
  }
  const reason = (kind: Reason['kind'], errorCode: unknown, what: string): Reason => ({
    kind,
    errorCode: typeof errorCode === 'string' ? errorCode : 'LV_ERR_TRANSPORT',
    // The link's own secrets, and the query values and user info of any URL quoted in it.
    message: `${what} the WebSocket constructor (${redact(redactUrlsIn(text))})`,
  });
  if (name === 'SecurityError') return reason('invalid', 'LV_ERR_BLOCKED_URL', 'url: refused by');
  // A SyntaxError about the URL or the subprotocols: a DOMException's (code 12: a browser's, whose
  // text may say neither), or one whose text names either (ws's). Another (JSON.parse in a user
  // class) is anything else: retried (a code such as Node's ERR_INVALID_URL is fatal by the
  // close table's error codes).
  if (name !== 'SyntaxError' || (code !== 12 && !/url|protocol/i.test(text))) {
    return reason('error', code, 'thrown by');
  }
  // About the URL, unless subprotocols were given with a URL a WebSocket takes (ws: or wss:; no
  // fragment reaches it, and the link checked both as a WebSocket does): those then.
  return protocols.length > 0 && /^wss?:/.test(url)
    ? reason('invalid', 'LV_ERR_INVALID_OPTION', 'protocols: refused by')
    : reason('error', 'LV_ERR_INVALID_URL', 'url: refused by');
}
