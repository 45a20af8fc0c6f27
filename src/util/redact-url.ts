/**
 * URLs safe to show: user info, query and fragment values, path parameters and tokens in the path
 * replaced (redactUrl), alone or inside free text (redactUrlsIn).
 */
import { capText, REDACTED } from './redacted.js';

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
export const KEYED_PART = /^[\w.~[\]-]{1,64}=(?=.*[^=])/s;

/** The `&`-separated parts of a URL's search (or hash), as written (empty ones skipped, as URLSearchParams
 * does: the i-th part is its i-th entry). */
export function queryParts(search: string): string[] {
  return search
    .slice(1)
    .split('&')
    .filter((part) => part !== '');
}

/** A parameter in a URL's path: `;jsessionid=…` (a matrix parameter) or a `/token=…` segment. */
export const PATH_PARAMETER = /([;/][^;/?#=]*)=([^;/?#]*)/g;
/** A segment whose `=` is only padding (`/dXNl…==/x`, a base64 token): a value whole, not a name. */
const PADDED_SEGMENT = /([;/])[^;/?#=]*=+(?![^;/?#])/g;
/** A JWT in a URL's path (`/socket/eyJ….eyJ….sig`, `/t:eyJ…`): a credential by its shape, as in
 * a header. Its header (`eyJ`: `{"`) at least 15 characters, as `{"alg":"x"}` is (`eyJfoo.min.js`
 * is a file's name); then 2 parts (a JWS, its payload empty when detached) or 4 (a JWE, its key
 * empty with `dir`), split by `.` or `%2E` as a client may have encoded it; all of it replaced. */
export const PATH_JWT =
  /(?<![\w-])eyJ[\w-]{12,}(?:(?:\.|%2[eE])[\w-]*){2}(?:(?:(?:\.|%2[eE])[\w-]*){2})?(?![\w-])/g;

/** A token as a path segment, not a JWT (its value the second group): after Telegram's
 * `/bot<id>:` (35 characters: one in 400 has no digit) or Slack's `/services/T…/B…/` (whatever its
 * characters); or a random key, Discord's webhook token (68 characters) among them: 24 or
 * more `[A-Za-z0-9_-]`, a digit, an upper- and a lower-case letter among them, after a `/` or `:`
 * and not followed by a file's extension (`/k/Zm9vYmFy…/x`; not `/api/v1/users`, a UUID, a hex
 * hash, `/app.3f2a9c.js`, `kebab-case-words-2024`). Linear: each try starts at a `/` or `:` and
 * reads one run. Its limits: docs/errors.md, "Secrets". */
export const PATH_TOKEN =
  /(\/bot\d+:|\/services\/T\w+\/B\w+\/|[/:](?=[\w-]*\d)(?=[\w-]*[a-z])(?=[\w-]*[A-Z])(?=[\w-]{24}))([\w-]+)(?![\w-]|\.\w)/g;

/** A URL's path (or a URL as typed, up to its query) with the value of every path parameter, every
 * JWT segment and every token segment (PATH_TOKEN) replaced: a session id or token in the path is a
 * secret as a query value is. */
export function redactPathParameters(path: string): string {
  const padded = redactPathJwts(path)
    .replace(PATH_TOKEN, `$1${REDACTED}`)
    .replace(PADDED_SEGMENT, `$1${REDACTED}`);
  return padded.replace(PATH_PARAMETER, `$1=${REDACTED}`);
}

/** A URL's path (or a request's target) with every JWT in it (PATH_JWT: a JWE's 5 parts too)
 * replaced whole. */
export function redactPathJwts(path: string): string {
  return path.replace(PATH_JWT, REDACTED);
}

/** Free text with every URL in it redacted (for errors whose secrets we were not told about). A
 * quote ends a URL unless a URL's character follows it (`?token=AB12'CD34` is one value), a tag's
 * `/>` not (`src="https://h/x.png"/>`). */
export function redactUrlsIn(text: string): string {
  return text.replace(
    /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/(?:[^\s'"<>]|['"](?=[\w%~+=@-]|\/(?!>)))+/gi,
    (url) => redactUrl(url),
  );
}
