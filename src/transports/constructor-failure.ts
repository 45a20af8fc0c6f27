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

/** A property of a thrown value, read without trusting it (a getter may throw). */
function field(error: unknown, key: 'name' | 'code'): string | undefined {
  try {
    const value = (error as Record<string, unknown> | null | undefined)?.[key];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The part a SyntaxError is about: the URL unless subprotocols were given to a URL that a
 * WebSocket takes (ws: or wss:, no fragment), then those. */
function refusedPart(target: TransportTarget): 'url' | 'protocols' {
  if (target.protocols.length === 0) return 'url';
  try {
    const url = new URL(target.url);
    return (url.protocol === 'ws:' || url.protocol === 'wss:') && !url.hash ? 'protocols' : 'url';
  } catch {
    return 'url';
  }
}

/** The reason for the exception `error` of the constructor asked to open `target`. */
export function constructorFailure(
  error: unknown,
  target: TransportTarget,
  redact: (text: string) => string,
): Reason {
  const name = field(error, 'name');
  const code = field(error, 'code');
  // The link's own secrets, and the query values and user info of any URL quoted in it.
  const text = `${name ?? 'exception'}: ${redact(redactUrlsIn(describeThrown(error)))}`;
  if (name === 'SyntaxError' || code === 'ERR_INVALID_URL') {
    return refusedPart(target) === 'url'
      ? {
          kind: 'error',
          errorCode: 'LV_ERR_INVALID_URL',
          message: `url: the WebSocket constructor refused it (${text})`,
        }
      : {
          kind: 'invalid',
          errorCode: 'LV_ERR_INVALID_OPTION',
          message: `protocols: the WebSocket constructor refused them (${text})`,
        };
  }
  if (name === 'SecurityError') {
    return {
      kind: 'invalid',
      errorCode: 'SecurityError',
      message: `url: the page may not open it (${text})`,
    };
  }
  return {
    kind: 'error',
    errorCode: code ?? 'LV_ERR_TRANSPORT',
    message: `the WebSocket constructor threw (${text})`,
  };
}
