/**
 * Free text with known secret strings replaced (redactText), also where a JSON encoder escaped
 * them or a server cut the last one short.
 */
import { REDACTED } from './redacted.js';

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
export function replaceEach(text: string, strings: readonly string[]): string {
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
