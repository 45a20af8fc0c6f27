/**
 * Credentials in free text a library cannot know in advance (a health probe's error, a page's
 * command), all replaced by `[redacted]`:
 * - assignments and header lines whose name has a secret word as one of its parts (`token=abc`,
 *   `X-Api-Key: abc`, `"client_secret": "a b c"`, `sig=abc` of a presigned URL, `PWD=abc`,
 *   `--api-key=abc`): the whole value, quoted or not; after an auth scheme (`Authorization: Basic
 *   abc`, `Digest username="u", response="…"`) the scheme stays and the rest of the line goes;
 *   a name that only contains such a word is an ordinary word (`author`, `bypass`, `max_tokens`),
 *   and a value that is a word saying what is wrong (`token: expired`) stays;
 * - a few unambiguous key names followed by a space (`apikey abc123…`, `access_token …`) and an
 *   auth scheme in running text (`Bearer abc…`), when what follows looks like a credential
 *   (`looksLikeCredential`: "Basic usage", "Token expired" and "the api key is" are words);
 * - a cookie header's every pair, a bare JWT, well-known token shapes (GitHub, GitLab, Slack,
 *   Stripe, AWS, Google, npm), and URLs' query values and user info (also `//user:pass@host`);
 * also when they are percent-encoded (once or twice: a URL inside another's query, a DSN in a
 * parameter), in which case the word is shown decoded, and when they are JSON-escaped (once or
 * twice: a JSON body quoted in an error message, `{\"token\":\"abc\"}`, `wss:\/\/u:p@h`), in which
 * case the whole text is shown unescaped. The known secrets of a link (its URL's, headers',
 * subprotocols') are scrubbed exactly, in every encoding, by ./secret-set.ts; this pass is for text
 * that comes from outside a link.
 *
 * Linear time: every pattern starts only at the beginning of a run of the characters it repeats
 * (a lookbehind, not `\b`, which also matches inside `a-a-a…` and made 16 KB of it take a second),
 * and values are cut by hand (test/util/scrub-credentials.test.ts scrubs 1 MB of each such shape).
 */
import { decodeJsonEscapes } from './redact-text.js';
import { PATH_TOKEN, redactUrlsIn } from './redact-url.js';
import { REDACTED } from './redacted.js';
import { NAME_PARTS, SECRET_FIELD_WORDS } from './secret-names.js';

/** Auth schemes (RFC 9110 and common ones) whose name stays readable before a scrubbed credential. */
const SCHEME = /^(Bearer|Basic|Digest|Token|Negotiate|NTLM)\s+/i;
/** An auth scheme and its credentials in running text (token68, which cannot start with `=`:
 * `token = x` is an assignment, not the scheme `Token`). */
const CREDENTIAL_SCHEMES =
  /(?<![\w-])(Bearer|Basic|Digest|Token|Negotiate|NTLM)(\s+)([A-Za-z0-9._~+/-][A-Za-z0-9._~+/=-]*)/gi;
/** Digest's credential in running text: parameters (`username="u", realm=…, response="…"`), all
 * of them to the line's end or a closing `)`, `]`, `}` or `>` outside quotes (CREDENTIAL_SCHEMES
 * took the first as a token68 and left the rest); a quoted value, escapes included, is taken whole
 * (`response="ab)cd"`), an unclosed one to the line's end; a quote that no `,`, bracket or line end
 * follows is inside the value (a `\"` whose backslash JSON-unescaping took: `"a"b)cd"`). */
const DIGEST_PARAMETERS =
  /(?<![\w-])(Digest\s+)[A-Za-z][\w-]*\s*=(?:"(?:[^"\\\r\n]|\\.|"(?![^\S\r\n]*(?:[,)\]}>\r\n]|$)))*"?|[^\r\n)\]}>"])*/gi;
/** Key names that say "a secret follows" even without `:` or `=` (`apikey abc123…`). */
const NAMED_KEYS =
  /(?<![\w-])((?:x-)?api[-_ ]?key|(?:access|refresh|auth|id|session|security)[-_ ]?token|client[-_ ]?secret|(?:secret|private|access)[-_ ]?key)(\s+)([A-Za-z0-9._~+/=-]+)/gi;
