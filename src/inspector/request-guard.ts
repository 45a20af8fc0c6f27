/**
 * Who may talk to the inspector server. Every request (page, assets, WebSocket upgrade) must
 * carry the per-run token (`?token=`; 401 otherwise), name the server by a loopback name and its
 * port in `Host` (403 otherwise: a DNS-rebinding page on another name is refused), and, for a
 * WebSocket upgrade, come from the inspector's own origin when a browser sends one (403 for a
 * foreign `Origin`: cross-site WebSocket hijacking). The token is compared in constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Host names always accepted (with the server's port). */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'] as const;

export interface GuardConfig {
  port: number;
  token: string;
  /** Lower-case host names (IPv6 in brackets) accepted in `Host` and `Origin`. */
  hosts: ReadonlySet<string>;
}

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

/** `port` as URL parses it: empty for http's default, 80 (`Host: localhost`, `Host: localhost:80`). */
function hostAllowed(hostname: string, port: string, config: GuardConfig): boolean {
  return config.hosts.has(hostname.toLowerCase()) && (port || '80') === String(config.port);
}

/** `Host: 127.0.0.1:54321` names this server. */
export function checkHost(host: string | undefined, config: GuardConfig): boolean {
  if (!host) return false;
  try {
    const url = new URL(`http://${host}`);
    if (url.username || url.password || url.pathname !== '/') return false;
    return hostAllowed(url.hostname, url.port, config);
  } catch {
    return false;
  }
}

/** A browser's `Origin` is the inspector's own page (absent: not a browser, allowed). */
export function checkOrigin(origin: string | undefined, config: GuardConfig): boolean {
  if (origin === undefined) return true;
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && hostAllowed(url.hostname, url.port, config);
  } catch {
    return false;
  }
}

/** The request's `?token=` is this run's token. */
export function checkToken(requestUrl: string | undefined, config: GuardConfig): boolean {
  let given: string | null;
  try {
    given = new URL(requestUrl ?? '/', 'http://x').searchParams.get('token');
  } catch {
    return false;
  }
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(config.token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Host first (a rebinding page must learn nothing, not even "wrong token"), then origin, then token. */
export function guardRequest(request: IncomingMessage, config: GuardConfig, upgrade: boolean): Verdict {
  if (!checkHost(request.headers.host, config)) {
    return { ok: false, status: 403, message: 'forbidden: unexpected Host header' };
  }
  if (upgrade && !checkOrigin(request.headers.origin, config)) {
    return { ok: false, status: 403, message: 'forbidden: foreign Origin' };
  }
  if (!checkToken(request.url, config)) {
    return {
      ok: false,
      status: 401,
      message: 'unauthorized: open the URL the inspector printed (with its token)',
    };
  }
  return { ok: true };
}
