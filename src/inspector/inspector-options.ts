/**
 * startInspector's options, checked before anything starts: an unknown name (a typo such as
 * `tokn`, which would silently serve a random token) is LV_ERR_UNKNOWN_OPTION; a wrong value is
 * LV_ERR_INVALID_OPTION naming the option, never quoting it (the token is a secret). Intervals are
 * bounded as every timer is (MAX_TIMER_MS: Node fires a longer one after 1 ms), and
 * `maxUnackedBatches` must let at least one batch through (0 froze every page). The defaults of the
 * bounds no other file owns live here too (DEFAULT_MAX_RECORDING_RECORDS).
 */
import { isIPv4 } from 'node:net';
import { MAX_TIMER_MS } from '../../machines/policy/timeouts.js';
import { describe, isRecord } from '../util/describe.js';
import { optionError } from '../util/errors.js';
import { checkFunction, checkKnownKeys, checkNumber } from '../util/option-checks.js';
import { portNumber, shownPort } from '../util/port.js';
import type { InspectorOptions } from './create-inspector.js';
import type { StartInspectorOptions } from './inspector-server.js';

/**
 * Records one page's session recording may hold unless `maxRecordingRecords` says otherwise: a
 * tab left recording would otherwise grow the server's memory without end. A trace record is a few
 * hundred bytes, so 100,000 are tens of MB — minutes of a busy fleet, hours of a quiet one.
 */
export const DEFAULT_MAX_RECORDING_RECORDS = 100_000;

const KEYS: ReadonlySet<keyof StartInspectorOptions> = new Set([
  'port',
  'host',
  'allowEvents',
  'showPayloads',
  'inspector',
  'token',
  'allowedHosts',
  'statusIntervalMs',
  'warn',
  'updateIntervalMs',
  'maxUnackedBatches',
  'maxBufferedBytes',
  'maxRecordingRecords',
  'maxPages',
  'trace',
]);

/** `::1` (a colon: an IPv6 address) as a URL writes it, `[::1]`; anything else as it is. */
const bracketed = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
/** An IPv6 literal in brackets: hex digits, colons, dots (URL parsing checks the rest). */
const IPV6_LITERAL = /^\[[0-9a-f:.]+\]$/i;

/** An IPv4 address in a spelling other than dotted decimal (`127.1`, `0x7f.1`, `2130706433`):
 * digits, hex and dots only, which URLs (and browsers, and Node's getaddrinfo) read as the address. */
const IPV4_SPELLING = /^[0-9a-fx.]+$/i;

/** A bare host name or address as `Host` names it (`box.local`, `10.0.0.5`, `::1`, an IPv6
 * address in any spelling: `0:0:0:0:0:0:0:1` is `::1`, an IPv4 address in any a URL reads:
 * `127.1` is `127.0.0.1`): not a URL, nor with a port (the server's own is required,
 * `box.local:8080` could never match). */
function isHostName(host: string): boolean {
  const b = bracketed(host);
  try {
    const name = new URL(`http://${b}`).hostname;
    return (
      host !== '' &&
      (name === b.toLowerCase() || IPV6_LITERAL.test(b) || (isIPv4(name) && IPV4_SPELLING.test(host)))
    );
  } catch {
    return false;
  }
}

/** `fe80::1%eth0`: an IPv6 address with a zone id, which no URL can hold (browsers refuse it). */
const isZoned = (host: string) => host.includes(':') && host.includes('%');

/** The address to bind, as browsers write it in `Host` (lower case, IPv6 shortest and without
 * brackets: `[0:0:0:0:0:0:0:1]` is `::1`), for a host `checkInspectorOptions` accepted. */