/** A cookie header's (or field's) whole value: its pairs are `;`-separated, every one a secret. */
const COOKIE_VALUES = /(?<![\w-])((?:set-)?cookie2?["']?\s*[:=]\s*["']?)([^\r\n"'&]+)/gi;
/** A name (a run of word characters and dashes, from its start) and an assignment's separator
 * (`=`, `:` or Ruby's `=>`). */
const NAME_AND_SEPARATOR = /(?<![\w-])(-*[A-Za-z_][\w-]*)(["']?\s*(?:=>|[:=])\s*)/g;
/** A name part that makes a name secret (a whole part: `author`, `monkey`, `passed` are not):
 * these, and ./secret-names.ts's SECRET_FIELD_WORDS (`pass`, `otp`, `pin`…) that the inspector and a
 * trace hide too; a number after the part or not (`pin2`, `PASSWORD2`, `apiKey1`: one part each). */
const SECRET_PART = new RegExp(
  `^(?:auth(?:orization)?|(?:auth|access|refresh)?token|(?:api|secret|private|access)?key|(?:client)?secret|passw(?:or)?d|pwd|cookie|session(?:id)?|sig(?:nature)?|credentials?|jwt|bearer|${SECRET_FIELD_WORDS})\\d*$`,
  'i',
);
/** Tokens recognisable by their shape alone (prefixes documented by their issuers, as gitleaks and
 * GitHub's secret scanning know them): GitHub, GitLab, Slack (`xox…`, `xapp-`), Stripe (`sk_live_`,
 * `whsec_`), AWS (a key id, and a 40-character secret access key right after one), Google, npm,
 * OpenAI and Anthropic (`sk-`), Hugging Face, SendGrid, Shopify, PyPI, a Telegram bot's token. */
const KNOWN_TOKENS =
  /(?<![\w-])(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_\w{30,}|glpat-[\w-]{20,}|(?:xox[abeprs]|xapp)-[\w-]{10,}|[rs]k_(?:live|test)_\w{10,}|(?:AKIA|ASIA)[0-9A-Z]{16}|(?<=(?:AKIA|ASIA)[0-9A-Z]{16}[\s:,/]{1,3})[\w/+]{40}(?![\w/+])|AIza[\w-]{35}|npm_[A-Za-z0-9]{36}|sk-[\w-]{20,}|hf_\w{30,}|SG\.[\w-]{20,}\.[\w-]{20,}|shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}|whsec_\w{20,}|pypi-AgE[\w-]{50,}|\d{5,16}:AA[\w-]{33})/g;
/** A PEM private key (PKCS#8, RSA, EC, OpenSSH, PGP), its BEGIN line kept: lines of base64 (and
 * an encrypted key's `Proc-Type: 4,ENCRYPTED` headers) to its END line, or, cut short, to the end
 * of its base64. Linear: one word before `PRIVATE` (`RSA`, `OPENSSH`; a run of `[A-Z ]` around it took
 * 40 KB of ` PRIVATE KEY` 0.2 s), and a `-` in the body is never one that starts `-----`. */
const PRIVATE_KEY =
  /(-----BEGIN (?:[A-Z\d]+ )?PRIVATE KEY(?: BLOCK)?-----)(?:[\w+/=\s:,.]|-(?!----))*(?:-----END [A-Z\d ]{0,9}PRIVATE KEY(?: BLOCK)?-----)?/g;
/** A JSON Web Token: base64url header `{"…`, then two parts (payload and signature; the payload
 * empty when detached) or four (a JWE: key, iv, ciphertext, tag; the key empty with `dir`), each
 * after `.` or `%2E`. Linear: no part can take the dot that starts the next. */
const JWT = /(?<![\w-])eyJ[\w-]+(?:(?:\.|%2[eE])[\w-]*){2,4}/g;
/** User info of a scheme-less (protocol-relative) URL: `//user:pass@host` (a quote inside it). */
const RELATIVE_USER_INFO = /(?<![\w:/])\/\/(?:[^\s/?#@'"<>]|['"](?=[^\s/?#@'"<>]))+@/g;
/** A word holding percent-escapes (from the word's start, quotes inside it: `a%20b'c`), and one
 * run of them. */
const ENCODED_WORD = /(?<![^\s<>])[^\s<>]*%[0-9a-f]{2}[^\s<>]*/gi;
const ESCAPES = /(?:%[0-9a-f]{2})+/gi;
/** A value from where it starts (sticky): quoted (to its closing quote, escapes skipped, or the
 * line's end), unquoted, or after an auth scheme: one token68, or parameters (Digest's, with quotes
 * and commas) to the line's end. A quote is inside a value unless it closes it: in a quoted one,
 * only when a token's character (`\w~+/=%-`) follows it (`"AB12"CD34"` is one; `'t="x"' failed`,
 * `"x"|"user"` end at the first: any other character would take the line); in an unquoted one
 * (`'`, `"`, a backtick), unless a space, `&,;}` or the end follows (`AB12'CD34`). */
const QUOTED_VALUE = /"(?:[^"\\\r\n]|\\.|"(?=[\w~+/=%-]))*|'(?:[^'\\\r\n]|\\.|'(?=[\w~+/=%-]))*/y;
const PLAIN_VALUE =
  /(?:(?:Bearer|Basic|Token|Negotiate|NTLM)\s+|(Digest)\s+(?=[^\r\n)\]}>]))?(?:[^\s"'`&,;}]|["'`](?=[^\s&,;}]))*/iy;
const PARAMETERS = /[^\r\n)\]}>]*/y;
/** An Authorization header's value whatever its scheme (`ApiKey`, `Splunk`, `SSWS`…): the scheme and
 * one credential after it. */
