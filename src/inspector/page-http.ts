/**
 * The inspector's HTTP side: what it answers to a request (the page, its script and style, the
 * trace being viewed; every answer with the security headers and a CSP naming only this server),
 * how it refuses a WebSocket upgrade, and binding the server. Who may ask is decided by
 * ./request-guard.ts; the page's WebSocket traffic is ./start-inspector.ts's.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { pageHtml } from './page-html.js';
import { PAGE_CSS } from './page-style.js';
import { type GuardConfig, guardRequest, LOOPBACK_HOSTS } from './request-guard.js';

const SECURITY_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function csp(port: number): string {
  // CSP host sources cannot be IPv6 literals (Chromium rejects `[::1]` with a console error).
  const ws = LOOPBACK_HOSTS.filter((h) => !h.startsWith('['))
    .map((h) => `ws://${h}:${port}`)
    .join(' ');
  return `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ${ws}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

export function bracket(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** What the server hands out over HTTP. */
export interface PageFiles {
  token: string;
  /** The page's bundled script. */
  script: string;
  /** The session trace the page opens, if any. */
  trace: string | undefined;
}

/** The HTTP request handler; `guard()` is read per request (it is known once the server listens). */
export function createPageRequestHandler(
  files: PageFiles,
  guard: () => GuardConfig,
): (req: IncomingMessage, res: ServerResponse) => void {
  const reply = (res: ServerResponse, status: number, type: string, body: string | Buffer) => {
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'Content-Type': type,
      'Content-Security-Policy': csp(guard().port),
    });
    res.end(body);
  };
  return (req, res) => {
    const verdict = guardRequest(req, guard(), false);
    if (!verdict.ok) return reply(res, verdict.status, 'text/plain; charset=utf-8', `${verdict.message}\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return reply(res, 405, 'text/plain', 'method not allowed\n');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') return reply(res, 200, 'text/html; charset=utf-8', pageHtml(files.token));
    if (path === '/client.js') return reply(res, 200, 'text/javascript; charset=utf-8', files.script);
    if (path === '/trace.jsonl' && files.trace !== undefined)
      return reply(res, 200, 'application/jsonl; charset=utf-8', files.trace);
    if (path === '/style.css') return reply(res, 200, 'text/css; charset=utf-8', PAGE_CSS);
    return reply(res, 404, 'text/plain', 'not found\n');
  };
}

/** Ends an upgrade that is not the page's own (`/ws`, passing the guard) and says so: true. */
export function refuseUpgrade(req: IncomingMessage, socket: Duplex, guard: GuardConfig): boolean {
  const verdict = guardRequest(req, guard, true);
  // Read only past the guard (whose token check parsed the same URL): a request-target no URL
  // parses (`GET http://[ HTTP/1.1`) threw here, in the server's 'upgrade' listener, and took the
  // application's process down for anyone on the machine, token or not.
  const path = verdict.ok ? new URL(req.url ?? '/', 'http://x').pathname : '';
  if (!verdict.ok || path !== '/ws') {
    const status = verdict.ok ? 404 : verdict.status;
    const text = verdict.ok ? 'Not Found' : verdict.status === 401 ? 'Unauthorized' : 'Forbidden';
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    return true;
  }
  return false;
}
