/**
 * The URL of `linkvisor connect` as typed: checked (scheme, port) and, for a usage error, shown with
 * its user info, path parameters and query values replaced.
 */
import { isNumberAsTyped, shownNumber } from '../util/describe.js';
import { REDACTED, redactPathParameters } from '../util/redact.js';
import { UsageError } from './usage-error.js';

/** The port of `text` (a URL with a scheme) as typed, or undefined when it has none. */
function portOf(text: string): string | undefined {
  const authority = (/^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(text)?.[1] ?? '').replace(/^.*@/, '');
  return /^(?:\[[^\]]*\]|[^:]*):(.*)$/.exec(authority)?.[1];
}

/** A port's digits as a typo shows them (`99999`); 6 or more are a PIN whose `@host` is missing
 * (`ws://alice:12345678/feed`), never quoted. */
const isPortTypo = (port: string): boolean => port.length <= 5;

/** Why the port of `text` (a URL with a scheme) is not one, or null when it is fine or absent. */
function badPort(text: string): string | null {
  const port = portOf(text);
  if (port === undefined || port === '') return null;
  if (!/^\d+$/.test(port)) return `port ${shownNumber(port)} is not a number`;
  if (Number(port) > 65_535)
    return `port ${isPortTypo(port) ? Number(port) : `of ${port.length} digits`} is out of range (0-65535)`;
  return null;
}

/** `text` (a URL as typed) fit for a usage error: its user info, path parameters and query values
 * (a bare part, `?k7Qx…`, is a value) replaced, its fragment left out, by text (it may not parse:
 * that is why it is shown; a URL that does not parse would be hidden whole by scrubCredentials). */
export function shownUrl(text: string): string {
  const typed = text.replace(/#.*$/s, '').replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#]*@/i, '$1[redacted]@');
  const at = typed.indexOf('?');
  const path = redactPathParameters(at < 0 ? typed : typed.slice(0, at));
  if (at < 0) return path;
  const query = typed
    .slice(at + 1)
    .split('&')
    .map((part) =>
      part === '' ? part : `${part.includes('=') ? `${part.split('=', 1)[0]}=` : ''}${REDACTED}`,
    )
    .join('&');
  return `${path}?${query}`;
}

/**
 * A ws:// or wss:// URL; `host:port/path` gets `ws://`; http:// and https:// are the same server's
 * ws:// and wss:// (`note` says so). Anything else is a usage error that says why.
 */
export function checkUrl(text: string): { url: string; note?: string } {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `ws://${text}`;
  const web = /^(https?):/i.exec(withScheme)?.[1]?.toLowerCase();
  const port = badPort(withScheme);
  // A "port" that is no number, or of 6 digits or more, may be a password whose `@host` is missing
  // (`ws://alice:s3cr3t/feed`, `ws://alice:hunter2/feed`, `ws://alice:12345678/feed`).
  const typedPort = port ? portOf(withScheme) : undefined;
  const shown = shownUrl(
    typedPort && (!isNumberAsTyped(typedPort) || !isPortTypo(typedPort))
      ? text.split(typedPort).join(REDACTED)
      : text,
  );
  if (port) throw new UsageError('LV_ERR_INVALID_URL', `invalid URL '${shown}': ${port}`);
  let url: URL;
  try {
    url = new URL(web ? withScheme.replace(/^http/i, 'ws') : withScheme);
  } catch {
    throw new UsageError('LV_ERR_INVALID_URL', `invalid URL '${shown}'`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new UsageError(
      'LV_ERR_INVALID_URL',
      `invalid URL '${shown}': the scheme must be ws://, wss://, http:// or https://`,
    );
  }
  if (!web) return { url: url.toString() };
  return { url: url.toString(), note: `${web}:// maps to ${web === 'https' ? 'wss' : 'ws'}://` };
}
