/**
 * Credentials that refresh: a token that expires mid-session.
 *
 * A small auth service issues tokens that live `tokenLifetimeMs`. The feed server refuses an
 * upgrade without a live token (HTTP 401) and closes a session whose token expires with 4401.
 * The link's URL is a per-attempt function: it reuses its cached token, and fetches a fresh one
 * only when `lastReason` says the credentials were rejected (`rejectsCredentials`). 4401 is
 * marked as an auth close code, so each expiry gets ONE attempt at once with the fresh token —
 * no backoff wait, whatever the backoff says — and a second rejection before the link was stable
 * again (up `stableAfterMs`) would be fatal.
 *
 *   npx tsx examples/refresh-token.ts
 *
 * Run by test/examples/refresh-token.test.ts.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { createSupervisor, type LinkStateChange, rejectsCredentials } from '../src/index.js';

export interface RefreshDemoResult {
  /** Tokens fetched from the auth service. */
  fetched: number;
  /** Sessions the server ended because their token expired (close 4401). */
  expired: number;
  /** Times the link became ready. */
  readyCount: number;
  /** Every state change the link went through, as `from→to`. */
  states: string[];
  /** Messages the link received (one per session: "hello <n>"). */
  received: string[];
}

/** Runs the demo for `runMs` with tokens that live `tokenLifetimeMs`; resolves once everything is closed. */
export async function runRefreshTokenDemo({
  tokenLifetimeMs = 400,
  runMs = 1_500,
  log = (_line: string) => {},
} = {}): Promise<RefreshDemoResult> {
  // The auth service: token → expiry time.
  const tokens = new Map<string, number>();
  const issue = async (): Promise<string> => {
    const token = randomUUID();
    tokens.set(token, Date.now() + tokenLifetimeMs);
    return token;
  };
  const live = (token: string | null): number => (token ? (tokens.get(token) ?? 0) - Date.now() : 0);

  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    // No live token: 401 on the upgrade.
    verifyClient: ({ req }, done) =>
      done(live(new URL(req.url ?? '/', 'ws://x').searchParams.get('token')) > 0, 401),
  });
  await new Promise((resolve) => server.once('listening', resolve));
  const timers = new Set<NodeJS.Timeout>();
  let sessions = 0;
  let expired = 0;
  // Set when the demo winds down: sessions stop expiring.
  let winding = false;
  server.on('connection', (ws, req) => {
    ws.send(`hello ${++sessions}`);
    const token = new URL(req.url ?? '/', 'ws://x').searchParams.get('token');
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        if (winding) return;
        expired++;
        ws.close(4401, 'token expired');
      },
      Math.max(0, live(token)),
    );
    timers.add(timer);
    ws.on('close', () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  });
  const { port } = server.address() as AddressInfo;

  const supervisor = createSupervisor({ heartbeat: false });
  let cached: string | null = null;
  let fetched = 0;
  const link = supervisor.connect(
    async ({ lastReason }) => {
      if (cached === null || rejectsCredentials(lastReason)) {
        cached = await issue();
        fetched++;
        log(`fetched a fresh token (${lastReason ? lastReason.message : 'first connect'})`);
      }
      return `ws://127.0.0.1:${port}/feed?token=${cached}`;
    },
    {
      id: 'feed',
      authCloseCodes: [4401],
      // A long backoff: the refresh after an expiry does not wait for it. A rejection is refreshed
      // at once only once the link was stable (up stableAfterMs) since the last refresh — the
      // server that rejects right after accepting is not hammered — so the demo's tokens, which
      // live well under a second, need a stable wait shorter than that (tokens that live hours
      // are fine with the default 5 s).
      backoff: { initialDelayMs: 30_000, maxDelayMs: 30_000, stableAfterMs: 100 },
    },
  );
  const states: string[] = [];
  const received: string[] = [];
  // Expiries the link has seen (its session closed 4401 while ready), and a wait for them to catch up.
  let seen = 0;
  let caughtUp: (() => void) | null = null;
  link.on('state', ({ from, to, reason }: LinkStateChange) => {
    states.push(`${from}→${to}`);
    log(`${from} → ${to}${reason ? ` (${reason.message})` : ''}`);
    if (from === 'ready' && to === 'connecting') seen++;
    if (seen === expired) caughtUp?.();
  });
  link.on('message', (data) => received.push(String(data)));

  await new Promise((resolve) => setTimeout(resolve, runMs));
  // Wind down: no session expires any more, but the close of one that expired just now may still
  // be on its way (the link is ready until it arrives). Stop once the link has seen every expiry
  // and is ready again, so each expiry has had its refresh.
  winding = true;
  if (seen < expired) await new Promise<void>((resolve) => (caughtUp = resolve));
  await link.ready();
  const readyCount = link.status().readyCount;
  await supervisor.close();
  for (const timer of timers) clearTimeout(timer);
  for (const client of server.clients) client.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { fetched, expired, readyCount, states, received };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runRefreshTokenDemo({ log: (line) => console.log(line) });
  console.log(
    `${result.expired} tokens expired mid-session, ${result.fetched} fetched, ready ${result.readyCount} times`,
  );
}
