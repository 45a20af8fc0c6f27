/**
 * The page's connection to the inspector server, on linkvisor itself: a supervisor with the
 * browser transport and one link with an application heartbeat (`{"type":"ping"}` → `pong`). When
 * the server restarts, the link reconnects with jittered backoff and the page gets a fresh
 * `hello`. Its lifecycle events drive the banner at the top of the page. A browser's WebSocket
 * never sees an upgrade's status: after each failed attempt the page asks the server over HTTP,
 * and a 401 (its token is not this run's: the inspector restarted on the same port) or a 403 stops
 * the link, `failed` with the reason, instead of retrying every 4 s for ever.
 */
import { createSupervisor } from '../../runtime/supervisor.js';
import { createBrowserTransport } from '../../transports/browser-transport.js';
import type { PageMessage, ServerMessage } from '../protocol.js';

export interface ServerLinkHandlers {
  message(message: ServerMessage): void;
  /** `live`, or why not and when the next attempt is. */
  status(status: { state: string; attempt?: number; retryAt?: number; reason?: string }): void;
}

export interface ServerLink {
  send(message: PageMessage): void;
  /** Closes the link (the page never does: tests do, to leave nothing behind). */
  close(): Promise<void>;
}

const PING = JSON.stringify({ type: 'ping' });

/** What the page shows when the server refuses it for good (a token of an earlier run). */
const REFUSED: Record<number, string> = {
  401: 'the inspector refused this page’s token (it restarted with a new one): open the URL the inspector printed',
  403: 'the inspector refused this page (403: another host or origin): open the URL the inspector printed',
};

/** The status the server answers the link's URL over HTTP with (401 or 403 from its guard; 404 if
 * it takes the page: /ws is no page); undefined when it cannot be asked (down, no fetch). */
async function httpStatusOf(url: string): Promise<number | undefined> {
  if (typeof fetch !== 'function') return undefined;
  try {
    const response = await fetch(url.replace(/^ws/, 'http'), { cache: 'no-store' });
    await response.body?.cancel();
    return response.status;
  } catch {
    return undefined;
  }
}

export function connectToServer(url: string, handlers: ServerLinkHandlers): ServerLink {
  const supervisor = createSupervisor({
    transport: createBrowserTransport(),
    backoff: { initialDelayMs: 250, maxDelayMs: 4_000, jitter: 'full', stableAfterMs: 2_000 },
    connectTimeoutMs: 5_000,
    // No cool-down: a page refused for `maxPages` opens and is closed (1013) at each attempt, and
    // six such losses a minute rested the link 30–300 s, showing no reason, while a slot was
    // free. The backoff (at most 4 s) is all the pacing one local server needs.
    intensity: false,
    heartbeat: {
      mode: 'app',
      intervalMs: 5_000,
      timeoutMs: 4_000,
      ping: () => PING,
      isPong: (data) => typeof data === 'string' && data.startsWith('{"type":"pong"'),
    },
    queue: { maxMessages: 20, overflow: 'drop-oldest' },
  });
  const link = supervisor.connect(url, { id: 'inspector' });
  let refused = false;
  const askServer = async () => {
    const status = await httpStatusOf(url);
    const reason = status === undefined ? undefined : REFUSED[status];
    if (refused || reason === undefined) return;
    refused = true;
    await supervisor.close();
    handlers.status({ state: 'failed', reason });
  };
  link.on('message', (data) => {
    if (typeof data !== 'string') return;
    try {
      handlers.message(JSON.parse(data) as ServerMessage);
    } catch (error) {
      console.error('linkvisor inspector: bad message from the server', error);
    }
  });
  link.on('state', ({ to }) => {
    if (refused) return;
    if (to === 'ready') handlers.status({ state: 'live' });
    else if (to !== 'reconnecting') handlers.status({ state: to });
  });
  link.on('reconnecting', ({ attempt, delayMs, reason }) => {
    if (refused) return;
    void askServer();
    handlers.status({
      state: 'reconnecting',
      attempt,
      retryAt: Date.now() + delayMs,
      reason: reason.message,
    });
  });
  link.on('failed', ({ reason }) => handlers.status({ state: 'failed', reason: reason.message }));
  return {
    send(message) {
      if (link.state === 'ready') link.send(JSON.stringify(message));
    },
    close: () => supervisor.close(),
  };
}
