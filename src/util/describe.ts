/**
 * How a value is named in an error message without showing it (a secret may be in it): its kind,
 * or the number itself; a user's string only when it is shaped like a word (`shown`); and the
 * plain-object check every option parser starts with.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `a string`;
  return typeof value;
}

/** Longest user string an error quotes, in characters. */
export const MAX_QUOTED_CHARS = 24;

/** A short number as typed (`5s`, `-1`, `1.5`): nothing a token or a password can look like. */
const NUMBER = /^[+-]?\d[\d.]{0,7}[A-Za-z]{0,2}$/;

/** A word (`onlin`, `drop-oldest`, `link-12`) or a short number as typed (`5s`, `-1`, `1.5`):
 * nothing a token, a password with symbols, a URL or a `Bearer …` header can look like. */
const WORD = /^[A-Za-z][A-Za-z_.-]*\d{0,3}$/;

/** Whether `text` is short and shaped like a word or a number as typed: an error may quote it. */
export function isShownWord(text: string): boolean {
  return text.length <= MAX_QUOTED_CHARS && (WORD.test(text) || NUMBER.test(text));
}

/** `a string of 40 characters`: how an error names a string it does not quote. */
export function lengthOf(text: string): string {
  return `a string of ${text.length} character${text.length === 1 ? '' : 's'}`;
}

/**
 * A value given where a number goes (a CLI flag's, a URL's port, a trace's version) as an error
 * shows it: a string quoted only when shaped like a number as typed
 * (`'5s'`, `'70000'`), a word by its length, a weak password (`hunter2`, `password123`) being one;
 * anything else by `describe` (a number itself).
 */
export function shownNumber(value: unknown): string {
  if (typeof value !== 'string') return describe(value);
  return isNumberAsTyped(value) ? `'${value}'` : lengthOf(value);
}

/** Whether `text` is a short number as typed (`5s`, `-1`, `1.5`): an error may quote it. */
export function isNumberAsTyped(text: string): boolean {
  return NUMBER.test(text);
}

/**
 * A value a user gave (an enum value, an id, a name, an event name, a CLI argument) as an error
 * message shows it: a short word quoted (`'onlin'`: a typo is worth seeing), any other string by
 * its length (`a string of 40 characters`: it may be a JWT, a token, a URL with a password), and
 * anything else by `describe`. Every error that names a user's string goes through here.
 */
export function shown(value: unknown): string {
  if (typeof value !== 'string') return describe(value);
  return isShownWord(value) ? `'${value}'` : lengthOf(value);
}
