/**
 * What a test gives the in-process network, checked at once (LV_ERR_* naming the argument), as
 * every other entry's options are: `listen(url)` (a `mem://` URL no server listens on yet),
 * `setLatency(ms)`, `refuse(how)`, and a peer's `close`/`dropAll` codes and `fail` reason. Unchecked, a typo was a server no link could reach (refused
 * as ECONNREFUSED, far from the typo), a latency of `'10'` or `-1` a timer of whatever the clock
 * made of it, and a refusal of `{ status: '403' }` a reason the link's retry decision could not read.
 */
import { MAX_TIMER_MS } from '../../machines/policy/timeouts.js';
import { describe, isRecord } from '../util/describe.js';
import { LinkvisorError, optionError } from '../util/errors.js';
import { checkNumber } from '../util/option-checks.js';
import type { RefuseWith } from './memory-server.js';

/** `url` to listen on: a string that parses as a `mem:` URL, not taken by a server of `servers`. */
export function checkListenUrl(url: unknown, servers: ReadonlyMap<string, unknown>): string {
  let scheme: string | null = null;
  try {
    scheme = typeof url === 'string' ? new URL(url).protocol : null;
  } catch {
    // not a URL: said below
  }
  if (scheme !== 'mem:')
    throw optionError('url', `must be a mem:// URL, got ${describe(url)}`, 'LV_ERR_INVALID_URL');
  const text = url as string;
  if (servers.has(text))
    throw new LinkvisorError('LV_ERR_DUPLICATE_ID', `url: a memory server already listens on ${text}`, {
      option: 'url',
    });
  return text;
}

/** A latency in ms: a whole or fractional number from 0 to the longest timer. */
export const checkLatency = (ms: unknown): number => checkNumber(ms, 'ms', { max: MAX_TIMER_MS });

/** How to refuse: `{ error }` (a non-empty code), `{ status }` (an HTTP status 100–599, with
 * `retryAfterSeconds` ≥ 0) or `{ code }` (a close code `ws` sends, with a string `reason`:
 * checkPeerClose). */
export function checkRefuseWith(how: unknown): RefuseWith {
  if (isRecord(how)) {
    if ('error' in how) {
      if (typeof how.error !== 'string' || how.error === '')
        throw optionError(
          'how.error',
          `must be an error code such as 'ECONNREFUSED', got ${describe(how.error)}`,
        );
      return how as RefuseWith;
    }
    if ('status' in how) {
      checkNumber(how.status, 'how.status', { min: 100, max: 599, integer: true });
      if (how.retryAfterSeconds !== undefined) checkNumber(how.retryAfterSeconds, 'how.retryAfterSeconds');
      return how as RefuseWith;
    }
    if ('code' in how) {
      checkPeerClose(how.code, how.reason === undefined ? '' : how.reason, 'how.');
      return how as RefuseWith;
    }
  }
  throw optionError('how', `must be { error }, { status } or { code }, got ${describe(how)}`);
}

/** Whether a WebSocket may send `code` in a close frame, as `ws` 8 decides (its validation.js
 * `isValidStatusCode`; RFC 6455 §7.4): 1000–1003, 1007–1014 or 3000–4999. 1004 and 1016–2999 are
 * reserved, 1005, 1006 and 1015 are never sent (they only describe a close that carried none). */
function sendableCloseCode(code: unknown): boolean {
  const c = code as number;
  return (
    Number.isInteger(c) && ((c >= 1000 && c <= 1014 && (c < 1004 || c > 1006)) || (c >= 3000 && c <= 4999))
  );
}

/** A close code the in-process network sends (a peer's `close`, `dropAll`, `refuse({ code })`, a
 * client's close frame): one `ws` sends (sendableCloseCode), else LV_ERR_INVALID_OPTION naming
 * `option` where `ws` throws `TypeError: First argument must be a valid error code number`. */
function checkSentCloseCode(code: unknown, option = 'code'): number {
  if (!sendableCloseCode(code))
    throw optionError(
      option,
      `must be a close code a WebSocket sends (1000–1003, 1007–1014 or 3000–4999), got ${describe(code)}`,
    );
  return code as number;
}

/** How a peer ends (`close(code, reason)`, `dropAll(code, reason)`; a client's close frame too): a
 * code `ws` sends (checkSentCloseCode) and a string reason of at most 123 bytes of UTF-8 (`ws`
 * throws a RangeError for a longer one); else LV_ERR_INVALID_OPTION naming it (a NaN or a string
 * code reached the link's retry decision as its close code; a reserved one passed on memory and
 * threw on ws). `dropAll(1006)`, a reset, is no close frame: dropAll takes it before this check. */
export function checkPeerClose(code: unknown, reason: unknown, at = ''): void {
  checkSentCloseCode(code, `${at}code`);
  if (typeof reason !== 'string')
    throw optionError(`${at}reason`, `must be a string, got ${describe(reason)}`);
  if (new TextEncoder().encode(reason).length > MAX_CLOSE_REASON_BYTES)
    throw optionError(`${at}reason`, `must be at most ${MAX_CLOSE_REASON_BYTES} bytes of UTF-8`);
}

/** The longest close reason a close frame carries (RFC 6455 §5.5: 125 bytes less the code's 2). */
const MAX_CLOSE_REASON_BYTES = 123;

/** A reason a peer fails with (`fail(reason)`): an object with a `kind` and a `message`, as a
 * replayed trace's; else LV_ERR_INVALID_OPTION naming `reason` (null ended nothing, silently). */
export function checkPeerReason(reason: unknown): void {
  if (!isRecord(reason) || typeof reason.kind !== 'string' || typeof reason.message !== 'string')
    throw optionError('reason', `must be a reason ({ kind, message }), got ${describe(reason)}`);
}
