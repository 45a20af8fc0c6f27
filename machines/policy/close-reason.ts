/**
 * Why a link went down, and what that means for retrying: one table, tested row by row.
 *
 *   clean      the peer ended the link normally (1000); not an error; the link reconnects
 *   retryable  a transient fault: network error, timeout, restart, overload; reconnect with backoff
 *   refresh    the credentials were rejected (HTTP 401, close 3000, a close code the application
 *              marks as auth): with a per-attempt URL/header/protocol function, ONE attempt at
 *              once (the function sees the reason and fetches fresh credentials); fatal without
 *              one, and on the second consecutive rejection
 *   fatal      retrying cannot help (policy, protocol, bad URL); the link fails at once
 *   final      our own `close()`: the link ends, nothing is retried
 *
 * The user hook `shouldReconnect(reason, attempt)` can override the verdict; the chart consults
 * it in exactly one place, the `shouldRetry` guard.
 */

export type ReasonKind =
  | 'close' // the peer sent a close frame (or the socket closed without one: 1006)
  | 'http' // the upgrade was answered with an HTTP status other than 101
  | 'error' // a network or TLS error before or after open
  | 'timeout' // connect or handshake timeout
  | 'handshake' // the application handshake rejected
  | 'heartbeat' // pongs stopped coming
  | 'user' // close() was called
  | 'gave-up' // maxAttempts retries failed
  | 'intensity' // restarted more often than its intensity allows (then: 'fail')
  | 'group' // restarted with its group: a sibling was lost (strategy one-for-all / rest-for-one)
  | 'invalid'; // a user function returned something unusable (e.g. a NaN delay)

/** Plain, serialisable description of a disconnect. Messages are redacted before they get here. */
export interface Reason {
  kind: ReasonKind;
  /** WebSocket close code (kind `close`). */
  code?: number;
  /** HTTP status of a rejected upgrade (kind `http`). */
  status?: number;
  /** System error code such as ECONNREFUSED (kind `error`), or a LV_ERR_* code. */
  errorCode?: string;
  /** Which timeout fired (kind `timeout`): `connect` or `handshake`. */
  phase?: 'resolve' | 'connect' | 'handshake' | 'resume' | 'close';
  /** A server hint (HTTP Retry-After) for the earliest next attempt, in ms. */
  retryAfterMs?: number;
  /** Marks an application handshake error as fatal (kind `handshake`). */
  fatal?: boolean;
  /** The credentials were rejected: a close code the application listed in `authCloseCodes`
   * (kind `close`), classified `refresh`. */
  auth?: boolean;
  /** The member whose loss restarted this one with its group (kind `group`), e.g. `link:api/0`. */
  cause?: string;
  /** Human-readable, redacted. */
  message: string;
}

/**
 * What a disconnect means for the link: `clean` and `retryable` reconnect, `refresh` gets one
 * attempt at once with fresh credentials (or fails), `fatal` fails the link, `final` is its own close().
 */
export type Verdict = 'clean' | 'retryable' | 'refresh' | 'fatal' | 'final';

/** WebSocket close codes (RFC 6455 §7.4.1 and the IANA registry). */
export const CLOSE_CODE_VERDICTS: Readonly<Record<number, Verdict>> = Object.freeze({
  1000: 'clean', // normal closure by the peer
  1001: 'retryable', // going away (server shutdown, page navigation)
  1002: 'fatal', // protocol error
  1003: 'fatal', // unsupported data
  1005: 'retryable', // no status received
  1006: 'retryable', // abnormal closure (no close frame: network drop)
  1007: 'fatal', // invalid frame payload data
  1008: 'fatal', // policy violation (often: auth)
  1009: 'fatal', // message too big (retrying sends it again)
  1010: 'fatal', // mandatory extension missing
  1011: 'retryable', // internal server error
  1012: 'retryable', // service restart
  1013: 'retryable', // try again later
  1014: 'retryable', // bad gateway
  // TLS handshake failure, reported locally (no peer may send it; a browser's failed handshake):
  // retried, as Chromium's 1006 for the same failure is, and as a Node TLS error other than a trust
  // one is; a certificate mid-renewal or a proxy swapping its own is over in minutes.
  1015: 'retryable',
  3000: 'refresh', // unauthorized (IANA): fresh credentials may help
  3003: 'fatal', // forbidden (IANA)
  3008: 'retryable', // timeout (IANA)
});

/** HTTP statuses answering the upgrade request, where they differ from the class default. */
export const HTTP_STATUS_VERDICTS: Readonly<Record<number, Verdict>> = Object.freeze({
  // Temporary redirects (RFC 9110 §15.4: the client keeps using the URI): a proxy's maintenance
  // page or sign-in, a captive portal. Not followed, retried; 301 and 308 (moved for good) are fatal.
  302: 'retryable', // found
  303: 'retryable', // see other
  307: 'retryable', // temporary redirect
  408: 'retryable', // request timeout
  425: 'retryable', // too early
  429: 'retryable', // too many requests (honour Retry-After)
  401: 'refresh', // unauthorized: fresh credentials may help
  403: 'fatal', // forbidden
  404: 'fatal', // not found
});

