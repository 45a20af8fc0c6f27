/**
 * Credentials in free text a library cannot know in advance (a health probe's error, a page's
 * command): `Bearer abc`, `Basic abc`, `token=abc`, `"apiKey": "abc"`, `password: abc`, `PWD=abc`,
 * a bare JWT, and URLs' query values and user info, all replaced by `[redacted]` — also when they
 * are percent-encoded (once or twice: a URL inside another's query, a DSN in a parameter), in
 * which case the word is shown decoded. The known secrets of a link (its URL's, headers',
 * subprotocols') are scrubbed exactly, in every encoding, by ./redact.ts; this pass is for text
 * that comes from outside a link.
 */
import { REDACTED, redactUrlsIn } from './redact.js';

const CREDENTIAL_SCHEMES = /\b(Bearer|Basic|Digest|Token)\s+[A-Za-z0-9._~+/=-]+/gi;
const SECRET_ASSIGNMENTS =
  /\b([\w-]*(?:auth|token|key|secret|cookie|session|signature|pass|pwd|credential)[\w-]*)(["']?\s*[:=]\s*["']?)([^\s"'&,;}]+)/gi;
/** A JSON Web Token: base64url header `{"…` and payload, then the signature. */
const JWT = /\beyJ[\w-]+\.[\w-]+\.[\w-]*/g;
/** A word holding percent-escapes, and one run of them. */
const ENCODED_WORD = /[^\s'"<>]*%[0-9a-f]{2}[^\s'"<>]*/gi;
const ESCAPES = /(?:%[0-9a-f]{2})+/gi;

/** `word` with its runs of valid percent-escapes decoded (an invalid run is kept as it is). */
function decodeEscapes(word: string): string {
  return word.replace(ESCAPES, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

function scrubPlain(text: string): string {
  return redactUrlsIn(text)
    .replace(CREDENTIAL_SCHEMES, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(SECRET_ASSIGNMENTS, (match, name: string, sep: string, value: string) =>
      value === REDACTED ? match : `${name}${sep}${REDACTED}`,
    )
    .replace(JWT, REDACTED);
}

/** `text` with URLs, credential schemes, secret assignments and JWTs redacted, in plain or
 * percent-encoded form. */
export function scrubCredentials(text: string): string {
  return scrubPlain(
    text.replace(ENCODED_WORD, (word) => {
      // Twice: a value encoded inside an encoded URL (`%253D`).
      const decoded = decodeEscapes(decodeEscapes(word));
      const scrubbed = scrubPlain(decoded);
      return scrubbed === decoded ? word : scrubbed;
    }),
  );
}