const AUTHORIZATION_VALUE = /[\w.~+/-]+(?:[ \t]+[\w.~+/=-]+)?/y;
/** A header name that holds an Authorization value. */
const AUTHORIZATION_NAME = /authorization$/i;

/** A value that says what is wrong with a credential, not one (`token: expired`, `password: too
 * short`, `{"token": null}`): a server's close reason needs it seen. */
const STATUS_WORD =
  /^(?:expired|invalid|missing|required|revoked|denied|failed|mismatch|malformed|too|null)$/i;

/** Whether `value` (after a scheme or a bare key name) is a credential rather than a word: 8+
 * characters with a digit, a `+/=_~` or a hump (`aB`), or 20+ of anything. */
function looksLikeCredential(value: string): boolean {
  if (value.length >= 20) return true;
  return value.length >= 8 && /\d|[+/=_~]|[a-z][A-Z]/.test(value);
}

/** Whether a name (`X-Api-Key`, `client_secret`, `apiKey`, `--token`) has a secret part. */
const isSecretName = (name: string): boolean =>
  (name.match(NAME_PARTS) ?? []).some((part) => SECRET_PART.test(part));

/** A secret value: its auth scheme kept, the rest redacted. */
function redactedValue(value: string): string {
  const scheme = SCHEME.exec(value)?.[1];
  return scheme ? `${scheme} ${REDACTED}` : REDACTED;
}

/** Where the value that starts at `start` begins and ends (inside its quotes, if quoted; after an
 * Authorization header's name, its scheme and credential whatever the scheme). */
function valueAt(text: string, start: number, authorization = false): [number, number] {
  QUOTED_VALUE.lastIndex = PLAIN_VALUE.lastIndex = PARAMETERS.lastIndex = start;
  const quoted = QUOTED_VALUE.exec(text);
  if (quoted) return [start + 1, QUOTED_VALUE.lastIndex];
  // Any scheme of an Authorization header: not only the known ones PLAIN_VALUE keeps together.
  AUTHORIZATION_VALUE.lastIndex = start;
  const unknownScheme =
    authorization && !SCHEME.test(text.slice(start, start + 12)) && AUTHORIZATION_VALUE.exec(text);
  if (unknownScheme) return [start, AUTHORIZATION_VALUE.lastIndex];
  // Digest's parameters go to the line's end; a token68 (or a plain value) ends as a word.
  if (PLAIN_VALUE.exec(text)?.[1]) PARAMETERS.exec(text);
  return [start, Math.max(PLAIN_VALUE.lastIndex, PARAMETERS.lastIndex)];
}

/** `text` with the value of every assignment or header line whose name is secret redacted. */
function scrubAssignments(text: string): string {
  let out = '';
  let done = 0;
  NAME_AND_SEPARATOR.lastIndex = 0;
  for (let m = NAME_AND_SEPARATOR.exec(text); m; m = NAME_AND_SEPARATOR.exec(text)) {
    // A name that is not secret: its value is scanned for names like any text.
    if (!isSecretName(m[1] as string)) continue;
    const [from, to] = valueAt(text, m.index + m[0].length, AUTHORIZATION_NAME.test(m[1] as string));
    NAME_AND_SEPARATOR.lastIndex = Math.max(to, from + 1);
    const value = text.slice(from, to);
    if (value === '' || value.startsWith(REDACTED) || STATUS_WORD.test(value)) continue;
    out += text.slice(done, from) + redactedValue(value);
    done = to;
  }
  return done === 0 ? text : out + text.slice(done);
}

