/**
 * The forms a secret query value takes when servers and applications quote it back, shared by the
 * tests that prove none of them survives redaction (test/integration/query-secret-forms.test.ts,
 * test/util/redact-fragment.test.ts).
 */

/** A base64 token with `+`, `/` and `=`, written into the URL as it is (no percent-encoding). */
export const RAW_TOKEN = 'Zm9v+YmFy/cXV4LXNlY3JldA==';
/** A bare token as the whole query. */
export const BARE = 'k7QxV2pLm9sRt4Zw';
/** A percent-encoded value: servers echo it as written, and encoded once more. */
export const ENCODED = 'p%2Fq%2Br%3Ds1x9z';
/** RAW_TOKEN as .NET's System.Text.Json writes it by default (`+` as `\u002B`, as it does every
 * HTML-sensitive character): a JSON error body or reason quoting the token. */
export const NET_JSON = RAW_TOKEN.replace(/\+/g, '\\u002B');
/** A session id as a path parameter (`;jsessionid=…`, Java servlet containers put it there). */
export const SESSION = 'F3A9C1D2E4B5A6F7';

/** Every form: raw, percent-encoded once and twice, decoded, bare, a session id, JSON-escaped
 * (`\u002B`, and PHP's `\/`). */
export const SECRET_FORMS = [
  RAW_TOKEN,
  encodeURIComponent(RAW_TOKEN),
  BARE,
  ENCODED,
  encodeURIComponent(ENCODED),
  decodeURIComponent(ENCODED),
  SESSION,
  NET_JSON,
  RAW_TOKEN.replace(/\//g, '\\/'),
];

/** The forms a store, a log or an inspection event may quote an id in: as it is, percent-encoded,
 * base64 and base64url of its UTF-8 bytes, hex in either case (test/server/store-error-secrets,
 * test/server/inspect-secrets). */
export function idForms(id: string): string[] {
  const bytes = Buffer.from(id, 'utf8');
  return [
    id,
    encodeURIComponent(id),
    bytes.toString('base64'),
    bytes.toString('base64url'),
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
  ];
}

/** A secret as it is, percent-encoded, in base64 (padded or not) and base64url: the encodings a
 * trace, a log or a quoted reason may carry it in (test/integration/trace-secrets,
 * test/trace/replay-resolve-ws, test/trace/replay-custom-ws-secrets). */
export function encodedForms(secret: string): string[] {
  const base64 = Buffer.from(secret).toString('base64');
  return [
    secret,
    encodeURIComponent(secret),
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(secret).toString('base64url'),
  ];
}
