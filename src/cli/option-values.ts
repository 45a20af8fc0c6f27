/**
 * The values of `linkvisor connect`'s options (`--header`, `--backoff`, `--heartbeat`) and a stray
 * word as a usage error shows it. Each refusal is a UsageError naming the option.
 */
import { isShownWord, shown, shownNumber } from '../util/describe.js';
import { isSecretHeader, REDACTED } from '../util/redact.js';
import { scrubCredentials } from '../util/scrub-credentials.js';
import { shownUrl } from './check-url.js';
import { number, UsageError } from './usage-error.js';

/** `K: V` (or `K:V`) into [name, value]. */
export function header(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = colon > 0 ? text.slice(0, colon).trim() : '';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    // Not quoted: the text may be a whole `Authorization Bearer …` missing its colon.
    throw new UsageError(
      'LV_ERR_INVALID_OPTION',
      `--header: expected 'Name: value' (a header name, a colon, its value)`,
    );
  }
  const value = text.slice(colon + 1).trim();
  // Split by the shell (`-H X-Api-Key: $KEY`, `-H Authorization: Bearer $T`): the value would
  // become a stray argument, quoted by the error about it. Refused here, before it is reached.
  // A scheme's name alone is a cut-off credential only in an auth-like header (`X-Tier: Basic` is not).
  if (value === '' || (isSecretHeader(name) && /^(Bearer|Basic|Digest|Token|Negotiate|NTLM)$/i.test(value))) {
    throw new UsageError(
      'LV_ERR_INVALID_OPTION',
      `--header: ${shown(name)} has no ${value === '' ? 'value' : `credential after '${value}'`} (quote the header whole: -H 'Name: value')`,
    );
  }
  return [name, value];
}

/** `<initial>:<max>[:<multiplier>]`, in ms. */
export function backoff(text: string): { initialDelayMs: number; maxDelayMs: number; multiplier?: number } {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3) {
    throw new UsageError(
      'LV_ERR_INVALID_OPTION',
      `--backoff: expected <initial ms>:<max ms>[:<multiplier>], got ${shownNumber(text)}`,
    );
  }
  const initialDelayMs = number('--backoff initial', parts[0] ?? '');
  const maxDelayMs = number('--backoff max', parts[1] ?? '');
  if (maxDelayMs < initialDelayMs)
    throw new UsageError(
      'LV_ERR_INVALID_OPTION',
      `--backoff: max (${maxDelayMs}) is below initial (${initialDelayMs})`,
    );
  if (parts[2] === undefined) return { initialDelayMs, maxDelayMs };
  return {
    initialDelayMs,
    maxDelayMs,
    multiplier: number('--backoff multiplier', parts[2], { min: 1, max: 1000, integer: false }),
  };
}

/** `<interval ms>[:<timeout ms>]` or `off`. */
export function heartbeat(text: string): { intervalMs: number; timeoutMs: number } | false {
  if (text === 'off') return false;
  const [interval = '', timeout] = text.split(':');
  const intervalMs = number('--heartbeat interval', interval, { min: 1 });
  const timeoutMs =
    timeout === undefined ? Math.min(intervalMs, 10_000) : number('--heartbeat timeout', timeout, { min: 1 });
  return { intervalMs, timeoutMs };
}

/** A word the command line did not expect, as an error shows it (it may be a value the shell split
 * off): a URL redacted (user info, query values); a word holding a credential scrubCredentials
 * finds (`token=…`, `Bearer …`) redacted when what is left is words; anything else through
 * `shown` (a short word quoted, a token by its length). */
export function stray(word = ''): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(word)) return `'${shownUrl(word)}'`;
  const scrubbed = scrubCredentials(word);
  const rest = scrubbed
    .replaceAll(REDACTED, ' ')
    .split(/[\s=]+/)
    .filter(Boolean);
  return scrubbed !== word && scrubbed.length <= 64 && rest.every(isShownWord)
    ? `'${scrubbed}'`
    : shown(word);
}

/** 1st, 2nd, 3rd, 4th… */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
