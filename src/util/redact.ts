/**
 * Secrets never leave the link: tokens in URLs (query and fragment values, user info) and in auth-like headers
 * are replaced before any text reaches an error, an event, status() or the inspector.
 */
export const REDACTED = '[redacted]';

/** Words in a header's name that say its value is a credential (`X-JWT-Assertion`, `DPoP` proofs,
 * `X-Passwd` as well as `Authorization`, `X-Api-Key`…). */
const SECRET_HEADER = /auth|token|key|secret|cookie|session|signature|passw|pwd|credential|jwt|bearer|dpop/i;

/** Longest URL or label shown (status, errors, the inspector), in characters: enough for a
 * scheme, host and a readable path; a 100 KB URL would otherwise make every status 100 KB. */
export const MAX_SHOWN_URL_CHARS = 200;

/** `text` cut to `max` characters, the last one an ellipsis when something was cut. */
export function capText(text: string, max = MAX_SHOWN_URL_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A URL safe to show: user info, every query value, path parameter and fragment value replaced
 * (keys shown), then capped to MAX_SHOWN_URL_CHARS (redacted first, so a cut never shows part of
 * a secret). Unparsable input is hidden. */
export function redactUrl(raw: string | URL): string {
  return capText(redactWholeUrl(raw));
}

function redactWholeUrl(raw: string | URL): string {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    return REDACTED;
  }
  if (url.username) url.username = REDACTED;
  if (url.password) url.password = REDACTED;
  if (url.search) url.search = redactedParts(url.search);
  if (url.pathname.includes('=') || url.pathname.includes('eyJ'))
    url.pathname = redactPathParameters(url.pathname);
  // A fragment may carry a token (OAuth's implicit flow: `#access_token=…`): redacted as a query.
  if (url.hash) url.hash = redactedParts(url.hash);
  return url.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
}

/** A URL's search or hash (`?…`, `#…`) with every value replaced: keys stay readable; a bare part
 * (`?k7Qx…`, `#k7Qx…`, no `=`) is a value, a token as the whole query or fragment, and so is a
 * part that only looks like `key=value`: its `=` only padding at the end (`k7Qx…==`, a base64
 * token) or its key, as written, no name (`Zm9v+YmFy/cX…=x`: `+`, `/`, `%`, over 64 characters). */
function redactedParts(searchOrHash: string): string {
  return queryParts(searchOrHash)
    .map((part) => `${KEYED_PART.exec(part)?.[0] ?? ''}${REDACTED}`)
    .join('&');
}

/** The `key=` of a `key=value` part whose key is a name (`access_token`, `api-key`, `filter[id]`,
 * `a.b`) and whose value is not only `=` (padding); no match: the part is a bare value. */
const KEYED_PART = /^[\w.~[\]-]{1,64}=(?=.*[^=])/s;

/** The `&`-separated parts of a URL's search (or hash), as written (empty ones skipped, as URLSearchParams
 * does: the i-th part is its i-th entry). */
function queryParts(search: string): string[] {
  return search
    .slice(1)
    .split('&')
    .filter((part) => part !== '');
}

