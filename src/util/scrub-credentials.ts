/**
 * Credentials in free text a library cannot know in advance (a health probe's error, a page's
 * command): `Bearer abc`, `Negotiate abc`, `token=abc`, `"apiKey": "abc"`, `password: abc`,
 * `PWD=abc`, `"password"=>"abc"`, a cookie header's every pair, an Authorization header's scheme
 * and credentials (any scheme), a bare JWT, and URLs' query values and user info, all
 * replaced by `[redacted]` — also when they are percent-encoded (once or twice: a URL inside
 * another's query, a DSN in a parameter), in which case the word is shown decoded, and when they
 * are JSON-escaped (once or twice: a JSON body quoted in an error message, `{\"token\":\"abc\"}`,
 * `wss:\/\/u:p@h`), in which case the whole text is shown unescaped. The known secrets of a link
 * (its URL's, headers', subprotocols') are scrubbed exactly, in every encoding, by ./redact.ts;
 * this pass is for text that comes from outside a link.
 */
import { REDACTED, redactUrlsIn } from './redact.js';

/** An auth scheme and its credentials (RFC 9110 token68, which cannot start with `=`: `token = x` is
 * an assignment, not the scheme `Token`). */
const CREDENTIAL_SCHEMES =
  /\b(Bearer|Basic|Digest|Token|Negotiate|NTLM)\s+[A-Za-z0-9._~+/-][A-Za-z0-9._~+/=-]*/gi;
/** A cookie header's (or field's) whole value: its pairs are `;`-separated, every one a secret. */
const COOKIE_VALUES = /\b((?:set-)?cookie2?["']?\s*[:=]\s*["']?)([^\r\n"'&]+)/gi;
/** An Authorization header's scheme and credentials, whatever the scheme (`ApiKey`, `Splunk`…). */
const AUTHORIZATION_VALUES =
  /\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?)[\w.~+/-]+(?:[ \t]+[\w.~+/=-]+)?/gi;
const SECRET_ASSIGNMENTS =
  /\b([\w-]*(?:auth|token|key|secret|cookie|session|signature|pass|pwd|credential)[\w-]*)(["']?\s*(?:=>|[:=])\s*["']?)([^\s"'&,;}]+)/gi;
/** A JSON Web Token: base64url header `{"…` and payload, then the signature. */
const JWT = /\beyJ[\w-]+\.[\w-]+\.[\w-]*/g;
/** A word holding percent-escapes, and one run of them. */
const ENCODED_WORD = /[^\s'"<>]*%[0-9a-f]{2}[^\s'"<>]*/gi;
const ESCAPES = /(?:%[0-9a-f]{2})+/gi;
/** A JSON string escape (`\"`, `\/`, `\\`, `\u0074`…). */
const JSON_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g;
const JSON_CHARS: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** `text` with its JSON string escapes decoded once. */
function decodeJsonEscapes(text: string): string {
  return text.replace(JSON_ESCAPE, (_m, hex: string | undefined, char: string) =>
    hex ? String.fromCharCode(Number.parseInt(hex, 16)) : (JSON_CHARS[char] ?? char),
  );
}

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
    .replace(AUTHORIZATION_VALUES, (_m, name: string) => `${name}${REDACTED}`)
    .replace(COOKIE_VALUES, (_m, name: string) => `${name}${REDACTED}`)
    .replace(SECRET_ASSIGNMENTS, (match, name: string, sep: string, value: string) =>
      value === REDACTED ? match : `${name}${sep}${REDACTED}`,
    )
    .replace(JWT, REDACTED);
}

/** `text` with URLs, credentials and JWTs redacted, in plain or percent-encoded form. */
function scrubDecoded(text: string): string {
  return scrubPlain(
    text.replace(ENCODED_WORD, (word) => {
      // Twice: a value encoded inside an encoded URL (`%253D`).
      const decoded = decodeEscapes(decodeEscapes(word));
      const scrubbed = scrubPlain(decoded);
      return scrubbed === decoded ? word : scrubbed;
    }),
  );
}

/** `text` with URLs, credential schemes, secret assignments and JWTs redacted, in plain,
 * percent-encoded or JSON-escaped form. */
export function scrubCredentials(text: string): string {
  const scrubbed = scrubDecoded(text);
  if (!text.includes('\\')) return scrubbed;
  // Twice: JSON quoted inside JSON (`\\\"token\\\"`). Shown unescaped when that form holds a secret.
  const unescaped = decodeJsonEscapes(decodeJsonEscapes(text));
  const deeper = scrubDecoded(unescaped);
  return deeper === unescaped ? scrubbed : deeper;
}
