/**
 * The error a `resumable` server reports when its session store (or the answer to a hello) fails:
 * what the store said, with every session id it could have quoted redacted. Session ids are
 * bearer secrets (whoever names one resumes the session), and a store's own message often holds
 * the key it failed on (`key sess:1b4e… not found`), so the store's error is never kept as the
 * `cause`: the `cause` is the copy every linkvisor error's is (../util/redacted-cause.ts: its
 * message, stack and nested causes, URLs in them redacted too) with the rules below for its text,
 * and its `name` and `code` kept only when words holding no id (a session id can be a word).
 * Separate from a link's redaction for what is stricter here (server-only, none of it in a browser
 * bundle): ids in hex and at any base64 alignment, split across lines, anything UUID-shaped, and a
 * short id hiding the whole text.
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
import { redactedCause as copyRedacted } from '../util/redacted-cause.js';

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

/** What a text holding an id too short to redact in place is shown as. */
const HIDDEN = 'its message is not shown: it holds a session id';

/** Whether `value` is a word holding none of `ids` in any form (nor anything UUID-shaped): a
 * session id can be a word, and a store may name its error, or fill its `code`, with its key. */
const isCleanWord = (value: unknown, ids: readonly string[]): value is string =>
  typeof value === 'string' && WORD.test(value) && redactSessionIds(value, ids) === value;

/** The copy every `cause` is (../util/redacted-cause.ts: message, stack and nested causes, each
 * text with the ids redacted, or HIDDEN) plus this file's stricter rule for the store error's own
 * `name` and `code`: kept only when words free of the ids, else left out (a name or code is
 * useful whole or not at all). Always an Error (a thrown string: its redacted text as message). */
function redactedCause(error: unknown, ids: readonly string[]): Error {
  const copied = copyRedacted(error, (text) => redactSessionIds(text, ids) ?? HIDDEN);
  const copy = copied instanceof Error ? copied : new Error(String(copied));
  const own = copy as Error & { code?: unknown };
  try {
    const { name, code } = error as { name?: unknown; code?: unknown };
    if (!isCleanWord(name, ids)) Reflect.deleteProperty(own, 'name');
    if (!isCleanWord(code, ids)) Reflect.deleteProperty(own, 'code');
  } catch {
    // A getter that throws: the copy has already shown it as REDACTED.
  }
  return copy;
}

/** `message` as an LV_ERR_LISTENER whose `cause` is `error` with every session id redacted. */
export function redactedError(message: string, error: unknown, ids: readonly string[]): LinkvisorError {
  return new LinkvisorError('LV_ERR_LISTENER', message, { cause: redactedCause(error, ids) });
}