/** A parameter in a URL's path: `;jsessionid=…` (a matrix parameter) or a `/token=…` segment. */
const PATH_PARAMETER = /([;/][^;/?#=]*)=([^;/?#]*)/g;
/** A segment whose `=` is only padding (`/dXNl…==/x`, a base64 token): a value whole, not a name. */
const PADDED_SEGMENT = /([;/])[^;/?#=]*=+(?![^;/?#])/g;
/** A JWT in a URL's path (`/socket/eyJ….eyJ….sig`, `/t:eyJ…`): a credential by its shape, as in
 * a header. Its header (`eyJ`: `{"`) at least 15 characters, as `{"alg":"x"}` is (`eyJfoo.min.js`
 * is a file's name); then 2 parts (a JWS, its payload empty when detached) or 4 (a JWE, its key
 * empty with `dir`), split by `.` or `%2E` as a client may have encoded it; all of it replaced. */
const PATH_JWT = /(?<![\w-])eyJ[\w-]{12,}(?:(?:\.|%2[eE])[\w-]*){2}(?:(?:(?:\.|%2[eE])[\w-]*){2})?(?![\w-])/g;

/** A URL's path (or a URL as typed, up to its query) with the value of every path parameter and
 * every JWT segment replaced: a session id or token in the path is a secret as a query value is. */
export function redactPathParameters(path: string): string {
  const padded = redactPathJwts(path).replace(PADDED_SEGMENT, `$1${REDACTED}`);
  return padded.replace(PATH_PARAMETER, `$1=${REDACTED}`);
}

/** A URL's path (or a request's target) with every JWT in it (PATH_JWT: a JWE's 5 parts too)
 * replaced whole. */
export function redactPathJwts(path: string): string {
  return path.replace(PATH_JWT, REDACTED);
}

/** Whether a header's value must be hidden. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** Words (as a regular expression's alternatives) that make a field's name secret though no header is called so: a password's short name
 * (`pass` of `{ user, pass }`), a key's passphrase or PKCS #12 bundle (`pfx`), a one-time code.
 * One list for every place a value is shown: the inspector (isSecretKey), a trace (isSecretKey)
 * and free text (./scrub-credentials.ts's name parts). Whole parts of a name only: `userPin`,
 * `key_passphrase` are secret, `passenger`, `spin`, `pinned` are not. */
export const SECRET_FIELD_WORDS = 'pass|passphrase|passcode|otp|pin|pfx';

/** One part of a name: split at `-`, `_` and camelCase humps (`XApiKey` → X, Api, Key). */
export const NAME_PARTS = /[A-Z]?[a-z0-9]+|[A-Z0-9]+(?![a-z])/g;

/** A part in SECRET_FIELD_WORDS, a number after it or not (`PIN2`, `otp1`: one part each). A
 * literal, so a bundle without isSecretKey leaves it out (test/util/secret-names-shared pins its
 * words to SECRET_FIELD_WORDS). */
export const SECRET_FIELD_PART = /^(?:pass|passphrase|passcode|otp|pin|pfx)\d*$/i;

/** Whether a field's (an option's, a context's, a header's) value must be hidden by its name: a
 * secret header name (isSecretHeader), or one with a part in SECRET_FIELD_WORDS. */
export function isSecretKey(name: string): boolean {
  return isSecretHeader(name) || (name.match(NAME_PARTS) ?? []).some((part) => SECRET_FIELD_PART.test(part));
}

/** A value that is a credential whatever its header's name: an auth scheme's, or a JWT (a JWS,
 * its payload empty when detached; a JWE, its key empty with `dir`: `eyJ…..iv.…`). */
const CREDENTIAL_VALUE = /^\s*(?:(?:Bearer|Basic|Digest|Token|Negotiate|NTLM)\s+\S|eyJ[\w-]+\.[\w-]*\.)/i;

/** Whether a header's value must be hidden, by its name or by the value itself (`X-Upstream:
 * Bearer …`, a JWT). */
export function isSecretHeaderValue(name: string, value: string): boolean {
  return isSecretHeader(name) || CREDENTIAL_VALUE.test(value);
}

/** Whether a value is a credential by its shape alone (`Bearer …`, a JWT): hidden wherever it
 * stands (a trace's options, whose header names may say nothing). */
export function isCredentialValue(value: string): boolean {
  return CREDENTIAL_VALUE.test(value);
}

/** Headers safe to show. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = isSecretHeaderValue(name, value) ? REDACTED : value;
  }
  return out;
}

/** Shortest secret worth scrubbing: shorter values ("1", "on") would shred ordinary text. */
const MIN_SECRET_LENGTH = 3;

/** `text` percent-decoded, or itself if it is not valid percent-encoding. */
function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Every form a secret can take on its way back from a server, a proxy or a library: as written,
 * percent-decoded, percent-encoded (component and URI style, upper- and lower-case hex), form-
 * encoded (`+` for a space), JSON-escaped, and, for 6 characters or more, its UTF-8 bytes as hex
 * (either case) and base64 / base64url (bytesForms: at any alignment inside a longer base64 text).
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>();
  for (const base of new Set([secret, percentDecoded(secret)])) {
    const encoded = encodeURIComponent(base);
    forms.add(base);
    forms.add(encoded);
    forms.add(encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
    forms.add(encoded.replaceAll('%20', '+'));
    forms.add(encodeURI(base));
    forms.add(JSON.stringify(base).slice(1, -1));
    // Hex, base64 and base64url, for secrets long enough not to shred text.
    if (base.length >= MIN_BASE64_SECRET_LENGTH) for (const form of bytesForms(base)) forms.add(form);
  }
  return [...forms];
}

/** Shortest secret whose base64 forms are scrubbed too. */
const MIN_BASE64_SECRET_LENGTH = 6;

/** Shortest base64 run of a secret's bytes redacted inside a longer base64 text (6 bytes). */
const MIN_BASE64_CORE_CHARS = 8;

/** The forms of `text`'s UTF-8 bytes: hex (either case); base64 and base64url, padded or not
 * (base64Forms); and the runs its bytes make inside a longer base64 or base64url text (a token
 * encoded with what precedes it: `user:` + token, a JSON body), at each of the three alignments
 * (below); the base64 ones percent-encoded too (`+ / =` as `%2B %2F %3D`, in a URL). */
function bytesForms(text: string): string[] {
  const bytes = new TextEncoder().encode(text);
  const forms = base64Forms(text);
  // base64Cores: the whole groups of 3 of its bytes from byte 0, 1 or 2 (the rest of it shares
  // characters with the bytes around it: a byte or two shown), when 8 characters or more.
  for (let start = 0; start < 3; start++) {
    const core = bytesToBase64(bytes.subarray(start, start + Math.floor((bytes.length - start) / 3) * 3));
    if (core.length >= MIN_BASE64_CORE_CHARS) forms.push(core, toBase64url(core));
  }
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return [hex, hex.toUpperCase(), ...forms, ...forms.map(encodeURIComponent)];
}

/** base64 as base64url (`-` for `+`, `_` for `/`). */
function toBase64url(base64: string): string {
  return base64.replace(/\+/g, '-').replace(/\//g, '_');
}

/** base64 of `text` (UTF-8), without its padding, and base64url. */
function base64Forms(text: string): string[] {
  const base64 = bytesToBase64(new TextEncoder().encode(text));
  const bare = base64.replace(/=+$/, '');
  return [base64, bare, toBase64url(bare)];
}

/** The base64 and base64url forms (padded and not) of a `user:password` credential. */
export function credentialForms(user: string, password: string): string[] {
  const out: string[] = [];
  for (const pair of new Set([
    `${user}:${password}`,
    `${percentDecoded(user)}:${percentDecoded(password)}`,
  ])) {
    out.push(...base64Forms(pair));
  }
  return out;
}

/** Base64 of bytes, without Buffer (this module also runs in browsers). */
function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** URL-and-headers combinations whose secrets a link keeps: a per-attempt URL with a fresh
 * token each time must not grow the set (and the cost of every redaction) for ever; a socket
 * only ever quotes what its own attempt sent. */
const KEPT_SOURCES = 8;
const NO_SECRETS: readonly string[] = Object.freeze([]);

/**
 * The secrets of one link, in every form, longest first (a form that contains another is
 * replaced whole), from the last KEPT_SOURCES distinct URL-and-headers combinations. Adding is
 * linear in what is added; re-adding the same URL and headers (every attempt does) costs a
 * lookup.
 */
export class SecretSet {
  /** Secrets by source, oldest first; made when the first source with a secret comes (most
   * links never have one: no map for them, and no key to build per attempt). */
  private sources: Map<string, string[]> | null = null;
  /** The last URL without secrets and without headers (re-added by every attempt). */
  private plain: string | undefined = undefined;
  private sorted: readonly string[] = NO_SECRETS;

  /** Adds the secrets of a URL (user info, query values) and of auth-like headers; `known`: the
   * URL's secrets (secretsOf), its headers' and subprotocols' (src/runtime/attempt-headers.ts), as
   * an attempt finds them (they tell sources apart too: a per-attempt subprotocol changes them
   * alone); omitted, the URL's are found here (headers then only tell sources apart). */
  addFrom(url: string | undefined, headers?: Record<string, string>, known?: readonly string[]): void {
    if (this.sources === null) {
      if (headers === undefined && url === this.plain && url !== undefined) return;
      const secrets = known ?? secretsOf(url);
      if (secrets.length === 0) {
        if (headers === undefined) this.plain = url;
        return;
      }
      this.sources = new Map();
    }
    const source = JSON.stringify([url, headers ?? null, known ?? null]);
    const seen = this.sources.get(source);
    this.sources.delete(source);
    this.sources.set(source, seen ?? (known ? [...known] : secretsOf(url)));
    if (seen) return;
    for (const oldest of this.sources.keys()) {
      if (this.sources.size <= KEPT_SOURCES) break;
      this.sources.delete(oldest);
    }
    const all = new Set<string>();
    for (const secrets of this.sources.values()) for (const secret of secrets) all.add(secret);
    this.sorted = [...all].sort((a, b) => b.length - a.length);
  }

  /** How many distinct secret strings (forms included) are scrubbed. */
  get size(): number {
    return this.sorted.length;
  }

  /** Every secret string (forms included), longest first. */
  list(): readonly string[] {
    return this.sorted;
  }

  /** Free text with every known form of every secret replaced. */
  redact(text: string): string {
    return replaceEach(text, this.sorted);
  }
}

/** A JSON string escape (`\"`, `\/`, `\\`, `\u0074`…). */
const JSON_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g;
const JSON_CHARS: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** `text` with its JSON string escapes decoded once. */
export function decodeJsonEscapes(text: string): string {
  return text.replace(JSON_ESCAPE, (_m, hex: string | undefined, char: string) =>
    hex ? String.fromCharCode(Number.parseInt(hex, 16)) : (JSON_CHARS[char] ?? char),
  );
}

/** Shortest start of a secret taken, at the very end of a text, for the secret cut short; and
 * the longest (a close reason holds 123 bytes; the bound keeps the search small whatever the
 * text and the secrets). */
const MIN_CUT_CHARS = 8;
const MAX_CUT_CHARS = 256;

/** `text` with each of `strings` (longest first) replaced by REDACTED, and the start of one that
 * ends the text (a close reason holds 123 bytes: a server quoting a long token cuts it, maybe
 * adding `…` or `...`). */
function replaceExact(text: string, strings: readonly string[]): string {
  let out = text;
  for (const secret of strings) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  const mark = /(?:…|\.\.\.)$/.exec(out)?.[0] ?? '';
  const body = out.slice(0, out.length - mark.length);
  let cut = body.length;
  for (const secret of strings) {
    if (secret.length <= MIN_CUT_CHARS) continue;
    const head = secret.slice(0, MIN_CUT_CHARS);
    // Every place the secret could start, leftwards while what follows is shorter than it; the
    // leftmost that fits (a token may repeat its own start).
    const limit = Math.min(secret.length, MAX_CUT_CHARS + 1);
    for (let at = body.lastIndexOf(head); at >= 0 && body.length - at < limit; ) {
      if (at < cut && secret.startsWith(body.slice(at))) cut = at;
      at = at === 0 ? -1 : body.lastIndexOf(head, at - 1);
    }
  }
  return cut === body.length ? out : `${body.slice(0, cut)}${REDACTED}${mark}`;
}

/** replaceExact, and also where a JSON encoder escaped more than JSON.stringify does (.NET's
 * default writes `+` as `\u002B`, PHP's `/` as `\/`): the text is then shown unescaped. */
function replaceEach(text: string, strings: readonly string[]): string {
  const out = replaceExact(text, strings);
  if (strings.length === 0 || !out.includes('\\')) return out;
  const unescaped = decodeJsonEscapes(out);
  const deeper = replaceExact(unescaped, strings);
  return deeper === unescaped ? out : deeper;
}

/** Free text with every string of `secrets` (longest first), and its percent-encoded form,
 * replaced (for lists a caller has put together; a link's own secrets: SecretSet). */
export function redactText(text: string, secrets: readonly string[]): string {
  return replaceEach(
    text,
    secrets.flatMap((secret) => {
      const encoded = encodeURIComponent(secret);
      return encoded === secret ? [secret] : [secret, encoded];
    }),
  );
}

/** Adds every form of `secret` (secretForms) to `secrets`, when it is long enough to scrub. */
export function pushSecret(secrets: string[], secret: string): void {
  if (secret.length >= MIN_SECRET_LENGTH) for (const form of secretForms(secret)) secrets.push(form);
}

/** `secrets` without the strings too short to scrub. */
export function scrubbable(secrets: string[]): string[] {
  return secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH);
}

/**
 * The secret strings in a URL, in every form they may come back in, to be scrubbed from any free
 * text (error messages, close reasons). Linear in the size of the URL. The secrets of headers are
 * ./header-secrets.ts's (only links that can have headers carry it).
 */
export function secretsOf(url: string | undefined): string[] {
  const secrets: string[] = [];
  const push = (secret: string) => pushSecret(secrets, secret);
  if (url) {
    try {
      const parsed = new URL(url);
      for (const value of parsed.searchParams.values()) push(value);
      // Each value as written too (servers echo request.url): `a+b/c==` is `a b/c==` decoded, and
      // a part redactUrl shows as a bare value (`?k7Qx…`, `?k7Qx…==`, `?Zm9v+…=x`: KEYED_PART) is
      // one whole, not what follows its first `=` (`=`, `x`: the token was in no form scrubbed).
      for (const part of queryParts(parsed.search)) push(part.replace(KEYED_PART, ''));
      for (const [, , value] of parsed.pathname.matchAll(PATH_PARAMETER)) push(value as string);
      for (const [jwt] of parsed.pathname.matchAll(PATH_JWT)) push(jwt);
      if (parsed.password) push(parsed.password);
      if (parsed.username) push(parsed.username);
      if (parsed.search) secrets.push(parsed.search);
      // The `Authorization: Basic …` header a client builds from the user info.
      if (parsed.username || parsed.password)
        secrets.push(...credentialForms(parsed.username, parsed.password));
    } catch {
      // An unparsable URL is a secret as a whole.
      push(url);
    }
  }
  return scrubbable(secrets);
}

/** Free text with every URL in it redacted (for errors whose secrets we were not told about). */
export function redactUrlsIn(text: string): string {
  return text.replace(/(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, (url) => redactUrl(url));
}
