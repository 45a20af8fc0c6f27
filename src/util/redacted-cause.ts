/**
 * The `cause` an error shows: a redacted copy of what was thrown, never the thrown value itself
 * (docs/errors.md, "What `cause` is"). A token endpoint's error, a socket library's
 * `Invalid URL: wss://…?token=…`, a listener's error quoting a header: their message, stack,
 * `code` and nested causes may all hold the link's secrets, and `util.inspect(error)` or a
 * logger prints every one of them.
 *
 * The copy of an object (an Error, a Proxy, anything thrown): a plain Error whose `message`,
 * `name`, `code` and `stack` are the original's, strings redacted (an object there is shown as
 * REDACTED), whose `cause` is the original's copied the same way (MAX_DEPTH deep), and nothing
 * else of the original; an object without a string `message` has its JSON, redacted, as message.
 * A string or symbol becomes its redacted text; a number, boolean, bigint, null or undefined is
 * kept. Never throws (a getter or a Proxy trap that throws: REDACTED), never loops (a cause that
 * is itself: MAX_DEPTH copies). Kept small: it is in every browser bundle.
 */
import { redactUrlsIn } from './redact-url.js';
import { REDACTED } from './redacted.js';

/** How deep nested causes are copied; a deeper one is shown as REDACTED. */
const MAX_DEPTH = 8;

/** A redacted copy of `value` (see the file header): `redact` scrubs the link's known secrets (its
 * SecretSet, in every form), then any URL left in the text loses its query values and user info. */
export function redactedCause(value: unknown, redact: (text: string) => string, depth = 0): unknown {
  try {
    if (typeof value === 'string' || typeof value === 'symbol') return redactUrlsIn(redact(String(value)));
    if (!value || (typeof value !== 'object' && typeof value !== 'function')) return value;
    if (depth >= MAX_DEPTH) return REDACTED;
    const source = value as Record<string, unknown>;
    const out = new Error(
      typeof source.message === 'string' ? '' : (redactedCause(JSON.stringify(value), redact) as string),
    );
    // Only the cause is copied deeper: another field that is an object is shown as REDACTED.
    for (const key of ['message', 'name', 'code', 'stack', 'cause']) {
      const field = source[key];
      if (field !== undefined)
        (out as unknown as Record<string, unknown>)[key] = redactedCause(
          field,
          redact,
          key === 'cause' ? depth + 1 : MAX_DEPTH,
        );
    }
    return out;
  } catch {
    return REDACTED;
  }
}