/**
 * Error codes that retrying cannot fix (TLS trust, invalid URL); every other error retries. Not
 * CERT_HAS_EXPIRED (nor CERT_NOT_YET_VALID): a certificate out of its dates is fixed by a renewal
 * on the server (or the client's clock), with no change to the client, so it is retried as 1015 and
 * Chromium's 1006 for it are, and a fleet recovers by itself once the server is renewed. A trust
 * error (an issuer or name the client does not accept) says its `ca` or its URL is wrong.
 */
export const FATAL_ERROR_CODES: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_INVALID_URL',
  'LV_ERR_INVALID_URL',
]);

/**
 * Errors of the WebSocket client (ws's codes) that mean the PEER broke the protocol, with the
 * close code the client sends for each (RFC 6455 §7.4.1). They are classified by the close code
 * table, so a server that sends an oversize message, invalid UTF-8 or a bad frame gets the same
 * verdict as one that closes with 1009, 1007 or 1002: fatal, unless `shouldReconnect` says retry.
 * (A browser shows such failures as a 1006 close, which retries: it tells no more.)
 */
export const PROTOCOL_ERROR_CLOSE_CODES: Readonly<Record<string, number>> = Object.freeze({
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 1009, // a message over maxPayloadBytes
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: 1009, // a frame length beyond 2^53 - 1
  WS_ERR_INVALID_UTF8: 1007, // a text message or close reason that is not UTF-8
  WS_ERR_INVALID_OPCODE: 1002, // a reserved opcode, or a continuation out of place
  WS_ERR_INVALID_CLOSE_CODE: 1002, // a close frame with a code no peer may send
  WS_ERR_EXPECTED_FIN: 1002, // a fragmented control frame
  WS_ERR_EXPECTED_MASK: 1002, // (server side) an unmasked client frame
  WS_ERR_UNEXPECTED_MASK: 1002, // a masked server frame
  WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH: 1002, // a control frame over 125 bytes
  WS_ERR_UNEXPECTED_RSV_1: 1002, // compressed without the extension negotiated
  WS_ERR_UNEXPECTED_RSV_2_3: 1002, // reserved bits set
  WS_ERR_TOO_MANY_BUFFERED_PARTS: 1008, // a message in too many fragments (policy)
});

/**
 * The verdict for a WebSocket close code (listed codes, then the 4000–4999 application range;
 * unknown codes are retryable).
 */
export function classifyCloseCode(code: number): Verdict {
  const listed = CLOSE_CODE_VERDICTS[code];
  if (listed) return listed;
  // 4000–4999 are application codes: retried unless the application says otherwise through
  // shouldReconnect. Unknown codes are retried: failing a link for a code we do not know is worse.
  return 'retryable';
}

/**
 * The verdict for the HTTP status of a rejected upgrade (302, 303, 307, 408, 425, 429 and 5xx
 * retryable; 1xx, 2xx, other 3xx and other 4xx fatal).
 */
export function classifyHttpStatus(status: number): Verdict {
  const listed = HTTP_STATUS_VERDICTS[status];
  if (listed) return listed;
  if (status >= 500) return 'retryable';
  // Other 4xx, a permanent redirect (not followed) and a 1xx/2xx answer (not a WebSocket endpoint,
  // or a proxy dropped the upgrade): every retry would get the same answer.
  return 'fatal';
}

/**
 * The verdict for a disconnect reason: the close table of docs/lifecycle.md, before any
 * `shouldReconnect` hook.
 */
export function classify(reason: Reason): Verdict {
  switch (reason.kind) {
    case 'user':
      return 'final';
    case 'gave-up':
    case 'intensity':
    case 'invalid':
      return 'fatal';
    case 'close':
      return reason.auth ? 'refresh' : classifyCloseCode(reason.code ?? 1005);
    case 'http':
      return classifyHttpStatus(reason.status ?? 0);
    case 'error': {
      const errorCode = reason.errorCode;
      // Stryker disable next-line ConditionalExpression: without it, undefined is in neither table: retryable all the same
      if (errorCode === undefined) return 'retryable';
      // Own keys only: an error code such as 'constructor' must not find Object's prototype.
      if (Object.hasOwn(PROTOCOL_ERROR_CLOSE_CODES, errorCode)) {
        return classifyCloseCode(PROTOCOL_ERROR_CLOSE_CODES[errorCode] as number);
      }
      return FATAL_ERROR_CODES.has(errorCode) ? 'fatal' : 'retryable';
    }
    case 'handshake':
      return reason.fatal ? 'fatal' : 'retryable';
    default:
      // 'timeout', 'heartbeat', 'group', and a custom transport's kind of its own (docs/links.md):
      // retried as a network error is, so a kind of its own is `lastError` too and an exhausted
      // schedule fails `gave-up`, as a built-in kind's would (no case of their own: equivalent mutants).
      return 'retryable';
  }
}

/** Whether a disconnect rejected the link's credentials (verdict `refresh`): what a per-attempt
 * function checks in `lastReason` to fetch a fresh token rather than reuse its cached one. */
export function rejectsCredentials(reason: Reason | null | undefined): boolean {
  return reason != null && classify(reason) === 'refresh';
}

/** Whether a reason is an error worth reporting as `lastError` (clean and final ones are not). */
export function isErrorReason(reason: Reason): boolean {
  const verdict = classify(reason);
  return verdict === 'retryable' || verdict === 'refresh' || verdict === 'fatal';
}

/** Parses an HTTP `Retry-After` value (delta-seconds or HTTP-date) into ms from `nowMs`. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP-date (IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT"); anything else is ignored.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
