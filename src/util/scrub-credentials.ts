/**
 * Credentials in free text a library cannot know in advance (a health probe's error, a page's
 * command): `Bearer abc`, `Basic abc`, `token=abc`, `"apiKey": "abc"`, `password: abc`, and URLs'
 * query values and user info, all replaced by `[redacted]`. The known secrets of a link (its URL's,
 * headers', subprotocols') are scrubbed exactly, in every encoding, by ./redact.ts; this pass is
 * for text that comes from outside a link.
 */
import { REDACTED, redactUrlsIn } from './redact.js';

const CREDENTIAL_SCHEMES = /\b(Bearer|Basic|Digest|Token)\s+[A-Za-z0-9._~+/=-]+/gi;
const SECRET_ASSIGNMENTS =
  /\b([\w-]*(?:auth|token|key|secret|cookie|session|signature|password|credential)[\w-]*)(["']?\s*[:=]\s*["']?)([^\s"'&,;}]+)/gi;

/** `text` with URLs, credential schemes and secret assignments redacted. */
export function scrubCredentials(text: string): string {
  return redactUrlsIn(text)
    .replace(CREDENTIAL_SCHEMES, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(SECRET_ASSIGNMENTS, (match, name: string, sep: string, value: string) =>
      value === REDACTED ? match : `${name}${sep}${REDACTED}`,
    );
}