/** What ends a value or a word (PLAIN_VALUE, ENCODED_WORD): whitespace, quotes, `&,;}<>`. */
const VALUE_END = /[\s"'&,;}<>]/gu;

/** `word` with its runs of valid percent-escapes decoded (an invalid run is kept as it is); with
 * `keepEnds`, what would end a value (VALUE_END) stays encoded: a secret holding `%20` or `%22`
 * is one value, not a value cut there and a tail left readable. */
function decodeEscapes(word: string, keepEnds = false): string {
  return word.replace(ESCAPES, (run) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(run);
    } catch {
      return run;
    }
    return keepEnds
      ? decoded.replace(VALUE_END, (c) => (c === "'" ? '%27' : encodeURIComponent(c)))
      : decoded;
  });
}

/** A scheme or key name and what follows it: redacted when that looks like a credential. */
const credentialAfter = (match: string, name: string, space: string, value: string): string =>
  looksLikeCredential(value) ? `${name}${space}${REDACTED}` : match;

function scrubPlain(text: string): string {
  // First: a key's lines would otherwise be cut by what the other patterns take of them.
  const cookiesOut = redactUrlsIn(text.replace(PRIVATE_KEY, `$1${REDACTED}`))
    .replace(RELATIVE_USER_INFO, `//${REDACTED}@`)
    .replace(COOKIE_VALUES, (_m, name: string) => `${name}${REDACTED}`);
  return scrubAssignments(cookiesOut)
    .replace(NAMED_KEYS, credentialAfter)
    .replace(DIGEST_PARAMETERS, `$1${REDACTED}`)
    .replace(CREDENTIAL_SCHEMES, credentialAfter)
    .replace(KNOWN_TOKENS, REDACTED)
    .replace(PATH_TOKEN, `$1${REDACTED}`)
    .replace(JWT, REDACTED);
}

/** `text` with URLs, credentials and JWTs redacted, in plain or percent-encoded form. */
function scrubDecoded(text: string): string {
  return scrubPlain(
    text.replace(ENCODED_WORD, (word) => {
      // First as it is: a URL's user info or query value holding an encoded `@`, `/`, `?` or `'`
      // is whole only while they are encoded (`//u:p%40q@host`).
      const raw = scrubPlain(word);
      // Twice: a value encoded inside an encoded URL (`%253D`). First with what ends a value kept
      // encoded (a secret's `%20` is inside it), then decoded whole for what needs the space
      // (`apikey%20…`), its secrets already gone.
      const kept = decodeEscapes(decodeEscapes(raw, true), true);
      const decoded = decodeEscapes(kept);
      // One pass when no escape ends a value (most words).
      const scrubbed = kept === decoded ? scrubPlain(decoded) : scrubPlain(decodeEscapes(scrubPlain(kept)));
      return scrubbed === decoded ? raw : scrubbed;
    }),
  );
}

/** Whether any pattern here may redact something of `text`. One that cannot (most texts a link
 * scrubs: every dropped link's `closed with code 1006`) has none of the characters a URL, user info,
 * an assignment, a header line, a percent-escape or a JSON escape needs (`:` `=` `/` `%` `\`), no
 * JWT's `eyJ`, and no run of 8 of the characters a value after a scheme or key name is made of (the
 * least looksLikeCredential takes; every known token shape is longer). */
const MAY_HOLD_CREDENTIALS = /[:=/%\\]|eyJ|[\w.~+-]{8}/;

/** `text` with URLs, credential schemes, secret assignments, known token shapes and JWTs
 * redacted, in plain, percent-encoded or JSON-escaped form. */
export function scrubCredentials(text: string): string {
  if (!MAY_HOLD_CREDENTIALS.test(text)) return text;
  const scrubbed = scrubDecoded(text);
  if (!text.includes('\\')) return scrubbed;
  // Twice: JSON quoted inside JSON (`\\\"token\\\"`). Shown unescaped when that form holds a secret.
  const unescaped = decodeJsonEscapes(decodeJsonEscapes(text));
  const deeper = scrubDecoded(unescaped);
  return deeper === unescaped ? scrubbed : deeper;
}
