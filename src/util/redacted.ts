/** What a secret is shown as, wherever it was (errors, events, status(), traces, the inspector). */
export const REDACTED = '[redacted]';

/** Longest URL or label shown (status, errors, the inspector), in characters: enough for a
 * scheme, host and a readable path; a 100 KB URL would otherwise make every status 100 KB. */
export const MAX_SHOWN_URL_CHARS = 200;

/** `text` cut to `max` characters, the last one an ellipsis when something was cut. */
export function capText(text: string, max = MAX_SHOWN_URL_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