export function canonicalHost(host: string): string {
  return new URL(`http://${bracketed(host)}`).hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Throws a LinkvisorError naming the first argument or option startInspector cannot use as
 * given: `supervisor` must be a linkvisor Supervisor, or null for a trace-only page (anything
 * else, such as the options passed first, served a page that never showed an actor). */
export function checkInspectorOptions(options: unknown, supervisor: unknown): void {
  const given = supervisor as { status?: unknown; list?: unknown; get?: unknown } | null;
  if (
    given !== null &&
    (typeof given !== 'object' ||
      typeof given.status !== 'function' ||
      typeof given.list !== 'function' ||
      typeof given.get !== 'function')
  )
    throw optionError(
      'supervisor',
      `must be a linkvisor Supervisor, or null for a trace-only page, got ${describe(supervisor)}`,
    );
  if (!isRecord(options)) throw optionError('options', `must be an object, got ${describe(options)}`);
  checkKnownKeys(options, KEYS as ReadonlySet<string>, '');
  const o = options as Record<keyof StartInspectorOptions, unknown>;
  if (o.port !== undefined && portNumber(o.port) === undefined)
    throw optionError(
      'port',
      `must be a whole number from 0 to 65535 (or its decimal digits), got ${shownPort(o.port)}`,
    );
  // A port, a scheme or a path (`localhost:8080`, `http://127.0.0.1`) failed later as a bare
  // getaddrinfo ENOTFOUND that named no option.
  // Node binds a zone id, but the page could never be opened: no browser takes one in a URL.
  if (typeof o.host === 'string' && isZoned(o.host))
    throw optionError(
      'host',
      'is an IPv6 address with a zone id (%…), which browsers cannot open in a URL; bind 127.0.0.1 or an address without a zone',
    );
  if (o.host !== undefined && (typeof o.host !== 'string' || !isHostName(o.host)))
    throw optionError(
      'host',
      `must be a host name or address to bind (no scheme, port or path), got ${describe(o.host)}`,
    );
  for (const key of ['allowEvents', 'showPayloads'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean')
      throw optionError(key, `must be a boolean, got ${describe(o[key])}`);
  }
  if (o.inspector !== undefined) {
    const given = o.inspector as { inspect?: unknown; subscribe?: unknown } | null;
    if (!isRecord(given) || typeof given.subscribe !== 'function')
      throw optionError('inspector', `must be the collector createInspector() made, got ${describe(given)}`);
  }
  if (o.token !== undefined && (typeof o.token !== 'string' || !/^[A-Za-z0-9._~-]{16,}$/.test(o.token)))
    throw optionError('token', 'must be at least 16 URL-safe characters (A-Z a-z 0-9 . _ ~ -)');
  if (
    o.allowedHosts !== undefined &&
    (!Array.isArray(o.allowedHosts) || o.allowedHosts.some((h) => typeof h !== 'string' || !isHostName(h)))
  )
    throw optionError('allowedHosts', 'must be an array of host names (no scheme, port or path)');
  if (o.statusIntervalMs !== undefined)
    checkNumber(o.statusIntervalMs, 'statusIntervalMs', { min: 1, max: MAX_TIMER_MS });
  if (o.updateIntervalMs !== undefined)
    checkNumber(o.updateIntervalMs, 'updateIntervalMs', { max: MAX_TIMER_MS });
  if (o.maxUnackedBatches !== undefined)
    checkNumber(o.maxUnackedBatches, 'maxUnackedBatches', { min: 1, integer: true });
  if (o.maxBufferedBytes !== undefined) checkNumber(o.maxBufferedBytes, 'maxBufferedBytes');
  if (o.maxRecordingRecords !== undefined)
    checkNumber(o.maxRecordingRecords, 'maxRecordingRecords', { min: 1, integer: true });
  if (o.maxPages !== undefined) checkNumber(o.maxPages, 'maxPages', { min: 1, integer: true });
  if (o.warn !== undefined) checkFunction(o.warn, 'warn');
  if (o.trace !== undefined && typeof o.trace !== 'string')
    throw optionError('trace', `must be the text of a session trace (JSON Lines), got ${describe(o.trace)}`);
}

const COLLECTOR_KEYS: ReadonlySet<keyof InspectorOptions> = new Set([
  'maxRecordsPerActor',
  'maxRecords',
  'maxEndedActors',
  'now',
]);

/** createInspector's options: an object of known keys (LV_ERR_UNKNOWN_OPTION), its bounds whole
 * numbers ≥ 0 (or Infinity: keep everything, as before the check) and `now` a function (LV_ERR_INVALID_OPTION naming it). Before, none was checked: null
 * threw a raw TypeError, a negative or NaN bound kept nothing or everything, and a `now` that is
 * no function failed inside every inspection event, silently (the collector shields the actor). */
export function checkCollectorOptions(options: unknown): void {
  if (!isRecord(options)) throw optionError('options', `must be an object, got ${describe(options)}`);
  checkKnownKeys(options, COLLECTOR_KEYS as ReadonlySet<string>, '');
  for (const key of ['maxRecordsPerActor', 'maxRecords', 'maxEndedActors'] as const) {
    if (options[key] !== undefined) checkNumber(options[key], key, { integer: true, allowInfinity: true });
  }
  if (options.now !== undefined) checkFunction(options.now, 'now');
}
