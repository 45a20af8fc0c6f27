/**
 * The error a `resumable` server reports when its session store (or the answer to a hello) fails:
 * what the store said, with every session id it could have quoted redacted. Session ids are
 * bearer secrets (whoever names one resumes the session), and a store's own message often holds
 * the key it failed on (`key sess:1b4e… not found`), so the store's error is never kept as the
 * `cause`: the `cause` is a copy of it holding only its text, redacted, its `name` and its `code`
 * (words only, and only when they hold no id: a session id can be a word).
 *
 * Redacted: the ids the call was about in every form secretForms knows (as written, percent-,
 * form- and JSON-encoded, base64 and base64url) and as hex (either case); their base64 inside a
 * longer base64 text at any alignment (a store that encodes its whole key, `sess:` + id: what
 * is left around it is a byte or two of the id); each of those forms split across lines too (a
 * wrapped log line, MIME base64); and anything shaped like a UUID (what linkvisor's clients use
 * as ids), with or without its dashes, for ids of other sessions a store may name. An id too
 * short to scrub without shredding the text hides the store's message altogether, when the text
 * holds it as written, percent-encoded, in hex or in base64.
 */
import { LinkvisorError } from '../util/errors.js';
import { REDACTED, redactText, secretForms } from '../util/redact.js';
import { describeThrown } from '../util/thrown.js';

/** Shortest id redacted in place; a shorter one hides the store's whole message. */
const MIN_REDACTED_ID_CHARS = 6;

/** A UUID, dashed or as 32 hex digits, not part of a longer run of hex digits. */
const UUID = /(?<![0-9a-f])[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}(?![0-9a-f])/gi;

/** Where a form may be cut by a wrapped line: a line break, then the next line's indentation. */
const LINE_BREAK = '(?:\\r?\\n[ \\t]*)?';

/** Words an error's name or code may be shown as. */
const WORD = /^[A-Za-z][\w.-]{0,39}$/;

/** `text` with the ids (every form) and anything shaped like a UUID redacted; null when an id is
 * too short to redact in place and the text holds it. */
export function redactSessionIds(text: string, ids: readonly string[]): string | null {
  const forms: string[] = [];
  for (const id of ids) {
    if (id === '') continue;
    if (id.length < MIN_REDACTED_ID_CHARS) {
      if (shortForms(id).some((form) => text.includes(form))) return null;
      continue;
    }
    forms.push(...secretForms(id)); // hex and base64 at any alignment included
  }
  forms.sort((a, b) => b.length - a.length);
  let out = redactText(text, forms);
  if (/[\r\n]/.test(out)) for (const form of forms) out = out.replace(splitAcrossLines(form), REDACTED);
  return out.replace(UUID, REDACTED);
}

/** The forms a short id is looked for in (hex and base64 only when not shorter than 6 characters:
 * `61` is in much text). */
function shortForms(id: string): string[] {
  const bytes = Buffer.from(id, 'utf8');
  const encoded = [bytes.toString('hex'), bytes.toString('hex').toUpperCase(), bytes.toString('base64url')];
  return [id, encodeURIComponent(id), ...encoded.filter((form) => form.length >= MIN_REDACTED_ID_CHARS)];
}

/** `form` with a line break (and the next line's indentation) allowed between any two characters. */
function splitAcrossLines(form: string): RegExp {
  return new RegExp(
    [...form].map((char) => char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(LINE_BREAK),
    'g',
  );
}

/** The thrown value's text (its message, or what it is), its ids redacted. */
function shownText(error: unknown, ids: readonly string[]): string {
  return redactSessionIds(describeThrown(error), ids) ?? 'its message is not shown: it holds a session id';
}

/** Whether `value` is a word holding none of `ids` in any form (nor anything UUID-shaped): a
 * session id can be a word, and a store may name its error, or fill its `code`, with its key. */
const isCleanWord = (value: unknown, ids: readonly string[]): value is string =>
  typeof value === 'string' && WORD.test(value) && redactSessionIds(value, ids) === value;

/** A copy of a thrown value with only its text (redacted), and its `name` and `code` when words
 * free of the ids. */
function redactedCause(error: unknown, text: string, ids: readonly string[]): Error {
  const copy = new Error(text);
  try {
    const { name, code } = error as { name?: unknown; code?: unknown };
    if (isCleanWord(name, ids)) copy.name = name;
    if (isCleanWord(code, ids)) Object.assign(copy, { code });
  } catch {
    // A getter that throws: the copy keeps Error's name.
  }
  return copy;
}

/** `message` as an LV_ERR_LISTENER whose `cause` is `error` with every session id redacted. */
export function redactedError(message: string, error: unknown, ids: readonly string[]): LinkvisorError {
  return new LinkvisorError('LV_ERR_LISTENER', message, {
    cause: redactedCause(error, shownText(error, ids), ids),
  });
}
