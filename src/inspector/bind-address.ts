/**
 * Where the inspector listens, as its user and a browser see it, for a `host` that
 * ./inspector-options.ts accepted and `canonicalHost` wrote as browsers do (`127.1` is
 * `127.0.0.1`, `::FFFF:127.0.0.1` is `::ffff:7f00:1`): whether it is loopback (no warning: all of
 * 127.0.0.0/8, `::1`, `localhost` in any case, an IPv4-mapped IPv6 address of one of them, or a
 * name that resolved to one), the host the printed URL names (one a browser opens: an
 * IPv4-mapped address as its IPv4 address, a wildcard as 127.0.0.1), and whether it is a
 * wildcard (no name of its own in `Host`); a name that does not resolve is an error naming `host`.
 */
import { isIPv4 } from 'node:net';
import { LinkvisorError } from '../util/errors.js';
import { canonicalHost } from './inspector-options.js';
import { bracket } from './page-http.js';

/** `::ffff:7f00:1` (an IPv4-mapped IPv6 address, as URLs write it) → `127.0.0.1`; else undefined. */
export function mappedIPv4(host: string): string | undefined {
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(host);
  if (!m) return undefined;
  const hi = Number.parseInt(m[1] ?? '', 16);
  const lo = Number.parseInt(m[2] ?? '', 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** The IPv4 address an IPv4-mapped host is, any other host as it is. */
const asIPv4 = (host: string): string => mappedIPv4(host) ?? host;

/** Only this machine reaches it: 127.0.0.0/8, `::1`, `localhost` (or one mapped into IPv6). */
export function isLoopbackHost(host: string): boolean {
  const h = asIPv4(host);
  return h === 'localhost' || h === '::1' || (isIPv4(h) && h.startsWith('127.'));
}

/** Every address of the machine (`0.0.0.0`, `::`, `::ffff:0.0.0.0`). */
export function isWildcardHost(host: string): boolean {
  const h = asIPv4(host);
  return h === '0.0.0.0' || h === '::';
}

/** The host of the URL startInspector prints, as a URL writes it (`[::1]`): a name bound
 * (`localhost`) by the address it resolved to, which is where the server is. */
export function urlHostOf(host: string, boundAddress: string): string {
  if (isWildcardHost(host)) return '127.0.0.1';
  if (host === 'localhost') return bracket(boundAddress);
  return bracket(asIPv4(host));
}

/** Bound to loopback: `host` is (in any spelling), or the address it resolved to is (a name of
 * the machine's own in /etc/hosts, `127.0.0.1 vm`, is as quiet as `localhost`). */
export function boundToLoopback(host: string, boundAddress: string): boolean {
  if (isLoopbackHost(host)) return true;
  try {
    return isLoopbackHost(canonicalHost(boundAddress));
  } catch {
    return false; // an address URLs cannot write (with a zone id) is no loopback one
  }
}

/** The resolver's codes for a name it could not resolve (`localhost.`, a typo, no DNS). */
const UNRESOLVED = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);

/** listen()'s error for a `host` name that does not resolve, as LV_ERR_INVALID_OPTION naming
 * `host` (the resolver's error as its cause); undefined for any other error. It was a bare
 * `getaddrinfo ENOTFOUND localhost.`, naming no option. */
export function unresolvedHost(error: unknown, host: string): LinkvisorError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !UNRESOLVED.has(code)) return undefined;
  return new LinkvisorError(
    'LV_ERR_INVALID_OPTION',
    `host: ${JSON.stringify(host)} does not resolve to an address of this machine (${code}); ` +
      'use 127.0.0.1, localhost or an address of this machine',
    { option: 'host', cause: error },
  );
}
